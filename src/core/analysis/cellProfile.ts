// Everything about one cell over a sample of code, for its cell page and for
// `lstm-lens cell`: its activation histogram, its top-activating places and
// examples from evenly spaced activation intervals (as Neuroscope and sae_vis
// show a unit), its scores against every code feature and its label, what it
// does to the next-character prediction, which input characters move it,
// its gates (saturation, forget-gate mean and the memory timescale), and the
// cells most correlated with it.
//
// One chunked pass of every cell (everyCellPass.ts) over the texts; only this
// cell's series (T values), streaming sums for the correlations (N cells)
// and the feature scores of its signal block (CellScorer) are kept.
// Offsets, lines and columns count code points; each text starts from the
// zero state, as a document does in the editor.

import type { CharModel, RecurrentKind, Signal } from '../model/types';
import { Rng } from '../util/seededRandom';
import type { SampleText } from './cacheKey';
import { discoverLabels, labelOf } from './cellLabels';
import type { CellLabel, CellRef } from './cellLabels';
import { CellScorer } from './cellScorer';
import { FEATURES } from './codeFeatures';
import { prepareTexts } from './preparedTexts';
import { everyCellPass } from './everyCellPass';
import { saturationGates } from './saturation';

export interface CellProfileOptions {
  /** Characters profiled at most, over all texts (default 200 000). */
  maxChars?: number;
  /** Top-activating places listed (default 20). */
  top?: number;
  /** Activation intervals between the minimum and the maximum (default 5) … */
  intervals?: number;
  /** … and examples drawn from each (default 5). */
  perInterval?: number;
  /** Histogram bins (default 40). */
  bins?: number;
  /** Code points of context before and after a place (default 40 and 20). */
  before?: number;
  after?: number;
  /** Most correlated cells listed (default 8). */
  correlated?: number;
  /** Prediction effects and character moves listed each way (default 8). */
  effects?: number;
  /** Label threshold, as discovery's (default 0.6). */
  minAbsR?: number;
  seed?: number;
  chunkSize?: number;
}

/** One place of a text where the cell was read, with its context. */
export interface CellPlace {
  file: string;
  /** Code points from the start of the file. */
  offset: number;
  /** 1-based line and column (column in code points). */
  line: number;
  column: number;
  value: number;
  /** The context: `before` code points before the place to `after` after it, as in the file. */
  excerpt: string;
  /** Offset of the excerpt's first code point in the file. */
  excerptStart: number;
  /** The cell's value at each code point of the excerpt. */
  values: number[];
}

export interface ActivationInterval {
  lo: number;
  hi: number;
  /** Characters whose value falls in [lo, hi) (the last interval includes hi). */
  count: number;
  examples: CellPlace[];
}

/** A character and how strongly the cell moves it (or is moved by it). */
export interface CharEffect {
  char: string;
  /** Prediction: logit change per unit of h. Input: mean change of the cell's value after reading the character. */
  value: number;
  /** Prediction: mean change of log2 p(char) per unit of h, through the softmax. Input: how often the character was read. */
  detail: number;
}

export interface FeatureScoreOfCell {
  feature: string;
  name: string;
  kind: 'binary' | 'continuous';
  r: number;
  phi?: number;
  f1?: number;
  threshold?: number;
  above?: boolean;
}

export interface CellProfile {
  cell: CellRef;
  kind: RecurrentKind;
  count: number;
  texts: { name: string; language: string; chars: number }[];
  truncated: boolean;
  stats: { min: number; max: number; mean: number; sd: number };
  histogram: { lo: number; hi: number; counts: number[] };
  top: CellPlace[];
  intervals: ActivationInterval[];
  label?: CellLabel;
  scores: FeatureScoreOfCell[];
  /** What its h does to the next-character distribution; absent (with `predictionNote`) below the top layer. */
  prediction?: { up: CharEffect[]; down: CharEffect[] };
  predictionNote?: string;
  /** Input characters after which the cell's value rises (up) or falls (down) most on average. */
  moves: { up: CharEffect[]; down: CharEffect[] };
  gates: {
    /** Fraction of characters each gate of the unit is below 0.1 (left) and above 0.9 (right). */
    saturation: { gate: string; left: number; right: number; mean: number }[];
    /** LSTM: mean forget gate, and the timescale −1 / ln f̄ in characters that it implies. */
    forgetMean?: number;
    timescale?: number;
  };
  correlated: { layer: number; unit: number; signal: string; r: number }[];
}

/** How a character shows in a table: ⏎ newline, · space, ⇥ tab, others as they are. */
export function showChar(ch: string): string {
  return ch === '\n' ? '⏎' : ch === ' ' ? '·' : ch === '\t' ? '⇥' : ch;
}

/** Parses "L:K" (layer, unit) as the CLI and the panel name a cell. */
export function parseCellSpec(spec: string): { layer: number; unit: number } | undefined {
  const m = /^L?(\d+)[:#]\s*(\d+)$/i.exec(spec.trim());
  return m ? { layer: Number(m[1]), unit: Number(m[2]) } : undefined;
}

export async function profileCell(
  model: CharModel,
  texts: readonly SampleText[],
  cell: CellRef,
  options: CellProfileOptions = {},
  onProgress?: (done: number, total: number) => void,
  signal?: AbortSignal,
): Promise<CellProfile> {
  const o = {
    maxChars: 200_000,
    top: 20,
    intervals: 5,
    perInterval: 5,
    bins: 40,
    before: 40,
    after: 20,
    correlated: 8,
    effects: 8,
    minAbsR: 0.6,
    seed: 1,
    chunkSize: 2048,
    ...options,
  };
  const layer = model.layers[cell.layer];
  if (!layer) throw new RangeError(`layer ${cell.layer} does not exist (the model has ${model.layers.length})`);
  const H = layer.hiddenSize;
  if (!(Number.isInteger(cell.unit) && cell.unit >= 0 && cell.unit < H))
    throw new RangeError(`cell ${cell.unit} is outside layer ${cell.layer} (H = ${H})`);
  if (cell.signal !== 'h' && cell.signal !== 'c') throw new RangeError(`signal must be h or c, got '${cell.signal}'`);
  if (cell.signal === 'c' && layer.kind !== 'lstm')
    throw new RangeError(`a ${layer.kind.toUpperCase()} layer has no c`);
  if (texts.length === 0) throw new Error('profiling a cell needs at least one text');

  const { prepared, total, truncated } = await prepareTexts(model, texts, o.maxChars);
  if (total === 0) throw new Error('profiling a cell needs at least one non-empty text');

  // Every h and c block, for the correlations: N cells in all.
  const blocks: { layer: number; signal: 'h' | 'c'; size: number }[] = [];
  model.layers.forEach((l, li) => {
    blocks.push({ layer: li, signal: 'h', size: l.hiddenSize });
    if (l.kind === 'lstm') blocks.push({ layer: li, signal: 'c', size: l.hiddenSize });
  });
  const N = blocks.reduce((a, b) => a + b.size, 0);
  const sy = new Float64Array(N);
  const syy = new Float64Array(N);
  const sxy = new Float64Array(N);

  const series = new Float32Array(total); // this cell's value at every character
  const gateNames = saturationGates(layer.kind);
  const gateStats = gateNames.map((gate) => ({ gate, left: 0, right: 0, sum: 0 }));
  const scorer = new CellScorer([{ layer: cell.layer, signal: cell.signal, size: H }], FEATURES);

  // Prediction through the softmax, top layer only: E over characters of Σ_m p_m W[m, unit].
  const top = cell.layer === model.layers.length - 1;
  const { W, b } = model.output;
  const V = b.length;
  let expectedW = 0;
  let expectedCount = 0;
  const logits = new Float64Array(V);

  let done = 0;
  try {
    await everyCellPass(
      model,
      prepared.map((p) => p.ids),
      { chunkSize: o.chunkSize },
      async ({ text: ti, t0, T, layers }) => {
        const p = prepared[ti];
        const own = layers[cell.layer][cell.signal as Signal]!;
        for (let t = 0; t < T; t++) series[p.start + t0 + t] = own[t * H + cell.unit];
        let base = 0;
        for (const blk of blocks) {
          const a = layers[blk.layer][blk.signal]!;
          for (let t = 0; t < T; t++) {
            const x = own[t * H + cell.unit];
            const row = t * blk.size;
            for (let j = 0; j < blk.size; j++) {
              const y = a[row + j];
              sy[base + j] += y;
              syy[base + j] += y * y;
              sxy[base + j] += x * y;
            }
          }
          base += blk.size;
        }
        for (const g of gateStats) {
          const v = layers[cell.layer][g.gate as Signal]!;
          for (let t = 0; t < T; t++) {
            const x = v[t * H + cell.unit];
            g.sum += x;
            if (x < 0.1) g.left++;
            else if (x > 0.9) g.right++;
          }
        }
        if (top) {
          const h = layers[cell.layer].h!;
          for (let t = 0; t < T; t += 8) {
            let max = -Infinity;
            for (let k = 0; k < V; k++) {
              let z = b[k];
              const wr = k * H;
              for (let j = 0; j < H; j++) z += W[wr + j] * h[t * H + j];
              logits[k] = z;
              if (z > max) max = z;
            }
            let sum = 0;
            for (let k = 0; k < V; k++) sum += Math.exp(logits[k] - max);
            let e = 0;
            for (let k = 0; k < V; k++) e += (Math.exp(logits[k] - max) / sum) * W[k * H + cell.unit];
            expectedW += e;
            expectedCount++;
          }
        }
        await scorer.observe(
          [own],
          p.features.values.map((v) => v.subarray(t0, t0 + T)),
        );
        done += T;
        onProgress?.(done, total);
      },
      signal,
    );
  } finally {
    await scorer.dispose();
  }

  // Statistics and histogram.
  let min = Infinity;
  let max = -Infinity;
  let sx = 0;
  let sxx = 0;
  for (let i = 0; i < total; i++) {
    const v = series[i];
    if (v < min) min = v;
    if (v > max) max = v;
    sx += v;
    sxx += v * v;
  }
  const mean = sx / total;
  const sd = Math.sqrt(Math.max(0, sxx / total - mean * mean));
  const width = max > min ? (max - min) / o.bins : 1;
  const counts = new Array<number>(o.bins).fill(0);
  for (let i = 0; i < total; i++) counts[Math.min(o.bins - 1, Math.floor((series[i] - min) / width))]++;

  // Places: where each global index sits.
  const textAt = (i: number): (typeof prepared)[number] => {
    let lo = 0;
    let hi = prepared.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (prepared[mid].start <= i) lo = mid;
      else hi = mid - 1;
    }
    return prepared[lo];
  };
  const lineStarts = prepared.map((p) => {
    const starts = [0];
    p.chars.forEach((c, k) => c === '\n' && starts.push(k + 1));
    return starts;
  });
  const placeAt = (i: number): CellPlace => {
    const p = textAt(i);
    const k = i - p.start;
    const starts = lineStarts[prepared.indexOf(p)];
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= k) lo = mid;
      else hi = mid - 1;
    }
    const a = Math.max(0, k - o.before);
    const z = Math.min(p.chars.length, k + o.after + 1);
    return {
      file: p.name,
      offset: k,
      line: lo + 1,
      column: k - starts[lo] + 1,
      value: series[i],
      excerpt: p.chars.slice(a, z).join(''),
      excerptStart: a,
      values: Array.from(series.subarray(p.start + a, p.start + z)),
    };
  };
  // Places at least `radius` apart in one file, so one string does not fill the list.
  const radius = Math.max(1, Math.floor((o.before + o.after) / 2));
  const taken: number[] = [];
  const farFromTaken = (i: number): boolean => taken.every((j) => Math.abs(j - i) >= radius || textAt(j) !== textAt(i));
  const order = Array.from({ length: total }, (_, i) => i).sort((x, y) => series[y] - series[x]);
  const topPlaces: CellPlace[] = [];
  for (const i of order) {
    if (topPlaces.length >= o.top) break;
    if (!farFromTaken(i)) continue;
    taken.push(i);
    topPlaces.push(placeAt(i));
  }

  const rng = new Rng(o.seed);
  const span = max > min ? (max - min) / o.intervals : 1;
  const intervals: ActivationInterval[] = [];
  for (let q = 0; q < o.intervals; q++) {
    const lo = min + q * span;
    const hi = q === o.intervals - 1 ? max : min + (q + 1) * span;
    const inside: number[] = [];
    for (let i = 0; i < total; i++) {
      const v = series[i];
      if (v >= lo && (v < hi || (q === o.intervals - 1 && v <= hi))) inside.push(i);
    }
    for (let k = inside.length - 1; k > 0; k--) {
      const j = rng.int(k + 1);
      [inside[k], inside[j]] = [inside[j], inside[k]];
    }
    const examples: CellPlace[] = [];
    taken.length = 0;
    for (const i of inside) {
      if (examples.length >= o.perInterval) break;
      if (!farFromTaken(i)) continue;
      taken.push(i);
      examples.push(placeAt(i));
    }
    examples.sort((x, y) => y.value - x.value);
    intervals.push({ lo, hi, count: inside.length, examples });
  }

  // Scores against every feature, and the label discovery would give.
  const table = scorer.result();
  const K = FEATURES.length;
  const scores: FeatureScoreOfCell[] = [];
  for (let k = 0; k < K; k++) {
    const f = FEATURES[k];
    const at = k * H + cell.unit;
    const r = table.r[at];
    if (!Number.isFinite(r)) continue;
    scores.push(
      f.kind === 'binary'
        ? {
            feature: f.id,
            name: f.name,
            kind: f.kind,
            r,
            phi: table.phi[at],
            f1: table.f1[at],
            threshold: table.threshold[at],
            above: table.above[at] === 1,
          }
        : { feature: f.id, name: f.name, kind: f.kind, r },
    );
  }
  const label = labelOf(discoverLabels(table, { minAbsR: o.minAbsR }), cell);

  // Prediction effects: the unit's column of the output layer.
  let prediction: CellProfile['prediction'];
  let predictionNote: string | undefined;
  if (top) {
    const eW = expectedCount > 0 ? expectedW / expectedCount : 0;
    const effects: CharEffect[] = Array.from({ length: V }, (_, k) => ({
      char: showChar(model.vocab.chars[k] ?? '?'),
      value: W[k * H + cell.unit],
      detail: (W[k * H + cell.unit] - eW) / Math.LN2,
    }));
    const sorted = [...effects].sort((x, y) => y.value - x.value);
    prediction = { up: sorted.slice(0, o.effects), down: sorted.slice(-o.effects).reverse() };
    if (cell.signal === 'c') predictionNote = 'c reaches the output through h = o · tanh(c) of the same unit';
  } else {
    predictionNote = `layer ${cell.layer} is not the top layer: its effect on the prediction passes through layer ${cell.layer + 1}`;
  }

  // Which input characters move it: mean change of the value after reading each character.
  const moveSum = new Map<string, { sum: number; n: number }>();
  for (const p of prepared) {
    for (let k = 1; k < p.chars.length; k++) {
      const d = series[p.start + k] - series[p.start + k - 1];
      const e = moveSum.get(p.chars[k]) ?? { sum: 0, n: 0 };
      e.sum += d;
      e.n++;
      moveSum.set(p.chars[k], e);
    }
  }
  const minCount = Math.max(3, Math.floor(total / 2000));
  const moves = [...moveSum]
    .filter(([, e]) => e.n >= minCount)
    .map(([ch, e]) => ({ char: showChar(ch), value: e.sum / e.n, detail: e.n }))
    .sort((x, y) => y.value - x.value);

  // Correlations with every other cell.
  const correlated: CellProfile['correlated'] = [];
  let base = 0;
  const vx = sxx / total - mean * mean;
  for (const blk of blocks) {
    for (let j = 0; j < blk.size; j++) {
      if (blk.layer === cell.layer && blk.signal === cell.signal && j === cell.unit) continue;
      const my = sy[base + j] / total;
      const vy = syy[base + j] / total - my * my;
      const cov = sxy[base + j] / total - mean * my;
      const r = vx > 0 && vy > 0 ? cov / Math.sqrt(vx * vy) : NaN;
      if (Number.isFinite(r)) correlated.push({ layer: blk.layer, unit: j, signal: blk.signal, r });
    }
    base += blk.size;
  }
  correlated.sort((x, y) => Math.abs(y.r) - Math.abs(x.r));

  const saturation = gateStats.map((g) => ({
    gate: g.gate,
    left: g.left / total,
    right: g.right / total,
    mean: g.sum / total,
  }));
  const forget = saturation.find((g) => g.gate === 'f')?.mean;
  return {
    cell: { layer: cell.layer, unit: cell.unit, signal: cell.signal },
    kind: layer.kind,
    count: total,
    texts: prepared.map((p) => ({ name: p.name, language: p.language, chars: p.chars.length })),
    truncated,
    stats: { min, max, mean, sd },
    histogram: { lo: min, hi: max, counts },
    top: topPlaces,
    intervals,
    label,
    scores,
    prediction,
    predictionNote,
    moves: { up: moves.slice(0, o.effects), down: moves.slice(-o.effects).reverse() },
    gates: {
      saturation,
      forgetMean: forget,
      timescale: forget !== undefined && forget > 0 && forget < 1 ? -1 / Math.log(forget) : undefined,
    },
    correlated: correlated.slice(0, o.correlated),
  };
}
