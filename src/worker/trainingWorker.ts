// Worker entry (worker_threads) for training: runs the core trainer
// (src/core/training/trainer.ts) off the extension host thread and speaks
// src/protocol/trainingProtocol.ts. One run per worker: the host starts a
// fresh worker for each run and stops it after `done` / `error` with
// `workerShutdown` (src/worker/workerShutdown.ts), never by terminating it.

import { parentPort } from 'worker_threads';
import { readModelFile } from '../core/model/modelFile';
import { train } from '../core/training/trainer';
import type { FromTrainingWorker } from '../protocol/trainingProtocol';
import { validateToWorker } from '../protocol/trainingProtocol';
import { isWorkerControl } from '../protocol/workerControl';
import { serveShutdown } from './workerShutdown';
import { lowerThreadPriority } from './backgroundPriority';
import { errorMessage } from '../core/util/errors';
import { SnapshotKeeper, featureBests, formationSample } from '../core/training/cellFormation';

if (!parentPort) throw new Error('trainingWorker must run in a worker_threads Worker');
const port = parentPort;
lowerThreadPriority();
const post = (m: FromTrainingWorker): void => port.postMessage(m);

let abort: AbortController | undefined;
let started = false;
let running: Promise<void> = Promise.resolve();

// Stopping mid-run is a cancel: the trainer stops after the current step (its own finally releases its sessions).
serveShutdown(port, {
  stop: async () => {
    abort?.abort();
    await running;
  },
});

port.on('message', (raw: unknown) => {
  if (isWorkerControl(raw)) return;
  let msg;
  try {
    msg = validateToWorker(raw);
  } catch (err) {
    return post({ kind: 'error', error: errorMessage(err) });
  }
  if (msg.kind === 'cancel') return abort?.abort();
  if (started)
    return post({ kind: 'error', error: 'this training worker already ran a job; start a new worker for another run' });
  started = true;
  abort = new AbortController();
  const { files, validationFiles, outPath, settings, initModelPath } = msg.job;
  const signal = abort.signal;
  let modelWritten = false;
  // Snapshots beside the model file: <model>.snapshots/step-<n>.onnx
  const keeper = outPath ? new SnapshotKeeper(outPath.replace(/\.onnx$/i, '') + '.snapshots') : undefined;
  const run = async (): Promise<void> => {
    const initModel = initModelPath ? await readModelFile(initModelPath) : undefined;
    const sample = formationSample(validationFiles ?? []);
    // The model stays here: the best one is already on disk at outPath.
    const { model: _model, ...rest } = await train(
      { ...settings, files, validationFiles, outPath, initModel },
      {
        onStart: (summary, shape, parameterCount) => post({ kind: 'started', summary, shape, parameterCount }),
        onProgress: (progress) => post({ kind: 'progress', progress }),
        onSnapshot: async ({ step, valBitsPerChar, model }) => {
          // A sample too small to score (or any scoring error) must not stop the run.
          const scores = sample.length ? await featureBests(model, sample).catch(() => []) : [];
          const removed = keeper ? await keeper.add(step, model) : [];
          const path = keeper?.snapshots.find((s) => s.step === step)?.path;
          post({ kind: 'cells', step, valBitsPerChar, scores, path, removed });
        },
        onCheckpoint: (c) => {
          modelWritten = true;
          post({ kind: 'checkpoint', ...c });
        },
        onSample: (s) => post({ kind: 'sample', ...s }),
      },
      signal,
    );
    post({ kind: 'done', outcome: { ...rest, outPath, modelWritten } });
  };
  running = run().catch((err: unknown) => post({ kind: 'error', error: errorMessage(err) }));
});
