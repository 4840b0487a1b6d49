// @ts-check
// Verbs for commands that ask questions: palette commands that open a quick
// pick or input box right away, modal dialogs, and buttons on notification
// toasts (VS Code 1.139 workbench class names, as served by code-server).
'use strict';

const QUICK = '.quick-input-widget';

/** @typedef {import('playwright-core').Page} Page */

/**
 * Runs a palette command whose handler opens its own quick input (does not wait for the palette to close).
 * @param {Page} page
 * @param {string} title
 * @param {number} [timeout]
 * @returns {Promise<void>}
 */
async function startCommand(page, title, timeout = 45_000) {
  const t0 = Date.now();
  const input = page.locator(`${QUICK} .quick-input-box input`);
  const row = page.locator(`${QUICK} .quick-input-list .monaco-list-row`, { hasText: title }).first();
  for (;;) {
    await page.evaluate(() => {
      const a = document.activeElement;
      if (a instanceof HTMLElement && a.tagName === 'IFRAME') a.blur();
    });
    await page.keyboard.press('F1');
    await input.waitFor({ timeout: 10_000 });
    await input.fill(`>${title}`);
    try {
      await row.waitFor({ timeout: 5_000 });
      break;
    } catch {
      await page.keyboard.press('Escape');
      if (Date.now() - t0 > timeout) throw new Error(`no command "${title}" in the palette after ${timeout} ms`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  await page.keyboard.press('Enter');
}

/**
 * Waits for a quick input whose title matches `titlePattern`.
 * @param {Page} page
 * @param {RegExp | string} titlePattern
 * @param {number} [timeout]
 * @returns {Promise<void>}
 */
async function waitForQuickInput(page, titlePattern, timeout = 30_000) {
  await page.locator(`${QUICK} .quick-input-title`, { hasText: titlePattern }).first().waitFor({ timeout });
}

/**
 * Labels of the rows of the open quick pick.
 * @param {Page} page
 * @returns {Promise<string[]>}
 */
async function quickPickRows(page) {
  return page
    .locator(`${QUICK} .quick-input-list .monaco-list-row`)
    .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') || (e.textContent ?? '').trim()));
}

/**
 * In the quick pick titled `titlePattern`, filters by `label` and accepts the matching row.
 * @param {Page} page
 * @param {RegExp | string} titlePattern
 * @param {string} label
 * @param {number} [timeout]
 * @returns {Promise<void>}
 */
async function pickItem(page, titlePattern, label, timeout = 30_000) {
  await waitForQuickInput(page, titlePattern, timeout);
  await page.locator(`${QUICK} .quick-input-box input`).fill(label);
  await page
    .locator(`${QUICK} .quick-input-list .monaco-list-row`, { hasText: label })
    .first()
    .waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
}

/**
 * In the input box titled `titlePattern`, replaces the value and presses Enter.
 * @param {Page} page
 * @param {RegExp | string} titlePattern
 * @param {string} value
 * @param {number} [timeout]
 * @returns {Promise<void>}
 */
async function answerInput(page, titlePattern, value, timeout = 30_000) {
  await waitForQuickInput(page, titlePattern, timeout);
  await page.locator(`${QUICK} .quick-input-box input`).fill(value);
  // The validation message (if any) would keep the box open; wait for the title to change.
  await page.keyboard.press('Enter');
  await page
    .locator(`${QUICK} .quick-input-title`, { hasText: titlePattern })
    .first()
    .waitFor({ state: 'hidden', timeout: 10_000 });
}

/**
 * Text of the modal dialog matching `pattern` (message and detail).
 * @param {Page} page
 * @param {RegExp | string} pattern
 * @param {number} [timeout]
 * @returns {Promise<string>}
 */
async function dialogText(page, pattern, timeout = 60_000) {
  const box = page.locator('.monaco-dialog-box', { hasText: pattern }).first();
  await box.waitFor({ timeout });
  return (await box.innerText()).trim();
}

/**
 * Clicks the button `label` of the open modal dialog.
 * @param {Page} page
 * @param {string} label
 * @returns {Promise<void>}
 */
async function clickDialogButton(page, label) {
  await page.locator('.monaco-dialog-box .dialog-buttons .monaco-button', { hasText: label }).first().click();
  await page.locator('.monaco-dialog-box').first().waitFor({ state: 'hidden', timeout: 10_000 });
}

/**
 * Texts of all visible notification toasts.
 * @param {Page} page
 * @returns {Promise<string[]>}
 */
async function notificationTexts(page) {
  return page
    .locator('.notifications-toasts .notification-toast')
    .evaluateAll((/** @type {HTMLElement[]} */ els) => els.map((e) => e.innerText.trim()));
}

/**
 * Polls toasts every 100 ms until one matches `pattern`; returns its text (catches short-lived progress messages).
 * @param {Page} page
 * @param {RegExp} pattern
 * @param {number} [timeout]
 * @returns {Promise<string>}
 */
async function pollNotification(page, pattern, timeout = 60_000) {
  const t0 = Date.now();
  for (;;) {
    const hit = (await notificationTexts(page)).find((t) => pattern.test(t));
    if (hit) return hit;
    if (Date.now() - t0 > timeout)
      throw new Error(
        `no notification matching ${pattern} within ${timeout} ms; saw ${JSON.stringify(await notificationTexts(page))}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Clicks the button `label` on the toast matching `pattern`.
 * @param {Page} page
 * @param {RegExp | string} pattern
 * @param {string} label
 * @param {number} [timeout]
 * @returns {Promise<void>}
 */
async function clickNotificationButton(page, pattern, label, timeout = 30_000) {
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: pattern }).first();
  await toast.waitFor({ timeout });
  await toast.hover();
  await toast.locator('.monaco-button', { hasText: label }).first().click();
}

/**
 * Opens a workspace file through Quick Open (F1, then the file name without
 * '>'), independent of the explorer's state; `relPath` like 'src/queue.py'.
 * @param {Page} page
 * @param {string} relPath
 * @param {number} [timeout]
 * @returns {Promise<void>}
 */
async function quickOpenFile(page, relPath, timeout = 30_000) {
  const name = relPath.split('/').pop() ?? relPath;
  await page.evaluate(() => {
    const a = document.activeElement;
    if (a instanceof HTMLElement && a.tagName === 'IFRAME') a.blur();
  });
  await page.keyboard.press('F1');
  const input = page.locator(`${QUICK} .quick-input-box input`);
  await input.waitFor({ timeout: 10_000 });
  await input.fill(relPath);
  await page.locator(`${QUICK} .quick-input-list .monaco-list-row`, { hasText: name }).first().waitFor({ timeout });
  await page.keyboard.press('Enter');
  await page.locator(`.tabs-container .tab.active[data-resource-name="${name}"]`).first().waitFor({ timeout });
  await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ timeout });
}

module.exports = {
  startCommand,
  waitForQuickInput,
  quickPickRows,
  pickItem,
  answerInput,
  dialogText,
  clickDialogButton,
  notificationTexts,
  pollNotification,
  clickNotificationButton,
  quickOpenFile,
};
