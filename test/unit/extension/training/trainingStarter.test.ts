import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readModelFile } from '../../../../src/core/model/modelFile';
import { startTraining } from '../../../../src/extension/training/trainingStarter';
import { compiledWorker } from '../../../helpers/compiledWorker';

const WORKER = compiledWorker('trainingWorker');

const files = Array.from({ length: 4 }, (_, f) => ({
  name: `f${f}.c`,
  text: Array.from({ length: 30 }, (_, j) => `int f${j % 7}(int x) { return x + ${f}; }\n`).join(''),
}));
const settings = {
  hiddenSize: 16,
  embeddingSize: 4,
  seqLength: 16,
  batchSize: 4,
  threads: 1,
  validationFraction: 0.25,
};

describe('extension/trainingStarter', function () {
  this.timeout(30_000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-starter-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('runs a job in a worker, forwards started/progress/checkpoint/sample, and resolves with the outcome', async () => {
    const outPath = path.join(tmp, 'a.onnx');
    const seen: string[] = [];
    const run = startTraining(
      WORKER,
      { files, outPath, settings: { ...settings, maxSteps: 30, evalEvery: 10, sampleEvery: 30, sampleLength: 10 } },
      {
        onStarted: (s) => seen.push(`started ${s.trainFiles}+${s.validationFiles}`),
        onProgress: () => seen.push('progress'),
        onCheckpoint: () => seen.push('checkpoint'),
        onSample: (s) => seen.push(`sample ${s.text.length}`),
      },
    );
    const outcome = await run.done;
    assert.strictEqual(seen[0], 'started 3+1');
    assert.ok(seen.includes('progress') && seen.includes('checkpoint') && seen.includes('sample 10'), seen.join(','));
    assert.strictEqual(outcome.stoppedBy, 'steps');
    assert.strictEqual(outcome.steps, 30);
    assert.ok(outcome.modelWritten);
    const model = await readModelFile(outPath);
    assert.strictEqual(model.metadata['lstm_lens.val_bits_per_char'], outcome.bestValBitsPerChar.toFixed(4));
  });

  it('cancel stops the run and keeps the best model so far', async () => {
    const outPath = path.join(tmp, 'b.onnx');
    const run: ReturnType<typeof startTraining> = startTraining(
      WORKER,
      { files, outPath, settings: { ...settings, maxSteps: 1_000_000, evalEvery: 3 } },
      {
        onCheckpoint: () => run.cancel(),
      },
    );
    const outcome = await run.done;
    assert.strictEqual(outcome.stoppedBy, 'aborted');
    assert.ok(outcome.steps < 1_000_000);
    assert.ok(outcome.modelWritten && fs.existsSync(outPath));
  });

  it('rejects with the trainer error, naming the option', async () => {
    const run = startTraining(WORKER, {
      files,
      outPath: path.join(tmp, 'c.onnx'),
      settings: { ...settings, hiddenSize: 0, maxSteps: 1 },
    });
    await assert.rejects(run.done, /option hiddenSize must be an integer in 1\.\.1024, got 0/);
  });

  it('rejects naming the worker file when the worker cannot start', async () => {
    const run = startTraining(path.join(tmp, 'missing.js'), {
      files,
      outPath: path.join(tmp, 'd.onnx'),
      settings: { maxSteps: 1 },
    });
    await assert.rejects(run.done, /training worker .*missing\.js/);
  });
});
