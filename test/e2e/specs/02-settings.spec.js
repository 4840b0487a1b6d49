// Settings take effect without a reload: lstmLens.statusBar.show hides and
// shows the status bar item, changed through the settings editor.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { session } = require('../helpers/session');
const w = require('../helpers/workbench');

async function setUserSetting(page, userDataDir, key, value) {
  const file = path.join(userDataDir, 'User', 'settings.json');
  const settings = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  settings[key] = value;
  await w.setUserSettings(page, userDataDir, settings);
}

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
