// Starts one training run in its own worker thread (dist/trainingWorker.js)
// and turns the worker's messages (src/protocol/trainingProtocol.ts) into
// callbacks and one promise, through the shared job starter
// (workers/jobWorker.ts). No `vscode` import: unit-tested by spawning the
// compiled worker.

import { startJobWorker } from '../workers/jobWorker';
import type { CorpusSummary, TrainProgress } from '../../core/training/trainer';
import type { ModelShape } from '../../core/training/modelParams';
import type { FromTrainingWorker, TrainingJob, TrainingOutcome } from '../../protocol/trainingProtocol';

export interface TrainingEvents {
  onStarted?(summary: CorpusSummary, shape: ModelShape, parameterCount: number): void;
  onProgress?(p: TrainProgress): void;
  onCheckpoint?(c: { step: number; valBitsPerChar: number }): void;
  onSample?(s: { step: number; text: string }): void;
  /** After each validation: the features' best cell scores and the snapshot kept. */
  onCells?(c: Extract<FromTrainingWorker, { kind: 'cells' }>): void;
}

export interface TrainingRun {
  /** Resolves when the run ends (also after cancel); rejects with the trainer's or the worker's error. */
  readonly done: Promise<TrainingOutcome>;
  /** Asks the trainer to stop after the current step; the best model so far stays on disk. */
  cancel(): void;
}

export function startTraining(workerPath: string, job: TrainingJob, events: TrainingEvents = {}): TrainingRun {
  return startJobWorker<FromTrainingWorker, TrainingOutcome>(workerPath, {
    name: 'training worker',
    start: { kind: 'start', job },
    cancel: { kind: 'cancel' },
    onMessage: (m) => {
      switch (m.kind) {
        case 'started':
          events.onStarted?.(m.summary, m.shape, m.parameterCount);
          return undefined;
        case 'progress':
          events.onProgress?.(m.progress);
          return undefined;
        case 'checkpoint':
          events.onCheckpoint?.(m);
          return undefined;
        case 'sample':
          events.onSample?.(m);
          return undefined;
        case 'cells':
          events.onCells?.(m);
          return undefined;
        case 'done':
          return { result: m.outcome };
        case 'error':
          return { error: new Error(m.error) };
      }
    },
  });
}
