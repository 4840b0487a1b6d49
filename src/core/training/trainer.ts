// The training loop: files → vocabulary and id streams → one ONNX graph run
// per step (forward + BPTT, trainingGraph.ts) → global-norm clipping and Adam
// in JS → periodic validation, best-so-far checkpoint (atomic model file),
// samples and progress. Usable from a worker: plain callbacks and an
// AbortSignal, no `vscode`.

import { writeModelFile } from '../model/modelFile';
import { Vocabulary } from '../model/vocab';
import type { CharModel } from '../model/types';
import { Adam, clipScale, globalNorm } from './adam';
import { encodeFiles, splitByFile, vocabularyFor } from './corpusSplit';
import { GraphSession } from './graphSession';
import { ShardedSession } from './shardedSession';
import { createTrainSession } from './trainSession';
import type { TrainEngine } from './trainSession';
import { initParams, modelToParams, ParamLayout, paramsToModel, shapeOfModel } from './modelParams';
import type { ModelShape } from './modelParams';
import { Rng } from '../util/seededRandom';
import { Sampler } from './sampler';
import { TextBatches } from './textBatches';
import { WeightAverage } from './weightAverage';
import { resolveOptions } from './trainOptions';
import type { TrainOptions } from './trainOptions';

const LN2 = Math.LN2;

export interface TrainProgress {
  step: number;
  maxSteps?: number;
  epoch: number; // passes over the training text (fractional)
  trainBitsPerChar: number; // running average of recent steps
  valBitsPerChar?: number; // latest validation
  bestValBitsPerChar?: number;
  charsPerSecond: number; // training characters per second of training time
  elapsedSeconds: number;
  etaSeconds?: number; // to the step or time budget, when there is one
  fraction?: number; // 0..1 of the budget
  learningRate: number;
}

export interface CorpusSummary {
  trainFiles: number;
  trainChars: number;
  validationFiles: number;
  validationChars: number;
  vocabSize: number;
  note: string;
}

export interface TrainCallbacks {
  onStart?(summary: CorpusSummary, shape: ModelShape, parameterCount: number): void;
  onProgress?(p: TrainProgress): void;
  onCheckpoint?(c: { step: number; valBitsPerChar: number; path?: string }): void;
  /** Continuing a model: its validation bits/char before training. */
  onStartValidation?(valBitsPerChar: number): void;
  /**
   * After every validation, the weights as they are then (a copy). Awaited:
   * training waits while the model is scored or saved.
   */
  onSnapshot?(s: { step: number; valBitsPerChar: number; model: CharModel }): void | Promise<void>;
  onSample?(s: { step: number; text: string }): void;
}

export interface TrainResult {
  model: CharModel; // best on validation (or the last one when never validated)
  bestValBitsPerChar: number; // Infinity when never validated
  trainBitsPerChar: number;
  steps: number;
  charsTrained: number;
  seconds: number;
  stoppedBy: 'steps' | 'time' | 'early-stop' | 'aborted';
  summary: CorpusSummary;
  /** What trained: the native kernel or the ONNX graph (trainSession.ts). */
  engine: TrainEngine;
  /** Continuing a model (initModel): its validation bits/char before the first step, on the same held-out text. */
  startValBitsPerChar?: number;
}

export async function train(
  options: TrainOptions,
  callbacks: TrainCallbacks = {},
  signal?: AbortSignal,
): Promise<TrainResult> {
  const o = resolveOptions(options);
  if (o.maxSteps === undefined && o.maxSeconds === undefined && o.patience === 0 && !signal) {
    throw new RangeError('no way to stop: give maxSteps, maxSeconds, patience or an AbortSignal');
  }
  const split = o.validationFiles
    ? { train: o.files, validation: o.validationFiles, note: 'validation files given' }
    : splitByFile(o.files, o.validationFraction, o.seed);
  if (split.validation.length === 0) throw new RangeError('no validation files');
  const vocab = new Vocabulary(
    o.initModel ? o.initModel.vocab : vocabularyFor(split.train, o.vocabMaxSize, o.vocabMinCount),
  );
  const shape: ModelShape = o.initModel
    ? shapeOfModel(o.initModel)
    : {
        kind: o.kind,
        vocabSize: vocab.size,
        embeddingSize: o.embeddingSize,
        hiddenSize: o.hiddenSize,
        layers: o.layers,
      };
  const trainIds = encodeFiles(split.train, vocab);
  const valIds = encodeFiles(split.validation, vocab).subarray(0, o.maxValidationChars);
  const summary: CorpusSummary = {
    trainFiles: split.train.length,
    trainChars: trainIds.length,
    validationFiles: split.validation.length,
    validationChars: valIds.length,
    vocabSize: vocab.size,
    note: split.note,
  };
  if (valIds.length < 2) throw new RangeError(`validation text has ${valIds.length} characters; need at least 2`);

  const rng = new Rng(o.seed);
  const layout = new ParamLayout(shape);
  const params = o.initModel ? modelToParams(layout, o.initModel) : initParams(layout, rng);
  const T = o.seqLength;
  const B = o.batchSize;
  const H = shape.hiddenSize;
  const useDropout = o.dropout > 0 && shape.layers > 1;
  const batches = new TextBatches(trainIds, T, B);
  const evalT = Math.min(T, valIds.length - 1);
  const evalB = Math.max(1, Math.min(B, Math.floor((valIds.length - 1) / (evalT + 1))));
  const { session: trainer, engine } =
    o.shards > 1
      ? await ShardedSession.create(shape, T, B, params, {
          shards: o.shards,
          threadsPerShard: Math.max(1, Math.floor(o.threads / o.shards)),
          dropout: useDropout,
          kernel: o.kernel,
        }).then((session) => ({ session, engine: session.engine }))
      : await createTrainSession(shape, T, B, params, { threads: o.threads, dropout: useDropout, kernel: o.kernel });
  // What is validated, checkpointed and sampled: the raw weights, or their running average.
  const average = o.emaDecay > 0 ? new WeightAverage(params, o.emaDecay) : undefined;
  const scored = average ? average.values : params;
  const evaluator = await GraphSession.create(shape, evalT, evalB, 'eval', scored, { threads: o.threads });
  const sampler = o.sampleEvery > 0 ? await Sampler.create(shape, scored, 1) : undefined;
  const adam = new Adam(layout.total);
  const masks = useDropout ? Array.from({ length: shape.layers - 1 }, () => new Float32Array(T * B * H)) : undefined;
  callbacks.onStart?.(summary, shape, layout.total);

  const settings = {
    kind: shape.kind,
    layers: shape.layers,
    hiddenSize: H,
    embeddingSize: shape.embeddingSize,
    seqLength: T,
    batchSize: B,
    learningRate: o.learningRate,
    lrDecay: o.lrDecay,
    gradClip: o.gradClip,
    emaDecay: o.emaDecay,
    dropout: o.dropout,
    seed: o.seed,
    continuedFrom: o.initModel ? 'given model' : undefined,
  };
  let best: CharModel | undefined;
  let bestVal = Infinity;
  let lastVal: number | undefined;
  let sinceBest = 0;
  let step = 0;
  let trainLossAvg = NaN; // nats, exponential moving average
  let trainSeconds = 0;
  let stoppedBy: TrainResult['stoppedBy'];
  let startValBitsPerChar: number | undefined;
  const started = Date.now();

  const validate = async (): Promise<number> => {
    evaluator.resetState();
    const vb = new TextBatches(valIds, evalT, evalB);
    let sum = 0;
    for (let k = 0; k < vb.batchesPerEpoch; k++) {
      const b = vb.next();
      sum += (await evaluator.run(b.x, b.y)).loss;
    }
    return sum / vb.batchesPerEpoch / LN2;
  };
  const modelNow = (valBpc: number): CharModel =>
    paramsToModel(layout, scored, vocab.spec, {
      ...o.metadata,
      'lstm_lens.trainer': 'lstm-lens onnx bptt',
      'lstm_lens.training': JSON.stringify(settings),
      'lstm_lens.corpus': JSON.stringify(summary),
      'lstm_lens.val_bits_per_char': valBpc.toFixed(4),
      'lstm_lens.train_bits_per_char': (trainLossAvg / LN2).toFixed(4),
      'lstm_lens.steps': String(step),
      'lstm_lens.chars_trained': String(step * T * B),
      'lstm_lens.date': new Date().toISOString(),
    });
  const progress = (): TrainProgress => {
    const elapsed = (Date.now() - started) / 1000;
    const cps = trainSeconds > 0 ? (step * T * B) / trainSeconds : 0;
    const fracSteps = o.maxSteps ? step / o.maxSteps : 0;
    const fracTime = o.maxSeconds ? elapsed / o.maxSeconds : 0;
    const fraction = o.maxSteps || o.maxSeconds ? Math.min(1, Math.max(fracSteps, fracTime)) : undefined;
    const eta = fraction !== undefined && fraction > 0 ? (elapsed / fraction) * (1 - fraction) : undefined;
    return {
      step,
      maxSteps: o.maxSteps,
      epoch: batches.epochs,
      trainBitsPerChar: trainLossAvg / LN2,
      valBitsPerChar: lastVal,
      bestValBitsPerChar: Number.isFinite(bestVal) ? bestVal : undefined,
      charsPerSecond: cps,
      elapsedSeconds: elapsed,
      etaSeconds: eta,
      fraction,
      learningRate: lrAt(step),
    };
  };
  const lrAt = (s: number): number => o.learningRate * Math.pow(o.lrDecay, s / 1000);
  const validateAndCheckpoint = async (): Promise<void> => {
    lastVal = await validate();
    if (callbacks.onSnapshot) await callbacks.onSnapshot({ step, valBitsPerChar: lastVal, model: modelNow(lastVal) });
    if (lastVal < bestVal) {
      bestVal = lastVal;
      sinceBest = 0;
      best = modelNow(lastVal);
      if (o.outPath) await writeModelFile(best, o.outPath);
      callbacks.onCheckpoint?.({ step, valBitsPerChar: lastVal, path: o.outPath });
    } else sinceBest++;
  };

  try {
    // A model continued from gets its held-out score first, so the run can report before → after.
    const startVal = o.initModel ? await validate() : undefined;
    if (startVal !== undefined) callbacks.onStartValidation?.(startVal);
    startValBitsPerChar = startVal;
    let lastReport = 0;
    let reportedStep = -1;
    for (;;) {
      if (signal?.aborted) {
        stoppedBy = 'aborted';
        break;
      }
      if (o.maxSteps !== undefined && step >= o.maxSteps) {
        stoppedBy = 'steps';
        break;
      }
      if (o.maxSeconds !== undefined && (Date.now() - started) / 1000 >= o.maxSeconds) {
        stoppedBy = 'time';
        break;
      }
      const t0 = process.hrtime.bigint();
      const batch = batches.next();
      for (const b of batch.resetStreams) trainer.resetStream(b);
      if (masks)
        for (const m of masks)
          for (let j = 0; j < m.length; j++) m[j] = rng.next() < o.dropout ? 0 : 1 / (1 - o.dropout);
      const r = await trainer.run(batch.x, batch.y, masks);
      const norm = globalNorm(r.grads!);
      if (!Number.isFinite(r.loss) || !Number.isFinite(norm)) {
        throw new Error(
          `training diverged at step ${step + 1}: loss ${r.loss}, gradient norm ${norm}; try a lower learning rate`,
        );
      }
      adam.step(params, r.grads!, lrAt(step), clipScale(norm, o.gradClip));
      average?.update(params);
      step++;
      trainLossAvg = Number.isNaN(trainLossAvg) ? r.loss : 0.95 * trainLossAvg + 0.05 * r.loss;
      trainSeconds += Number(process.hrtime.bigint() - t0) / 1e9;
      if (step % o.evalEvery === 0) {
        await validateAndCheckpoint();
        if (o.patience > 0 && sinceBest >= o.patience) {
          stoppedBy = 'early-stop';
          break;
        }
      }
      if (sampler && step % o.sampleEvery === 0) {
        callbacks.onSample?.({ step, text: await sampler.sample(vocab, '\n', o.sampleLength, 0.8, rng) });
      }
      const now = Date.now();
      if (now - lastReport >= 500 || step % o.evalEvery === 0) {
        lastReport = now;
        reportedStep = step;
        callbacks.onProgress?.(progress());
      }
    }
    // Validate the final weights unless the run was cancelled or just validated.
    if (stoppedBy !== 'aborted' && step > 0 && step % o.evalEvery !== 0) await validateAndCheckpoint();
    if (reportedStep !== step || stoppedBy === 'early-stop') callbacks.onProgress?.(progress());
  } finally {
    await trainer.release();
    await evaluator.release();
    await sampler?.release();
  }
  return {
    model: best ?? modelNow(NaN),
    bestValBitsPerChar: bestVal,
    trainBitsPerChar: trainLossAvg / LN2,
    steps: step,
    charsTrained: step * T * B,
    seconds: (Date.now() - started) / 1000,
    stoppedBy,
    summary,
    engine,
    ...(startValBitsPerChar !== undefined ? { startValBitsPerChar } : {}),
  };
}
