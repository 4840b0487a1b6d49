// Options of a training run, their defaults and their checks. Every bad value
// is reported by name.

import type { CharModel, RecurrentKind } from '../model/types';
import type { CorpusFile } from './corpusSplit';
import { KERNEL_CHOICES } from './nativeKernel';
import type { KernelChoice } from './nativeKernel';

export interface TrainOptions {
  /** Files to train on; validation files are held out of these unless `validationFiles` is given. */
  files: CorpusFile[];
  validationFiles?: CorpusFile[];
  validationFraction?: number; // 0.1
  kind?: RecurrentKind; // 'lstm'
  layers?: number; // 1
  hiddenSize?: number; // 256
  embeddingSize?: number; // 64 (0 = one-hot input)
  vocabMaxSize?: number; // 100, including '\n', ' ' and the unknown entry
  vocabMinCount?: number; // 1
  seqLength?: number; // T = 100
  batchSize?: number; // B = 32
  learningRate?: number; // 2e-3
  /** Learning rate multiplied by this every 1000 steps (1 = constant). */
  lrDecay?: number;
  gradClip?: number; // 5 (global norm; 0 = off)
  /**
   * Validate, checkpoint and sample an exponential moving average of the
   * weights with this decay per step (weightAverage.ts); 0 = the raw weights.
   */
  emaDecay?: number;
  dropout?: number; // 0, between layers
  seed?: number; // 1
  maxSteps?: number; // no limit
  maxSeconds?: number; // no limit
  evalEvery?: number; // steps between validations, 100
  maxValidationChars?: number; // 200 000
  /** Stop after this many validations without improvement (0 = never). */
  patience?: number;
  sampleEvery?: number; // steps between samples (0 = never), 0
  sampleLength?: number; // 200
  /** Best-so-far model written here (atomically) at each improvement. */
  outPath?: string;
  /** Continue training this model (same vocabulary and shape are kept). */
  initModel?: CharModel;
  threads?: number; // 2
  /**
   * Data-parallel shards of the batch, each a worker thread with its own
   * session (shardedSession.ts); 1 trains in this thread. Default: one per
   * thread, at most one per stream.
   */
  shards?: number;
  /**
   * What trains: 'auto' (default) the native kernel for LSTM where it is
   * built and the CPU has AVX2 + FMA, else the ONNX graph; 'native' (an
   * error where it cannot); 'onnx'. Same gradient either way.
   */
  kernel?: KernelChoice;
  /** Extra metadata written into the model file (e.g. corpus summary). */
  metadata?: Record<string, string>;
}

export type ResolvedOptions = Required<
  Omit<TrainOptions, 'validationFiles' | 'outPath' | 'initModel' | 'maxSteps' | 'maxSeconds' | 'metadata'>
> &
  Pick<TrainOptions, 'validationFiles' | 'outPath' | 'initModel' | 'maxSteps' | 'maxSeconds'> & {
    metadata: Record<string, string>;
  };

/**
 * The options with their defaults, checked; a RangeError names the first bad
 * one through `nameOf` (default "option hiddenSize"; the CLI passes its flags).
 */
export function resolveOptions(
  o: TrainOptions,
  nameOf: (option: keyof ResolvedOptions) => string = (option) => `option ${option}`,
): ResolvedOptions {
  const r: ResolvedOptions = {
    files: o.files,
    validationFiles: o.validationFiles,
    validationFraction: o.validationFraction ?? 0.1,
    kind: o.kind ?? 'lstm',
    layers: o.layers ?? 1,
    hiddenSize: o.hiddenSize ?? 256,
    embeddingSize: o.embeddingSize ?? 64,
    vocabMaxSize: o.vocabMaxSize ?? 100,
    vocabMinCount: o.vocabMinCount ?? 1,
    seqLength: o.seqLength ?? 100,
    batchSize: o.batchSize ?? 32,
    learningRate: o.learningRate ?? 2e-3,
    lrDecay: o.lrDecay ?? 1,
    gradClip: o.gradClip ?? 5,
    emaDecay: o.emaDecay ?? 0,
    dropout: o.dropout ?? 0,
    seed: o.seed ?? 1,
    maxSteps: o.maxSteps,
    maxSeconds: o.maxSeconds,
    evalEvery: o.evalEvery ?? 100,
    maxValidationChars: o.maxValidationChars ?? 200_000,
    patience: o.patience ?? 0,
    sampleEvery: o.sampleEvery ?? 0,
    sampleLength: o.sampleLength ?? 200,
    outPath: o.outPath,
    initModel: o.initModel,
    threads: o.threads ?? 2,
    shards: o.shards ?? Math.min(o.threads ?? 2, o.batchSize ?? 32),
    kernel: o.kernel ?? 'auto',
    metadata: o.metadata ?? {},
  };
  const intIn = (name: keyof ResolvedOptions, lo: number, hi: number): void => {
    const v = r[name] as number;
    if (!Number.isInteger(v) || v < lo || v > hi)
      throw new RangeError(`${nameOf(name)} must be an integer in ${lo}..${hi}, got ${v}`);
  };
  const numIn = (name: keyof ResolvedOptions, lo: number, hi: number, openLo = false): void => {
    const v = r[name] as number;
    if (!Number.isFinite(v) || v < lo || v > hi || (openLo && v === lo))
      throw new RangeError(`${nameOf(name)} must be a number in ${openLo ? '(' : '['}${lo}, ${hi}], got ${v}`);
  };
  if (!Array.isArray(r.files) || r.files.length === 0) throw new RangeError('option files: no training files given');
  if (!KERNEL_CHOICES.includes(r.kernel))
    throw new RangeError(`${nameOf('kernel')} must be one of ${KERNEL_CHOICES.join(', ')}, got ${String(r.kernel)}`);
  if (r.kind !== 'lstm' && r.kind !== 'gru' && r.kind !== 'rnn')
    throw new RangeError(`${nameOf('kind')} must be 'lstm', 'gru' or 'rnn', got ${String(r.kind)}`);
  intIn('layers', 1, 3);
  intIn('hiddenSize', 1, 1024);
  intIn('embeddingSize', 0, 1024);
  intIn('vocabMaxSize', 3, 100_000);
  intIn('vocabMinCount', 1, 1e9);
  intIn('seqLength', 1, 1000);
  intIn('batchSize', 1, 1024);
  numIn('learningRate', 0, 1, true);
  numIn('lrDecay', 0, 1, true);
  numIn('gradClip', 0, 1e6);
  if (!(r.emaDecay >= 0 && r.emaDecay < 1))
    throw new RangeError(`${nameOf('emaDecay')} must be a number in [0, 1), got ${r.emaDecay}`);
  numIn('dropout', 0, 0.95);
  numIn('validationFraction', 0, 0.9, true);
  intIn('evalEvery', 1, 1e9);
  intIn('maxValidationChars', 2, 1e9);
  intIn('patience', 0, 1e6);
  intIn('sampleEvery', 0, 1e9);
  intIn('sampleLength', 1, 100_000);
  intIn('threads', 1, 64);
  intIn('shards', 1, Math.min(64, r.batchSize));
  if (r.maxSteps !== undefined) intIn('maxSteps', 1, 1e12);
  if (r.maxSeconds !== undefined) numIn('maxSeconds', 0, 1e9, true);
  if (!Number.isFinite(r.seed)) throw new RangeError(`${nameOf('seed')} must be a finite number, got ${r.seed}`);
  return r;
}
