import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { runEngineInfoWorker } from '../../../src/extension/workers/engineInfo';
import { probeEngine } from '../../../src/worker/engineProbe';
import { compiledWorker } from '../../helpers/compiledWorker';

// out/test/unit/worker -> out/src/worker/engineInfoWorker.js (compiled by tsc)
const WORKER = compiledWorker('engineInfoWorker');
const ORT_VERSION = (
  JSON.parse(fs.readFileSync(require.resolve('onnxruntime-node/package.json'), 'utf8')) as { version: string }
).version;

describe('engine probe', () => {
  it('loads onnxruntime-node in this process and reports the installed version', async () => {
    const info = await probeEngine();
    assert.strictEqual(info.ortVersion, ORT_VERSION);
    assert.strictEqual(
      fs.realpathSync(info.ortPath),
      fs.realpathSync(path.dirname(require.resolve('onnxruntime-node/package.json'))),
    );
    assert.strictEqual(info.platform, `${process.platform}-${process.arch}`);
  });

  it('runs in a worker thread and answers through the starter', async () => {
    const info = await runEngineInfoWorker(WORKER);
    assert.strictEqual(info.ortVersion, ORT_VERSION);
    assert.strictEqual(info.nodeVersion, process.versions.node);
  });

  it('rejects with the worker file named when the worker cannot start', async () => {
    const missing = path.join(__dirname, 'noSuchWorker.js');
    await assert.rejects(runEngineInfoWorker(missing), /noSuchWorker\.js|Cannot find module/);
  });
});
