// Messages between the extension host (src/extension/training/trainingStarter.ts) and
// the training worker (src/worker/trainingWorker.ts).
//
// Flow: host posts { kind: 'start', job } once → worker posts `started`, then
// `progress`, `checkpoint` and `sample` events → exactly one `done` or
// `error`. { kind: 'cancel' } at any time: the trainer stops after the current
// step, `done.outcome.stoppedBy` is 'aborted', and the best model so far stays
// at job.outPath (written atomically at each validation improvement).

import type { ModelShape } from '../core/training/modelParams';
import type { CorpusFile } from '../core/training/corpusSplit';
import type { TrainOptions } from '../core/training/trainOptions';
import type { CorpusSummary, TrainProgress, TrainResult } from '../core/training/trainer';
import type { FeatureBest } from '../core/training/cellFormation';

// The trainer's own shapes travel as they are (plain data).
export type { CorpusSummary, TrainProgress };

/** trainer.ts TrainResult without the model on the wire. */
export type TrainResultWire = Omit<TrainResult, 'model'>;

export interface TrainingJob {
  files: CorpusFile[];
  /** Held-out files; when absent the trainer holds out whole files itself. */
  validationFiles?: CorpusFile[];
  /** Best-so-far model, written atomically. */
  outPath: string;
  /** Continue training this model file (its vocabulary and sizes are kept). */
  initModelPath?: string;
  /** Every other trainer option (sizes, budget, seed, metadata…). */
  settings: Omit<TrainOptions, 'files' | 'validationFiles' | 'outPath' | 'initModel'>;
}

export type ToTrainingWorker = { kind: 'start'; job: TrainingJob } | { kind: 'cancel' };

/** TrainResult without the model itself (that is on disk at outPath when modelWritten, i.e. this run checkpointed at least once). */
export type TrainingOutcome = TrainResultWire & { modelWritten: boolean; outPath: string };

export type FromTrainingWorker =
  | { kind: 'started'; summary: CorpusSummary; shape: ModelShape; parameterCount: number }
  | { kind: 'progress'; progress: TrainProgress }
  | { kind: 'checkpoint'; step: number; valBitsPerChar: number; path?: string }
  | { kind: 'sample'; step: number; text: string }
  /** After each validation: every feature's best cell score on a fixed held-out sample, and the snapshot kept (path) or not. */
  | {
      kind: 'cells';
      step: number;
      valBitsPerChar: number;
      scores: FeatureBest[];
      path?: string;
      /** Steps whose snapshots were removed to keep the set bounded. */
      removed: number[];
    }
  | { kind: 'done'; outcome: TrainingOutcome }
  | { kind: 'error'; error: string };

/** Checks the shape of a message to the worker (the options themselves are checked by the trainer); throws naming the problem. */
export function validateToWorker(m: unknown): ToTrainingWorker {
  if (typeof m !== 'object' || m === null)
    throw new TypeError(`training worker message must be an object, got ${m === null ? 'null' : typeof m}`);
  const kind = (m as { kind?: unknown }).kind;
  if (kind === 'cancel') return { kind: 'cancel' };
  if (kind !== 'start') throw new TypeError(`unknown training worker message kind ${JSON.stringify(kind)}`);
  const job = (m as { job?: unknown }).job as Partial<TrainingJob> | undefined;
  if (typeof job !== 'object' || job === null) throw new TypeError('start message needs a job object');
  const isFile = (f: unknown): boolean => {
    const o = f as { name?: unknown; text?: unknown } | null;
    return typeof o === 'object' && o !== null && typeof o.name === 'string' && typeof o.text === 'string';
  };
  const isFiles = (v: unknown): boolean => Array.isArray(v) && v.every(isFile);
  if (!isFiles(job.files)) throw new TypeError('job.files must be an array of { name: string, text: string }');
  if (job.validationFiles !== undefined && !isFiles(job.validationFiles))
    throw new TypeError('job.validationFiles must be an array of { name: string, text: string }');
  if (typeof job.outPath !== 'string' || job.outPath === '') throw new TypeError('job.outPath must be a file path');
  if (job.initModelPath !== undefined && (typeof job.initModelPath !== 'string' || job.initModelPath === ''))
    throw new TypeError('job.initModelPath must be a file path');
  if (typeof job.settings !== 'object' || job.settings === null) throw new TypeError('job.settings must be an object');
  return { kind: 'start', job: job as TrainingJob };
}
