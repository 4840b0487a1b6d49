// @ts-check
// Runs inside the VS Code extension host started by @vscode/test-electron:
// the extension activates, its commands are registered, and the engine probe
// loads onnxruntime-node in a worker.
'use strict';
const assert = require('assert');
const Mocha = require('mocha');
const vscode = require('vscode');

/** @typedef {import('../../../src/worker/engineProbe').EngineInfo} EngineInfo */

/**
 * Entry point @vscode/test-electron calls in the extension host: runs the suite, rejects on failures.
 * @returns {Promise<void>}
 */
function run() {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000 });
  mocha.suite.emit('pre-require', global, 'suite.js', mocha);
  describe('LSTM Lens (VS Code desktop)', () => {
    it('activates and registers its implemented commands', async () => {
      const ext = vscode.extensions.getExtension('lstm-lens.lstm-lens');
      assert.ok(ext, 'extension is present');
      await ext.activate();
      const all = await vscode.commands.getCommands(true);
      for (const id of ['lstmLens.showPanel', 'lstmLens.showEngineInfo']) assert.ok(all.includes(id), id);
    });

    it('loads onnxruntime-node from the extension folder in a worker', async () => {
      await vscode.commands.executeCommand('lstmLens.showPanel');
      // The command resolves to the probe's EngineInfo, or undefined after an error (src/extension/extension.ts).
      const info = /** @type {EngineInfo | undefined} */ (
        await vscode.commands.executeCommand('lstmLens.showEngineInfo')
      );
      const ext = vscode.extensions.getExtension('lstm-lens.lstm-lens');
      assert.ok(ext, 'extension is present');
      assert.ok(info, 'engine info (an error message was shown instead)');
      assert.match(info.ortVersion, /^\d+\.\d+\.\d+$/);
      assert.ok(info.ortPath.startsWith(ext.extensionPath), `${info.ortPath} is inside ${ext.extensionPath}`);
    });
  });
  return new Promise((resolve, reject) =>
    mocha.run((failures) => (failures ? reject(new Error(`${failures} tests failed`)) : resolve())),
  );
}

module.exports = { run };
