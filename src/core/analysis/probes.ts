// Linear probes (NeuroX-style, with Hewitt & Liang's control tasks): for each
// code feature, how well it can be read from all cells of a layer at once,
// not just from the best single cell. Answers "is there a string cell, or is
// string-ness spread over many?".
//
// Per layer, X (n, N) holds h and c of every unit (N = 2H for LSTM, H for GRU)
// at sampled characters, standardised with the training rows' mean and sd.
// A probe is elastic-net regularised (L1 + a little L2), trained by FISTA
// (proximal gradient with momentum) on rows from some files and scored on
// rows from the others:
//   binary features:     logistic loss, classes weighted to balance; score φ
//                        (Matthews correlation) of its sign on the test rows
//   continuous features: squared loss on the standardised feature; score r
//                        of prediction and feature on the test rows
// Both sit on the scale of the single-cell scores (cellLabels.ts).
// Reported with each probe: the fewest cells carrying 90% of its weight
// (L1 mass), its top cells, a control probe on a task with the same label
// statistics but a random label per character type (selectivity = score −
// control score), and, when given the rows of a randomly initialised model of
// the same shape, the same probe there (the floor a probe reaches from
// untrained features).

import type { CharModel } from '../model/types';
import type { DerivedSignals } from '../inference/deriveGates';
import { Rng } from '../util/seededRandom';
import { FEATURES } from './codeFeatures';
import type { FeatureSpec } from './codeFeatures';
import type { PreparedText } from './preparedTexts';
import { ProbeGradient } from './probeGradient';

export interface ProbeOptions {
  /** Rows (sampled characters) to train on and to test on, at most (defaults 2000 and 2000). */
  maxTrain?: number;
  maxTest?: number;
  /** Elastic-net weights of |w|₁ and ½‖w‖² (defaults 2e-3 and 1e-3). */
  l1?: number;
  l2?: number;
  /** FISTA iterations (default 100). */
  iterations?: number;
  /** Share of the probe's |w| mass the "cells for" count reaches (default 0.9). */
  mass?: number;
  seed?: number;
}

/** One probe's result. */
export interface ProbeScore {
  feature: string;
  name: string;
  kind: 'binary' | 'continuous';
  layer: number;
  /** Cells the probe reads (h and c of each unit). */
  cells: number;
  trainRows: number;
  testRows: number;
  /** φ (binary) or r (continuous) on the test rows. */
  score: number;
  /** The fewest cells whose |weight| sums to `mass` of the total. */
  cellsForMass: number;
  mass: number;
  /** The largest weights, on standardised cells. */
  top: { signal: string; unit: number; weight: number }[];
  /** The same probe on the control task, and score − control. */
  control: number;
  selectivity: number;
  /** The same probe on a randomly initialised model of the same shape, when computed. */
  floor?: number;
}

/** Which characters become rows, and whether each is a training or a test row. */
export interface RowPlan {
  /** Per text: the character steps sampled (sorted). */
  steps: number[][];
  /** Per text: whether step `t` of it is a test row. */
  isTest: (text: number, t: number) => boolean;
  trainRows: number;
  testRows: number;
}

/** One text alone is cut into blocks (a twelfth of it, 32..256 characters), every third one held out. */
export function singleTextBlock(chars: number): number {
  return Math.max(32, Math.min(256, Math.floor(chars / 12)));
}

/**
 * Splits the texts into training and test files (seeded, about a third held
 * out; one text alone: every third block of it (singleTextBlock) is
 * held out, so both sides see its strings and comments) and samples at most
 * maxTrain / maxTest characters evenly from each side.
 */
export function planRows(prepared: readonly PreparedText[], options: ProbeOptions = {}): RowPlan {
  const maxTrain = options.maxTrain ?? 2000;
  const maxTest = options.maxTest ?? 2000;
  let isTest: (text: number, t: number) => boolean;
  if (prepared.length === 1) {
    const block = singleTextBlock(prepared[0].chars.length);
    isTest = (_text, t) => Math.floor(t / block) % 3 === 2;
  } else {
    // Files in a seeded order, every third held out (and at least one).
    const rng = new Rng(options.seed ?? 1);
    const order = prepared.map((_, i) => i);
    for (let k = order.length - 1; k > 0; k--) {
      const j = rng.int(k + 1);
      [order[k], order[j]] = [order[j], order[k]];
    }
    const held = prepared.map(() => false);
    order.forEach((ti, k) => (held[ti] = k % 3 === 2));
    if (!held.some(Boolean)) held[order[order.length - 1]] = true;
    isTest = (text) => held[text];
  }
  const count = [0, 0];
  prepared.forEach((p, ti) => {
    for (let t = 0; t < p.chars.length; t++) count[isTest(ti, t) ? 1 : 0]++;
  });
  const stride = [Math.max(1, Math.ceil(count[0] / maxTrain)), Math.max(1, Math.ceil(count[1] / maxTest))];
  const seen = [0, 0];
  const steps = prepared.map((p, ti) => {
    const out: number[] = [];
    for (let t = 0; t < p.chars.length; t++) {
      const side = isTest(ti, t) ? 1 : 0;
      if (seen[side]++ % stride[side] === 0) out.push(t);
    }
    return out;
  });
  const rows = (side: number): number =>
    steps.reduce((a, st, ti) => a + st.filter((t) => (isTest(ti, t) ? 1 : 0) === side).length, 0);
  return { steps, isTest, trainRows: rows(0), testRows: rows(1) };
}

/** The sampled rows of every layer: (n, N) activations, the features and character ids of each row. */
export interface ProbeRows {
  layers: { signals: string[]; units: number; X: Float32Array; N: number }[];
  n: number;
  isTest: Uint8Array;
  /** (K, n) feature values of each row, FEATURES order. */
  features: Float32Array[];
  /** Code point of each row's character (for the control task). */
  chars: string[];
}

/** Collects the rows of `plan` from the chunks of an every-cell pass over `prepared`. */
export class ProbeRowCollector {
  private readonly rows: ProbeRows;
  private readonly cursor: number[]; // per text: next index into plan.steps
  private readonly base: number[]; // per text: row index of its first sampled step

  constructor(
    model: CharModel,
    private readonly prepared: readonly PreparedText[],
    private readonly plan: RowPlan,
  ) {
    const n = plan.steps.reduce((a, s) => a + s.length, 0);
    this.base = [];
    let k = 0;
    for (const s of plan.steps) {
      this.base.push(k);
      k += s.length;
    }
    this.cursor = plan.steps.map(() => 0);
    const isTest = new Uint8Array(n);
    const chars: string[] = new Array<string>(n);
    const features = FEATURES.map(() => new Float32Array(n));
    prepared.forEach((p, ti) => {
      plan.steps[ti].forEach((t, j) => {
        const row = this.base[ti] + j;
        isTest[row] = plan.isTest(ti, t) ? 1 : 0;
        chars[row] = p.chars[t];
        FEATURES.forEach((_, f) => (features[f][row] = p.features.values[f][t]));
      });
    });
    this.rows = {
      layers: model.layers.map((l) => {
        const signals = l.kind === 'lstm' ? ['h', 'c'] : ['h'];
        const N = signals.length * l.hiddenSize;
        return { signals, units: l.hiddenSize, X: new Float32Array(n * N), N };
      }),
      n,
      isTest,
      features,
      chars,
    };
  }

  /** One chunk (steps t0 .. t0 + T − 1 of text `ti`) of an every-cell pass. */
  observe(ti: number, t0: number, T: number, layers: DerivedSignals[]): void {
    const steps = this.plan.steps[ti];
    while (this.cursor[ti] < steps.length && steps[this.cursor[ti]] < t0 + T) {
      const j = this.cursor[ti]++;
      const t = steps[j] - t0;
      if (t < 0) continue;
      const row = this.base[ti] + j;
      this.rows.layers.forEach((L, l) => {
        L.signals.forEach((s, si) => {
          const v = layers[l][s as 'h' | 'c']!;
          const H = L.units;
          L.X.set(v.subarray(t * H, (t + 1) * H), row * L.N + si * H);
        });
      });
    }
  }

  result(): ProbeRows {
    if (this.cursor.some((c, ti) => c < this.plan.steps[ti].length))
      throw new Error('the probe rows were not all seen: the pass did not cover every text');
    return this.rows;
  }

  get texts(): readonly PreparedText[] {
    return this.prepared;
  }
}

/** Standardises the columns of X (n, N) in place with the mean and sd of the training rows. */
function standardise(X: Float32Array, n: number, N: number, isTest: Uint8Array): void {
  const mean = new Float64Array(N);
  const sq = new Float64Array(N);
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (isTest[i]) continue;
    m++;
    for (let j = 0; j < N; j++) {
      const v = X[i * N + j];
      mean[j] += v;
      sq[j] += v * v;
    }
  }
  for (let j = 0; j < N; j++) {
    mean[j] /= Math.max(1, m);
    const sd = Math.sqrt(Math.max(0, sq[j] / Math.max(1, m) - mean[j] * mean[j]));
    sq[j] = sd > 1e-6 ? 1 / sd : 0;
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < N; j++) X[i * N + j] = (X[i * N + j] - mean[j]) * sq[j];
}

/**
 * Fits elastic-net probes for several targets at once on the training rows
 * (they share X: one gradient graph run per iteration serves every target,
 * probeGradient.ts) and returns each one's weights (N) and bias. A target's
 * `y` is 0/1 when `binary`, else standardised.
 */
export async function fitProbes(
  X: Float32Array,
  N: number,
  rows: readonly number[],
  targets: readonly { y: Float32Array; binary: boolean }[],
  options: ProbeOptions = {},
): Promise<{ w: Float32Array; b: number }[]> {
  const l1 = options.l1 ?? 1e-2;
  const l2 = options.l2 ?? 1e-3;
  const iterations = options.iterations ?? 100;
  const n = rows.length;
  const K = targets.length;
  if (K === 0) return [];
  // The training rows, packed: Xt (n, N), Y and row weights Wt (n, K).
  const Xt = new Float32Array(n * N);
  rows.forEach((i, r) => Xt.set(X.subarray(i * N, (i + 1) * N), r * N));
  const Y = new Float32Array(n * K);
  const Wt = new Float32Array(n * K);
  const isBin = new Float32Array(K);
  const b = new Float32Array(K);
  const wMax = new Float64Array(K);
  targets.forEach((t, k) => {
    // Class weights that balance a rare on/off feature; 1 for continuous ones. Divided by n: the loss is a mean.
    const pos = t.binary ? rows.reduce((a, i) => a + (t.y[i] > 0.5 ? 1 : 0), 0) : 0;
    const wPos = t.binary && pos > 0 ? n / (2 * pos) : 1;
    const wNeg = t.binary && pos < n ? n / (2 * (n - pos)) : 1;
    wMax[k] = Math.max(wPos, wNeg);
    isBin[k] = t.binary ? 1 : 0;
    b[k] = t.binary ? Math.log(Math.max(1, pos) / Math.max(1, n - pos)) : 0;
    rows.forEach((i, r) => {
      Y[r * K + k] = t.y[i];
      Wt[r * K + k] = (t.binary ? (t.y[i] > 0.5 ? wPos : wNeg) : 1) / n;
    });
  });
  // Lipschitz constant of the smooth part: λmax(XᵀX / n) by power iteration (× ¼ × class weight for the logistic loss).
  let v = new Float64Array(N).fill(1 / Math.sqrt(N));
  let lambda = 1;
  const xv = new Float64Array(n);
  for (let it = 0; it < 12; it++) {
    for (let r = 0; r < n; r++) {
      let acc = 0;
      for (let j = 0; j < N; j++) acc += Xt[r * N + j] * v[j];
      xv[r] = acc;
    }
    const next = new Float64Array(N);
    for (let r = 0; r < n; r++) for (let j = 0; j < N; j++) next[j] += Xt[r * N + j] * xv[r];
    let norm = 0;
    for (let j = 0; j < N; j++) norm += next[j] * next[j];
    norm = Math.sqrt(norm);
    if (norm === 0) break;
    lambda = norm / n;
    for (let j = 0; j < N; j++) next[j] /= norm;
    v = next;
  }
  const step = Float64Array.from(targets, (t, k) => 1 / ((t.binary ? 0.25 * wMax[k] : 1) * lambda + l2 + 1e-9));

  // FISTA on W (N, K) and b (K); Z, zb the extrapolated points.
  const gradient = new ProbeGradient(N, K, Xt, Y, Wt, isBin);
  const W = new Float32Array(N * K);
  const Z = new Float32Array(N * K);
  const zb = Float32Array.from(b);
  let tk = 1;
  try {
    for (let it = 0; it < iterations; it++) {
      const { G, gb } = await gradient.run(Z, zb);
      const tNext = (1 + Math.sqrt(1 + 4 * tk * tk)) / 2;
      const mom = (tk - 1) / tNext;
      for (let at = 0; at < N * K; at++) {
        const k = at % K;
        const u = Z[at] - step[k] * (G[at] + l2 * Z[at]);
        const w = Math.sign(u) * Math.max(0, Math.abs(u) - step[k] * l1); // soft threshold: the L1 proximal step
        Z[at] = w + mom * (w - W[at]);
        W[at] = w;
      }
      for (let k = 0; k < K; k++) {
        const bk = zb[k] - step[k] * gb[k];
        zb[k] = bk + mom * (bk - b[k]);
        b[k] = bk;
      }
      tk = tNext;
    }
  } finally {
    await gradient.dispose();
  }
  return targets.map((_, k) => ({ w: Float32Array.from({ length: N }, (_, j) => W[j * K + k]), b: b[k] }));
}

/** φ of sign predictions against 0/1 labels, or r of predictions and values, over `rows`. */
export function probeScore(
  X: Float32Array,
  N: number,
  rows: readonly number[],
  y: Float32Array,
  binary: boolean,
  probe: { w: Float32Array; b: number },
): number {
  const pred = rows.map((i) => {
    let s = probe.b;
    const r = i * N;
    for (let j = 0; j < N; j++) s += X[r + j] * probe.w[j];
    return s;
  });
  if (binary) {
    let tp = 0;
    let fp = 0;
    let tn = 0;
    let fn = 0;
    rows.forEach((i, k) => {
      const on = y[i] > 0.5;
      const said = pred[k] > 0;
      if (on && said) tp++;
      else if (!on && said) fp++;
      else if (!on && !said) tn++;
      else fn++;
    });
    const d = Math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn));
    return d > 0 ? (tp * tn - fp * fn) / d : 0;
  }
  const ys = rows.map((i) => y[i]);
  const n = rows.length;
  const mp = pred.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let k = 0; k < n; k++) {
    sxy += (pred[k] - mp) * (ys[k] - my);
    sxx += (pred[k] - mp) ** 2;
    syy += (ys[k] - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}

/** The target of a feature on every row: 0/1 for binary, standardised by the training rows for continuous. */
function target(spec: FeatureSpec, values: Float32Array, isTest: Uint8Array): Float32Array {
  if (spec.kind === 'binary') return Float32Array.from(values, (v) => (v > 0 ? 1 : 0));
  let m = 0;
  let s = 0;
  let c = 0;
  values.forEach((v, i) => {
    if (isTest[i]) return;
    m += v;
    s += v * v;
    c++;
  });
  m /= Math.max(1, c);
  const sd = Math.sqrt(Math.max(1e-12, s / Math.max(1, c) - m * m));
  return Float32Array.from(values, (v) => (v - m) / sd);
}

/** The control task (Hewitt & Liang): one random label per character type, drawn like the feature's training labels. */
function controlTarget(y: Float32Array, chars: readonly string[], isTest: Uint8Array, rng: Rng): Float32Array {
  const train = Array.from(y).filter((_, i) => !isTest[i]);
  const perChar = new Map<string, number>();
  return Float32Array.from(chars, (ch) => {
    let v = perChar.get(ch);
    if (v === undefined) {
      v = train[rng.int(train.length)] ?? 0;
      perChar.set(ch, v);
    }
    return v;
  });
}

/**
 * Probes every feature in `features` (ids) on every layer of `rows`; `floor`
 * (the rows of a random model at the same characters) adds the floor score.
 * Features constant on the training or test rows are left out.
 */
export async function runProbes(
  rows: ProbeRows,
  features: readonly string[],
  options: ProbeOptions = {},
  floor?: ProbeRows,
): Promise<ProbeScore[]> {
  const mass = options.mass ?? 0.9;
  const rng = new Rng((options.seed ?? 1) + 17);
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < rows.n; i++) (rows.isTest[i] ? test : train).push(i);
  if (train.length < 50 || test.length < 50) return [];
  for (const L of rows.layers) standardise(L.X, rows.n, L.N, rows.isTest);
  if (floor) for (const L of floor.layers) standardise(L.X, floor.n, L.N, floor.isTest);

  // The targets: each scored feature that varies on both sides, and its control task.
  const tasks: { spec: FeatureSpec; y: Float32Array; control: Float32Array | null }[] = [];
  FEATURES.forEach((spec, f) => {
    if (!features.includes(spec.id)) return;
    const y = target(spec, rows.features[f], rows.isTest);
    const varies = (v: Float32Array, idx: number[]): boolean => idx.some((i) => v[i] !== v[idx[0]]);
    if (!varies(y, train) || !varies(y, test)) return;
    const yc = controlTarget(y, rows.chars, rows.isTest, rng);
    tasks.push({ spec, y, control: varies(yc, train) ? yc : null });
  });
  const out: ProbeScore[] = [];
  for (const [layer, L] of rows.layers.entries()) {
    const targets = tasks.flatMap((t) => {
      const binary = t.spec.kind === 'binary';
      return t.control
        ? [
            { y: t.y, binary },
            { y: t.control, binary },
          ]
        : [{ y: t.y, binary }];
    });
    const fitted = await fitProbes(L.X, L.N, train, targets, options);
    const F = floor?.layers[layer];
    const floorFits = F
      ? await fitProbes(
          F.X,
          F.N,
          train,
          tasks.map((t) => ({ y: t.y, binary: t.spec.kind === 'binary' })),
          options,
        )
      : [];
    let at = 0;
    tasks.forEach((t, ti) => {
      const binary = t.spec.kind === 'binary';
      const probe = fitted[at++];
      const score = probeScore(L.X, L.N, test, t.y, binary, probe);
      const control = t.control ? probeScore(L.X, L.N, test, t.control, binary, fitted[at++]) : 0;
      const order = Array.from(probe.w, (w, j) => ({ j, a: Math.abs(w) })).sort((p, q) => q.a - p.a);
      const total = order.reduce((a, o) => a + o.a, 0);
      let acc = 0;
      let count = 0;
      for (const o of order) {
        if (total === 0 || acc >= mass * total) break;
        acc += o.a;
        count++;
      }
      const cell = (j: number): { signal: string; unit: number } => ({
        signal: L.signals[Math.floor(j / L.units)],
        unit: j % L.units,
      });
      out.push({
        feature: t.spec.id,
        name: t.spec.name,
        kind: t.spec.kind,
        layer,
        cells: L.N,
        trainRows: train.length,
        testRows: test.length,
        score,
        cellsForMass: count,
        mass,
        top: order
          .slice(0, 5)
          .filter((o) => o.a > 0)
          .map((o) => ({ ...cell(o.j), weight: probe.w[o.j] })),
        control,
        selectivity: score - control,
        floor: F ? probeScore(F.X, F.N, test, t.y, binary, floorFits[ti]) : undefined,
      });
    });
  }
  return out;
}
