// From a ScoreTable to what people read: each cell's best feature, each
// feature's best cells, and labels like "quote detector (r = 0.93, F1 = 0.88)"
// for the cells whose best |r| passes a threshold.
//
// Cells are ranked by a correlation for every feature, so scores are
// comparable across features: |r| (Pearson) for continuous features; for
// binary ones the larger of |r| (point-biserial) and |phi|, the correlation of
// the best threshold classifier with the feature — a cell state that detects
// strings but reaches large values elsewhere has a low r and a high phi.
// F1 is shown beside them but does not rank, because a constant "always on"
// guess already earns F1 = 2p / (1 + p) on a feature on a fraction p of the time.

import type { FeatureId } from './codeFeatures';
import type { ScoreTable } from './cellScorer';

export interface CellRef {
  layer: number;
  signal: string;
  unit: number; // index within the layer's H
}

export interface CellScore extends CellRef {
  feature: FeatureId;
  r: number;
  /** What ranks and labels: |r|, or for binary features max(|r|, |phi|). */
  score: number;
  /** Binary features only: phi (Matthews correlation) of the best threshold classifier, see ScoreTable.phi. */
  phi?: number;
  /** Binary features only. */
  f1?: number;
  /** Binary features only: the cell is on (feature predicted) above this value, or below it when `above` is false. */
  threshold?: number;
  above?: boolean;
}

export interface FeatureSummary {
  feature: FeatureId;
  name: string;
  kind: 'binary' | 'continuous';
  /** Fraction of characters where the feature is non-zero. */
  coverage: number;
  /** Why the feature was not scored, e.g. "constant over the sample". */
  skipped?: string;
  top: CellScore[];
}

export interface CellLabel extends CellScore {
  text: string; // "quote detector (r = 0.93, F1 = 0.88)"
}

export interface LabelOptions {
  /** A cell gets a label when its best score (|r|, or max(|r|, |phi|) for binary features) is at least this (default 0.6). */
  minAbsR?: number;
  /** Best cells listed per feature (default 5). */
  topK?: number;
  /** Binary features on (or off) at fewer characters than this are not scored (default 20). */
  minPositives?: number;
  /** Samples of fewer characters get no labels at all (default 200): over a few dozen characters, hundreds of cells correlate with anything by chance. */
  minChars?: number;
  /** Features whose value changes fewer times than this over the sample are not scored (default 4: a string or comment seen at least twice); one run of a feature says little about a cell. */
  minChanges?: number;
}

export interface CellDiscovery {
  count: number;
  /** The label threshold used. */
  minAbsR: number;
  features: FeatureSummary[];
  /** Labelled cells, best |r| first. */
  labels: CellLabel[];
}

export function cellRefAt(table: ScoreTable, j: number): CellRef {
  let base = 0;
  for (const s of table.sources) {
    if (j < base + s.size) return { layer: s.layer, signal: s.signal, unit: j - base };
    base += s.size;
  }
  throw new Error(`cell index ${j} is outside the ${base} scored cells`);
}

function scoreAt(table: ScoreTable, k: number, j: number): CellScore {
  const N = table.r.length / table.features.length;
  const i = k * N + j;
  const s: CellScore = {
    ...cellRefAt(table, j),
    feature: table.features[k].id,
    r: table.r[i],
    score: scoreOf(table, k, i),
  };
  if (table.features[k].kind === 'binary') {
    s.phi = table.phi[i];
    s.f1 = table.f1[i];
    s.threshold = table.threshold[i];
    s.above = table.above[i] === 1;
  }
  return s;
}

/** |r|, or for binary features the larger of |r| and |phi|; NaN where r is undefined. */
function scoreOf(table: ScoreTable, k: number, i: number): number {
  const r = Math.abs(table.r[i]);
  const phi = Math.abs(table.phi[i]);
  return table.features[k].kind === 'binary' && !Number.isNaN(r) && phi > r ? phi : r;
}

/** "quote detector (r = 0.93, φ = 0.90, F1 = 0.88)"; negative r or φ: the cell is low where the feature is on. */
export function labelText(label: string, r: number, f1?: number, phi?: number): string {
  const p = phi === undefined || Number.isNaN(phi) ? '' : `, φ = ${phi.toFixed(2)}`;
  const f = f1 === undefined || Number.isNaN(f1) ? '' : `, F1 = ${f1.toFixed(2)}`;
  return `${label} (r = ${r.toFixed(2)}${p}${f})`;
}

/** Ranks cells per feature and labels cells whose best |r| passes `minAbsR`. */
export function discoverLabels(table: ScoreTable, options: LabelOptions = {}): CellDiscovery {
  const minAbsR = options.minAbsR ?? 0.6;
  const topK = options.topK ?? 5;
  const minPositives = options.minPositives ?? 20;
  const minChars = options.minChars ?? 200;
  const minChanges = options.minChanges ?? 4;
  if (!(minAbsR >= 0 && minAbsR <= 1)) throw new Error(`minAbsR must be in [0, 1], got ${minAbsR}`);
  if (!(Number.isInteger(topK) && topK >= 0)) throw new Error(`topK must be a non-negative integer, got ${topK}`);
  const K = table.features.length;
  const N = K > 0 ? table.r.length / K : 0;
  const n = table.count;
  const usable = table.features.map((f, k) => {
    const p = table.positives[k];
    if (n === 0) return 'no characters scored';
    if (f.kind === 'binary' && (p < minPositives || n - p < minPositives))
      return p === 0
        ? 'never on in the sample'
        : `on at ${p} of ${n} characters, too ${p < minPositives ? 'few' : 'many'} to score`;
    let any = false;
    for (let j = 0; j < N && !any; j++) any = !Number.isNaN(table.r[k * N + j]);
    if (!any) return 'constant over the sample';
    if (n < minChars) return `sample of ${n} characters, fewer than the ${minChars} needed for labels`;
    const changes = table.changes[k];
    if (changes < minChanges)
      return `changes value only ${changes} time${changes === 1 ? '' : 's'} in the sample, fewer than the ${minChanges} needed`;
    return undefined;
  });

  const features: FeatureSummary[] = table.features.map((f, k) => {
    const summary: FeatureSummary = {
      feature: f.id,
      name: f.name,
      kind: f.kind,
      coverage: n > 0 ? table.positives[k] / n : 0,
      top: [],
    };
    if (usable[k] !== undefined) {
      summary.skipped = usable[k];
      return summary;
    }
    const order: number[] = [];
    for (let j = 0; j < N; j++) if (!Number.isNaN(table.r[k * N + j])) order.push(j);
    order.sort((a, b) => scoreOf(table, k, k * N + b) - scoreOf(table, k, k * N + a));
    summary.top = order.slice(0, topK).map((j) => scoreAt(table, k, j));
    return summary;
  });

  const labels: CellLabel[] = [];
  for (let j = 0; j < N; j++) {
    let bestK = -1;
    let bestScore = -1;
    for (let k = 0; k < K; k++) {
      const v = scoreOf(table, k, k * N + j);
      if (usable[k] === undefined && !Number.isNaN(v) && v > bestScore) {
        bestK = k;
        bestScore = v;
      }
    }
    if (bestK < 0 || bestScore < minAbsR) continue;
    const s = scoreAt(table, bestK, j);
    labels.push({ ...s, text: labelText(table.features[bestK].label, s.r, s.f1, s.phi) });
  }
  labels.sort((a, b) => b.score - a.score);
  return { count: n, minAbsR, features, labels };
}

/** The label of one cell, if it has one. */
export function labelOf(discovery: CellDiscovery, cell: CellRef): CellLabel | undefined {
  return discovery.labels.find((l) => l.layer === cell.layer && l.signal === cell.signal && l.unit === cell.unit);
}
