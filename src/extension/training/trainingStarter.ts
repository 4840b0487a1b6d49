// Starts one training run in its own worker thread (dist/trainingWorker.js)
// and turns the worker's messages (src/protocol/trainingProtocol.ts) into
// callbacks and one promise. No `vscode` import: unit-tested by spawning the
// compiled worker. The worker is asked to stop when the run ends or fails and
// exits on its own (never terminated: workerHandle.ts); a crash rejects with
// the exit code named.

import { WorkerHandle } from '../workers/workerHandle';
import type { CorpusSummary, TrainProgress } from '../../core/training/trainer';
import type { ModelShape } from '../../core/training/modelParams';
import type { FromTrainingWorker, TrainingJob, TrainingOutcome } from '../../protocol/trainingProtocol';

export interface TrainingEvents {
  onStarted?(summary: CorpusSummary, shape: ModelShape, parameterCount: number): void;
  onProgress?(p: TrainProgress): void;
  onCheckpoint?(c: { step: number; valBitsPerChar: number }): void;
  onSample?(s: { step: number; text: string }): void;
}

export interface TrainingRun {
  /** Resolves when the run ends (also after cancel); rejects with the trainer's or the worker's error. */
  readonly done: Promise<TrainingOutcome>;
  /** Asks the trainer to stop after the current step; the best model so far stays on disk. */
  cancel(): void;
}

export function startTraining(workerPath: string, job: TrainingJob, events: TrainingEvents = {}): TrainingRun {
  const handle = new WorkerHandle(workerPath);
  const worker = handle.worker;
  let finished = false;
  const done = new Promise<TrainingOutcome>((resolve, reject) => {
    const end = (f: () => void): void => {
      if (finished) return;
      finished = true;
      void handle.stop(); // never terminate(): src/extension/workers/workerHandle.ts
      f();
    };
    worker.on('message', (m: FromTrainingWorker) => {
      try {
        switch (m.kind) {
          case 'started':
            return events.onStarted?.(m.summary, m.shape, m.parameterCount);
          case 'progress':
            return events.onProgress?.(m.progress);
          case 'checkpoint':
            return events.onCheckpoint?.(m);
          case 'sample':
            return events.onSample?.(m);
          case 'done':
            return end(() => resolve(m.outcome));
          case 'error':
            return end(() => reject(new Error(m.error)));
        }
      } catch (err) {
        // A listener's bug must not leave the worker running unseen.
        end(() => reject(err instanceof Error ? err : new Error(String(err))));
      }
    });
    worker.on('error', (err) => end(() => reject(new Error(`training worker ${workerPath} failed: ${err.message}`))));
    worker.on('exit', (code) =>
      end(() => reject(new Error(`training worker ${workerPath} exited with code ${code} before finishing`))),
    );
  });
  worker.postMessage({ kind: 'start', job });
  return {
    done,
    cancel: () => {
      if (!finished) worker.postMessage({ kind: 'cancel' });
    },
  };
}
