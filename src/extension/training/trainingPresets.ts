// The "Train Model on Workspace…" presets and the custom option, as plain
// functions (unit-tested without VS Code). A preset is a model size plus a
// time budget; sizes were chosen for the ONNX trainer's speed on a 2-core
// machine (a 1×256 LSTM at ~30–50k chars/s, `npm run bench:train`):
//   quick    ≈ 2 min   1 layer × 128, embedding 32, T 64
//   balanced ≈ 10 min  1 layer × 256, embedding 64, T 100
//   thorough ≈ 1 h     2 layers × 384, embedding 64, T 100, dropout 0.1
// All stop early when validation stops improving (patience), and the batch
// shape shrinks to fit a small corpus (every stream needs T + 1 characters).

import * as path from 'path';
import type { RecurrentKind } from '../../core/model/types';
import type { TrainOptions } from '../../core/training/trainOptions';

export type PresetId = 'quick' | 'balanced' | 'thorough' | 'custom' | 'finetune' | 'trio';

export interface ModelPlan {
  preset: PresetId;
  /** Cell type: LSTM (presets), or GRU / vanilla RNN in a custom run. */
  kind: RecurrentKind;
  layers: number;
  hiddenSize: number;
  embeddingSize: number;
  seqLength: number; // T
  batchSize: number; // B
  dropout: number;
  maxSeconds?: number;
  maxSteps?: number;
  evalEvery: number; // steps between validations (and best-so-far checkpoints)
  patience: number; // validations without improvement before stopping
  sampleEvery: number; // steps between generated samples for the panel
  /** Fine-tuning: the model file training continues from (its vocabulary and sizes are kept). */
  initModelPath?: string;
  learningRate?: number;
}

/** The active model, as fine-tuning needs it. */
export interface ActiveModelShape {
  name: string;
  path: string;
  layers: { kind: RecurrentKind; hiddenSize: number; inputSize: number }[];
  vocabSize: number;
}

/** Learning rate of a fine-tuning run: a quarter of a fresh run's 2e-3, so the model moves without forgetting. */
export const FINE_TUNE_LEARNING_RATE = 5e-4;
export const FINE_TUNE_DEFAULT_BUDGET = '2 min';

/**
 * Fine-tuning the active model on the workspace: its cell type, layers and
 * sizes (the trainer takes them from the file), a time or step budget.
 * Throws a RangeError naming why a model cannot be fine-tuned here.
 */
export function fineTunePlan(model: ActiveModelShape, budget: Budget): ModelPlan {
  const first = model.layers[0];
  if (!first) throw new RangeError(`model "${model.name}" has no recurrent layers`);
  if (model.layers.some((l) => l.kind !== first.kind || l.hiddenSize !== first.hiddenSize))
    throw new RangeError(
      `model "${model.name}" mixes layer kinds or sizes (${model.layers.map((l) => `${l.kind} ${l.hiddenSize}`).join(', ')}); the trainer needs one of each`,
    );
  if (budget.maxSeconds === undefined && budget.maxSteps === undefined)
    throw new RangeError('fine-tuning needs a time or step budget');
  const H = first.hiddenSize;
  return plan({
    preset: 'finetune',
    kind: first.kind,
    layers: model.layers.length,
    hiddenSize: H,
    embeddingSize: first.inputSize === model.vocabSize ? 0 : first.inputSize,
    seqLength: 100,
    batchSize: 32,
    ...budget,
    evalEvery: budget.maxSteps !== undefined ? Math.max(1, Math.min(100, Math.round(budget.maxSteps / 10))) : 50,
    patience: 0,
    initModelPath: model.path,
    learningRate: FINE_TUNE_LEARNING_RATE,
  });
}

export interface PresetChoice {
  id: PresetId;
  label: string;
  description: string;
  plan?: ModelPlan; // undefined for custom
}

const plan = (p: Omit<ModelPlan, 'dropout' | 'sampleEvery' | 'kind'> & Partial<ModelPlan>): ModelPlan => ({
  kind: 'lstm',
  dropout: 0,
  sampleEvery: p.evalEvery * 2,
  ...p,
});

/** Size and default budget of each model of the RNN vs GRU vs LSTM series. */
export const TRIO_HIDDEN = 128;
export const TRIO_DEFAULT_BUDGET = '2 min';

export const PRESETS: readonly PresetChoice[] = [
  {
    id: 'quick',
    label: 'Quick',
    description: '≈ 2 min · 1 layer × 128',
    plan: plan({
      preset: 'quick',
      layers: 1,
      hiddenSize: 128,
      embeddingSize: 32,
      seqLength: 64,
      batchSize: 32,
      maxSeconds: 120,
      evalEvery: 50,
      patience: 6,
    }),
  },
  {
    id: 'balanced',
    label: 'Balanced',
    description: '≈ 10 min · 1 layer × 256',
    plan: plan({
      preset: 'balanced',
      layers: 1,
      hiddenSize: 256,
      embeddingSize: 64,
      seqLength: 100,
      batchSize: 32,
      maxSeconds: 600,
      evalEvery: 100,
      patience: 8,
    }),
  },
  {
    id: 'thorough',
    label: 'Thorough',
    description: '≈ 1 h · 2 layers × 384',
    plan: plan({
      preset: 'thorough',
      layers: 2,
      hiddenSize: 384,
      embeddingSize: 64,
      seqLength: 100,
      batchSize: 32,
      maxSeconds: 3600,
      evalEvery: 200,
      patience: 10,
      dropout: 0.1,
    }),
  },
  { id: 'custom', label: 'Custom…', description: 'layers, hidden size, and a time or step budget' },
  {
    id: 'trio',
    label: 'RNN vs GRU vs LSTM (same budget)',
    description: `three models × 1 layer × ${TRIO_HIDDEN}, ≈ 2 min each, to compare`,
  },
];

export interface Budget {
  maxSeconds?: number;
  maxSteps?: number;
}

/** '90s', '2 min', '1.5h', '10m', '500 steps' → a budget; anything else throws a RangeError naming the text. */
export function parseBudget(text: string): Budget {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hrs|hours?|steps?)\s*$/i.exec(text);
  if (!m)
    throw new RangeError(
      `budget "${text}" is not a duration or a step count: write e.g. "5 min", "90 s", "1 h" or "300 steps"`,
    );
  const n = Number(m[1]);
  const unit = m[2].toLowerCase();
  if (unit.startsWith('step')) {
    if (!Number.isInteger(n) || n < 1 || n > 10_000_000)
      throw new RangeError(`budget "${text}": steps must be a whole number from 1 to 10000000`);
    return { maxSteps: n };
  }
  const seconds = unit.startsWith('h') ? n * 3600 : unit.startsWith('m') ? n * 60 : n;
  if (!(seconds >= 1 && seconds <= 24 * 3600))
    throw new RangeError(`budget "${text}" must be between 1 second and 24 hours`);
  return { maxSeconds: seconds };
}

/** A whole number in lo..hi from an input box, or a RangeError naming the field. */
export function parseIntIn(text: string, name: string, lo: number, hi: number): number {
  const t = text.trim();
  const n = /^\d+$/.test(t) ? Number(t) : NaN;
  if (!Number.isInteger(n) || n < lo || n > hi)
    throw new RangeError(`${name} must be a whole number from ${lo} to ${hi}, got "${text}"`);
  return n;
}

/** The RNN vs GRU vs LSTM series: the same size, embedding, T, B and budget for each cell type. */
export function trioPlans(budget: Budget, hiddenSize = TRIO_HIDDEN): ModelPlan[] {
  return (['rnn', 'gru', 'lstm'] as const).map((kind) => ({
    ...customPlan(1, hiddenSize, budget, kind),
    preset: 'trio' as const,
  }));
}

/** The cell types a custom run offers, in the order of the lectures. */
export const CELL_TYPES: readonly { kind: RecurrentKind; label: string; detail: string }[] = [
  { kind: 'lstm', label: 'LSTM', detail: 'input, forget and output gates and a cell state c (the default)' },
  { kind: 'gru', label: 'GRU', detail: 'update and reset gates, no separate cell state' },
  { kind: 'rnn', label: 'Vanilla RNN', detail: 'h = tanh(W x + R h + b): no gates; its gradient fades over distance' },
];

/** The custom plan: the cell type, layers and hidden size; embedding, T and B scale with the size. */
export function customPlan(
  layers: number,
  hiddenSize: number,
  budget: Budget,
  kind: RecurrentKind = 'lstm',
): ModelPlan {
  parseIntIn(String(layers), 'layers', 1, 3);
  parseIntIn(String(hiddenSize), 'hidden size', 8, 1024);
  if (budget.maxSeconds === undefined && budget.maxSteps === undefined)
    throw new RangeError('custom training needs a time or step budget');
  const evalEvery =
    budget.maxSteps !== undefined
      ? Math.max(1, Math.min(100, Math.round(budget.maxSteps / 10)))
      : hiddenSize <= 128
        ? 50
        : 100;
  return plan({
    preset: 'custom',
    kind,
    layers,
    hiddenSize,
    embeddingSize: Math.min(64, Math.max(16, hiddenSize >> 2)),
    seqLength: hiddenSize <= 64 ? 50 : 100,
    batchSize: 32,
    dropout: layers > 1 ? 0.1 : 0,
    ...budget,
    evalEvery,
    patience: budget.maxSteps !== undefined ? 0 : 8,
  });
}

/**
 * Shrinks B, then T, so that B streams of T + 1 characters fit in the
 * training text and the validation text yields at least one batch. Throws a
 * RangeError naming the sizes when even B = 1, T = 8 does not fit.
 */
export function fitToCorpus(p: ModelPlan, trainChars: number, validationChars: number): ModelPlan {
  let T = p.seqLength;
  let B = p.batchSize;
  while (B > 1 && B * (T + 1) > trainChars) B = Math.max(1, B >> 1);
  while (T > 8 && B * (T + 1) > trainChars) T = Math.max(8, T >> 1);
  if (B * (T + 1) > trainChars)
    throw new RangeError(
      `the training text has ${trainChars} characters; at least ${B * (T + 1)} are needed (add files or raise the size caps)`,
    );
  if (validationChars < 2)
    throw new RangeError(`the validation text has ${validationChars} characters; at least 2 are needed (add files)`);
  return { ...p, seqLength: T, batchSize: B };
}

/** Trainer options for a plan (the files, validation files and output path are the run's). */
export function trainOptionsFor(
  p: ModelPlan,
  metadata: Record<string, string>,
): Omit<TrainOptions, 'files' | 'validationFiles' | 'outPath' | 'initModel'> {
  return {
    kind: p.kind,
    layers: p.layers,
    hiddenSize: p.hiddenSize,
    embeddingSize: p.embeddingSize,
    seqLength: p.seqLength,
    batchSize: p.batchSize,
    dropout: p.dropout,
    maxSeconds: p.maxSeconds,
    maxSteps: p.maxSteps,
    evalEvery: p.evalEvery,
    patience: p.patience,
    sampleEvery: p.sampleEvery,
    sampleLength: 240,
    ...(p.learningRate !== undefined ? { learningRate: p.learningRate } : {}),
    metadata,
  };
}

/** 'quick: 1 layer × 128 LSTM, T 64, B 32, 2 min' */
export function describePlan(p: ModelPlan): string {
  const budget = p.maxSteps !== undefined ? `${p.maxSteps} steps` : formatDuration(p.maxSeconds ?? 0);
  const what = `${p.layers} layer${p.layers > 1 ? 's' : ''} × ${p.hiddenSize} ${p.kind.toUpperCase()}`;
  if (p.preset === 'trio') return `${what}, T ${p.seqLength}, B ${p.batchSize}, ${budget}`;
  if (p.preset === 'finetune')
    return `fine-tune ${path.basename(p.initModelPath ?? '', '.onnx')} (${what}, its vocabulary), T ${p.seqLength}, B ${p.batchSize}, ${budget}`;
  return `${p.preset}: ${what}, T ${p.seqLength}, B ${p.batchSize}, ${budget}`;
}

/** Seconds → '45 s', '2 min', '1 h 5 min', '12:05'-free words. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return s % 60 === 0 ? `${s / 60} min` : `${Math.floor(s / 60)} min ${s % 60} s`;
  const m = Math.round((s % 3600) / 60);
  return `${Math.floor(s / 3600)} h${m ? ` ${m} min` : ''}`;
}
