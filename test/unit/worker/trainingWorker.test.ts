import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Worker } from 'worker_threads';
import { WorkerHandle } from '../../../src/worker/workerHandle';
import { isWorkerControl } from '../../../src/protocol/workerControl';
import { readModelFile } from '../../../src/core/model/modelFile';
import type { FromTrainingWorker, TrainingJob } from '../../../src/protocol/trainingProtocol';
import { compiledWorker } from '../../helpers/compiledWorker';

const WORKER = compiledWorker('trainingWorker');

function files(): { name: string; text: string }[] {
  return Array.from({ length: 4 }, (_, f) => ({
    name: `f${f}.py`,
    text: Array.from({ length: 40 }, (_, j) => `def f${j % 9}(x):\n    return "s${f}"\n`).join(''),
  }));
}

/** Runs a job; `onMessage` may post to the worker. Resolves with every message when done or error arrives. */
function runJob(
  job: TrainingJob,
  onMessage?: (m: FromTrainingWorker, w: Worker) => void,
): Promise<FromTrainingWorker[]> {
  const h = new WorkerHandle(WORKER);
  const w = h.worker;
  const seen: FromTrainingWorker[] = [];
  return new Promise((resolve, reject) => {
    w.on('error', reject);
    w.on('message', (m: FromTrainingWorker) => {
      if (isWorkerControl(m)) return;
      seen.push(m);
      onMessage?.(m, w);
      if (m.kind === 'done' || m.kind === 'error')
        void h
          .stop()
          .then((exited) =>
            exited ? resolve(seen) : reject(new Error('the training worker did not exit after workerShutdown')),
          );
    });
    w.postMessage({ kind: 'start', job });
  });
}

describe('training worker', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-tw-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const settings = {
    hiddenSize: 16,
    embeddingSize: 4,
    seqLength: 16,
    batchSize: 4,
    threads: 1,
    validationFraction: 0.25,
  };

  it('trains in a worker thread, reports progress, checkpoints and writes a model that loads', async () => {
    const outPath = path.join(tmp, 'w.onnx');
    const seen = await runJob({
      files: files(),
      outPath,
      settings: { ...settings, maxSteps: 20, evalEvery: 10, sampleEvery: 20, sampleLength: 10 },
    });
    const kinds = seen.map((m) => m.kind);
    assert.strictEqual(kinds[0], 'started');
    assert.ok(kinds.includes('progress') && kinds.includes('checkpoint') && kinds.includes('sample'), kinds.join(','));
    const done = seen[seen.length - 1];
    assert.ok(done.kind === 'done', JSON.stringify(done));
    assert.strictEqual(done.outcome.stoppedBy, 'steps');
    assert.strictEqual(done.outcome.steps, 20);
    assert.ok(done.outcome.modelWritten);
    const model = await readModelFile(outPath);
    assert.strictEqual(model.metadata['lstm_lens.val_bits_per_char'], done.outcome.bestValBitsPerChar.toFixed(4));
  });

  it('stops on cancel and keeps the best model so far', async () => {
    const outPath = path.join(tmp, 'c.onnx');
    const seen = await runJob(
      { files: files(), outPath, settings: { ...settings, maxSteps: 100000, evalEvery: 5 } },
      (m, w) => {
        if (m.kind === 'checkpoint') w.postMessage({ kind: 'cancel' });
      },
    );
    const done = seen[seen.length - 1];
    assert.ok(done.kind === 'done', JSON.stringify(done));
    assert.strictEqual(done.outcome.stoppedBy, 'aborted');
    assert.ok(done.outcome.steps < 100000 && done.outcome.modelWritten);
    assert.ok(fs.existsSync(outPath));
  });

  it('reports a bad job as an error message naming the problem', async () => {
    const seen = await runJob({ files: [], outPath: path.join(tmp, 'x.onnx'), settings: { maxSteps: 1 } });
    const last = seen[seen.length - 1];
    assert.ok(last.kind === 'error' && /no training files/.test(last.error), JSON.stringify(last));
  });
});
