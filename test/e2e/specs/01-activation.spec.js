// @ts-check
// The installed .vsix activates in real VS Code (code-server), its commands
// run from the palette, and onnxruntime-node loads from inside the installed
// extension, in a worker thread.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { session } = require('../helpers/session');
const { extensionHostErrors, readLogs } = require('../helpers/logs');
const w = require('../helpers/workbench');

describe('LSTM Lens in code-server', function () {
  it('loads the workbench', async () => {
    const { page } = session();
    await w.waitForWorkbench(page);
    await w.screenshot(page, '01-workbench');
  });

  it('opens a C file from the explorer', async () => {
    const { page } = session();
    await w.openFile(page, 'src/ring.c');
    const text = (await page.locator('.editor-instance .monaco-editor .view-lines').first().textContent()) ?? '';
    assert.match(text, /ring_push/);
    await w.screenshot(page, '02-ring-c-open');
  });

  it('"LSTM Lens: Show Panel" reveals the LSTM Lens view and activates the status bar item', async () => {
    const { page, extensionVersion } = session();
    await w.runCommand(page, 'LSTM Lens: Show Panel');
    const title = page.locator('.part.sidebar .composite.title h2');
    await title.filter({ hasText: /LSTM Lens/i }).waitFor({ timeout: 30_000 });
    const heading = w.webviewFrame(page).locator('#root h3');
    await heading.waitFor({ timeout: 30_000 });
    assert.strictEqual(((await heading.textContent()) ?? '').trim(), `LSTM Lens ${extensionVersion}`);
    const items = await w.readStatusBar(page);
    assert.ok(
      items.some((t) => /LSTM Lens/.test(t)),
      `status bar items: ${JSON.stringify(items)}`,
    );
    await w.screenshot(page, '03-panel');
  });

  it('"LSTM Lens: Show Engine Info" loads onnxruntime-node from the installed extension in a worker', async () => {
    const { page, extensionsDir, extensionId, extensionVersion } = session();
    await w.runCommand(page, 'LSTM Lens: Show Engine Info');
    const toast = await w.waitForNotification(page, /onnxruntime-node \d+\.\d+\.\d+ loaded in a worker/);
    // code-server installs into <extensions>/<publisher>.<name>-<version>[-<target>]/
    const dir = fs.readdirSync(extensionsDir).find((d) => d.startsWith(`${extensionId}-${extensionVersion}`));
    assert.ok(dir, `no ${extensionId}-${extensionVersion}* folder in ${extensionsDir}`);
    const installed = path.join(extensionsDir, dir, 'node_modules', 'onnxruntime-node');
    assert.ok(toast.includes(installed), `expected the binding from ${installed}, got: ${toast}`);
    const engine = w.webviewFrame(page).locator('#engine');
    await engine.filter({ hasText: /onnxruntime-node \d+\.\d+\.\d+ on Node 24/ }).waitFor({ timeout: 15_000 });
    await w.screenshot(page, '04-engine-info');
  });

  it('activated without errors in the extension host log', async () => {
    const { userDataDir, extensionId } = session();
    const hostLog = readLogs(userDataDir)
      .filter((l) => /exthost/.test(l.file))
      .map((l) => l.text)
      .join('\n');
    assert.match(hostLog, new RegExp(`_doActivateExtension ${extensionId.replace('.', '\\.')}\\b`));
    assert.deepStrictEqual(extensionHostErrors(userDataDir, extensionId), []);
    const own = readLogs(userDataDir).find((l) => path.basename(l.file) === 'LSTM Lens.log');
    assert.ok(own, 'the LSTM Lens output channel log exists');
    assert.match(own.text, /LSTM Lens \S+ activated/);
    assert.doesNotMatch(own.text, /\[error\]/);
  });
});
