// @ts-check
// Settings take effect without a reload: lstmLens.statusBar.show hides and
// shows the status bar item, changed through the settings editor.
'use strict';
const assert = require('assert');
const { session } = require('../helpers/session');
const w = require('../helpers/workbench');

/** @typedef {import('playwright-core').Page} Page */

/**
 * Sets one user setting through the workbench's settings editor, keeping the others.
 * @param {Page} page
 * @param {string} userDataDir
 * @param {string} key
 * @param {unknown} value
 */
async function setUserSetting(page, userDataDir, key, value) {
  const settings = w.readUserSettings(userDataDir);
  settings[key] = value;
  await w.setUserSettings(page, userDataDir, settings);
}

/**
 * Waits until the LSTM Lens status bar item is there (`present`) or gone; returns the items.
 * @param {Page} page
 * @param {boolean} present
 * @param {number} [timeout]
 * @returns {Promise<string[]>}
 */
async function waitForStatusItem(page, present, timeout = 20_000) {
  const t0 = Date.now();
  for (;;) {
    const items = await w.readStatusBar(page);
    if (items.some((t) => /LSTM Lens/.test(t)) === present) return items;
    if (Date.now() - t0 > timeout) {
      assert.fail(`status bar item ${present ? 'did not appear' : 'did not go away'}: ${JSON.stringify(items)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('LSTM Lens settings', function () {
  it('lstmLens.statusBar.show hides and shows the status bar item', async () => {
    const { page, userDataDir } = session();
    await w.runCommand(page, 'LSTM Lens: Show Panel'); // activates the extension if no earlier spec did
    await waitForStatusItem(page, true);
    await setUserSetting(page, userDataDir, 'lstmLens.statusBar.show', false);
    await waitForStatusItem(page, false);
    await w.screenshot(page, '05-status-hidden');
    await setUserSetting(page, userDataDir, 'lstmLens.statusBar.show', true);
    await waitForStatusItem(page, true);
  });
});
