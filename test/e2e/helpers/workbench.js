// @ts-check
// Small verbs for driving the VS Code workbench served by code-server with
// playwright-core. Specs get the page from session.js and call these.
// Selectors are the workbench's own class names (VS Code 1.139).
'use strict';
const fs = require('fs');
const path = require('path');

const OUTPUT_DIR = path.join(__dirname, '..', '..', '..', 'test-output', 'e2e');

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('playwright-core').FrameLocator} FrameLocator */

/**
 * Keys typed while a webview (an iframe) has focus never reach the workbench.
 * @param {Page} page
 * @returns {Promise<void>}
 */
async function blurWebviews(page) {
  await page.evaluate(() => {
    const a = document.activeElement;
    if (a instanceof HTMLElement && a.tagName === 'IFRAME') a.blur();
  });
}

/**
 * Waits until the workbench has loaded (~12 s on this machine the first time).
 * Does not depend on which view the side bar shows.
 * @param {Page} page
 * @param {number} [timeout]
 * @returns {Promise<void>}
 */
async function waitForWorkbench(page, timeout = 90_000) {
  await page.locator('.monaco-workbench').waitFor({ timeout });
  await page.locator('.part.statusbar').waitFor({ timeout });
  await page.locator('.part.editor').waitFor({ timeout });
}

/**
 * Shows the explorer unless it is already visible, and waits for its rows.
 * Right after a (re)load the keybindings may not be ready yet, so this clicks
 * the activity bar's Explorer entry, falling back to Ctrl+Shift+E, and retries.
 * @param {Page} page
 * @param {number} [timeout]
 * @returns {Promise<void>}
 */
async function showExplorer(page, timeout = 60_000) {
  const rows = page.locator('.explorer-folders-view .monaco-list-row').first();
  // The whole action item, not its <a>: the "N unsaved files" badge sits on
  // top of the icon and would intercept a click aimed at the <a>.
  const entry = page.locator('.part.activitybar .action-item:has(a[aria-label^="Explorer"])').first();
  const t0 = Date.now();
  while (!(await rows.isVisible())) {
    if (Date.now() - t0 > timeout) throw new Error(`the explorer did not show within ${timeout} ms`);
    if (await entry.isVisible())
      await entry.click({ timeout: 5_000 }).catch(() => page.keyboard.press('Control+Shift+E'));
    else {
      await blurWebviews(page);
      await page.keyboard.press('Control+Shift+E');
    }
    await rows.waitFor({ timeout: 3_000 }).catch(() => undefined);
  }
}

/**
 * Opens a workspace file by clicking through the explorer; `relPath` like 'src/ring.c'.
 * @param {Page} page
 * @param {string} relPath
 * @returns {Promise<void>}
 */
async function openFile(page, relPath) {
  await showExplorer(page);
  const parts = relPath.split('/');
  for (const [i, name] of parts.entries()) {
    const row = page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${name}"]`).first();
    await row.waitFor({ timeout: 20_000 });
    const isLast = i === parts.length - 1;
    const expanded = await row.getAttribute('aria-expanded');
    if (isLast || expanded !== 'true') await row.click();
  }
  const file = parts[parts.length - 1];
  await page.locator(`.tabs-container .tab[data-resource-name="${file}"]`).first().waitFor({ timeout: 20_000 });
  await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ timeout: 20_000 });
}

/**
 * Runs a command from the palette: F1, type its title, pick the matching entry,
 * Enter. Extension commands are listed only once the extension host has
 * registered them (the status bar says "Activating Extensions..." until then),
 * so the palette is reopened until the entry shows up or `timeout` passes.
 * @param {Page} page
 * @param {string} title
 * @param {number} [timeout]
 * @returns {Promise<void>}
 */
async function runCommand(page, title, timeout = 45_000) {
  const t0 = Date.now();
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: title }).first();
  for (;;) {
    await blurWebviews(page);
    await page.keyboard.press('F1');
    await input.waitFor({ timeout: 10_000 });
    await input.fill(`>${title}`);
    try {
      await row.waitFor({ timeout: 5_000 });
      break;
    } catch (err) {
      await page.keyboard.press('Escape');
      if (Date.now() - t0 > timeout)
        throw new Error(`no command "${title}" in the palette after ${timeout} ms`, { cause: err });
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
}

/**
 * Replaces the user settings through the workbench's own editor (Preferences:
 * Open User Settings (JSON), select all, insert, save, close) and waits until
 * <userDataDir>/User/settings.json holds them. Writing that file from outside
 * is not picked up by code-server here. VS Code 1.139 may open the file in a
 * modal editor rather than a tab, so this works on the focused editor.
 * @param {Page} page
 * @param {string} userDataDir
 * @param {Record<string, unknown>} settings
 * @returns {Promise<void>}
 */
async function setUserSettings(page, userDataDir, settings) {
  // One line: typed newlines would trigger auto-indent and auto-closed braces.
  const text = JSON.stringify(settings);
  const file = path.join(userDataDir, 'User', 'settings.json');
  await runCommand(page, 'Preferences: Open User Settings (JSON)');
  await page.locator('.monaco-editor.focused').first().waitFor({ timeout: 20_000 });
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
  await page.keyboard.press('Control+S');
  const t0 = Date.now();
  const saved = () => fs.existsSync(file) && fs.readFileSync(file, 'utf8').trim() === text;
  while (!saved()) {
    if (Date.now() - t0 > 10_000) {
      const disk = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '(missing)';
      throw new Error(`settings.json was not saved as ${text}; on disk: ${disk}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await page.keyboard.press('Control+W');
}

/**
 * The user settings in <userDataDir>/User/settings.json ({} while there is no such file).
 * @param {string} userDataDir
 * @returns {Record<string, unknown>}
 */
function readUserSettings(userDataDir) {
  const file = path.join(userDataDir, 'User', 'settings.json');
  if (!fs.existsSync(file)) return {};
  /** @type {unknown} */
  const settings = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
    throw new Error(`${file} does not hold a JSON object: ${JSON.stringify(settings)}`);
  }
  return /** @type {Record<string, unknown>} */ (settings);
}

/**
 * Texts of the visible status bar items.
 * @param {Page} page
 * @returns {Promise<string[]>}
 */
async function readStatusBar(page) {
  return page
    .locator('.part.statusbar .statusbar-item')
    .evaluateAll((els) => els.map((e) => (e.textContent ?? '').trim()).filter(Boolean));
}

/**
 * Waits for a notification toast whose text matches `pattern`; returns its text.
 * @param {Page} page
 * @param {RegExp | string} pattern
 * @param {number} [timeout]
 * @returns {Promise<string>}
 */
async function waitForNotification(page, pattern, timeout = 60_000) {
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: pattern }).first();
  await toast.waitFor({ timeout });
  return (await toast.locator('.notification-list-item-message').innerText()).trim();
}

/**
 * Hovers over the character at 1-based line/column of the active editor; returns the hover text.
 * @param {Page} page
 * @param {number} line
 * @param {number} column
 * @param {number} [timeout]
 * @returns {Promise<string>}
 */
async function hoverAt(page, line, column, timeout = 15_000) {
  const editor = page.locator('.editor-instance .monaco-editor').first();
  const lineEl = editor.locator('.view-lines .view-line').nth(line - 1);
  const box = await lineEl.boundingBox();
  if (!box) throw new Error(`line ${line} is not visible`);
  const charWidth = await editor.evaluate((e) => {
    const span = e.querySelector('.view-lines .view-line span span');
    return span ? span.getBoundingClientRect().width / Math.max(1, (span.textContent ?? '').length) : 8;
  });
  await page.mouse.move(box.x + (column - 0.5) * charWidth, box.y + box.height / 2);
  const hover = page.locator('.monaco-hover-content').first();
  await hover.waitFor({ timeout });
  return ((await hover.textContent()) ?? '').trim();
}

/**
 * The body of a webview view (e.g. the LSTM Lens panel): nested iframes.
 * @param {Page} page
 * @returns {FrameLocator}
 */
function webviewFrame(page) {
  return page.frameLocator('iframe.webview.ready').first().frameLocator('#active-frame');
}

/**
 * Saves a PNG under test-output/e2e/<name>.png and returns its path.
 * @param {Page} page
 * @param {string} name
 * @returns {Promise<string>}
 */
async function screenshot(page, name) {
  fs.mkdirSync(OUTPUT_DIR, { recursive: true });
  const file = path.join(OUTPUT_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

module.exports = {
  OUTPUT_DIR,
  waitForWorkbench,
  blurWebviews,
  showExplorer,
  openFile,
  runCommand,
  setUserSettings,
  readUserSettings,
  readStatusBar,
  waitForNotification,
  hoverAt,
  webviewFrame,
  screenshot,
};
