// Plain pieces of the Discover Interpretable Cells command (unit-tested
// without VS Code): discovery labels → the lens state's CellLabelInfo, the
// progress line, and the small index "model file → cache key of its last
// discovery" that lets a model's labels come back at activation by reading
// one JSON file (no model run, no hashing of the model).

import { openingCell } from '../../core/analysis/bundledLabels';
import type { CellDiscovery, CellScore } from '../../core/analysis/cellLabels';
import type { ProbeScore } from '../../core/analysis/probes';
import type { Signal } from '../../core/model/types';
import type { DiscoverProgress } from '../../core/analysis/discoverCells';
import type { CellLabelInfo, LensState } from '../lens/lensState';

/** Labels of a discovery in the shape the pickers, hovers and the panel use (best first). */
export function toLabelInfos(discovery: CellDiscovery): CellLabelInfo[] {
  return discovery.labels.map((l) => ({
    layer: l.layer,
    cell: l.unit,
    signal: l.signal,
    text: l.text,
    score: l.score,
    feature: l.feature,
    threshold: l.threshold,
    above: l.above,
  }));
}

/** What the user already chose that labels must not override: a cell, a signal (settings or picks). */
export interface OpeningPolicy {
  /** Open on the labelled detector when the user has not chosen a cell. */
  open: boolean;
  /** Keep the current signal (the user set lstmLens.default.signal). */
  keepSignal: boolean;
}

/**
 * Puts the labels of `discovery` (and its probes) into the lens state and, unless the user
 * chose a cell, opens on its best inside-string (else comment) detector.
 * Returns the cell it opened on, if any.
 */
export function applyLabels(
  state: LensState,
  discovery: CellDiscovery,
  policy: OpeningPolicy,
  probes: readonly ProbeScore[] = [],
): CellScore | undefined {
  state.setLabels(toLabelInfos(discovery), probes);
  if (!policy.open) return undefined;
  const best = openingCell(discovery);
  if (!best) return undefined;
  const signal: Signal = policy.keepSignal ? state.signal : best.signal === 'h' ? 'h' : 'c';
  return state.openOn({ layer: best.layer, cell: best.unit, signal }) ? best : undefined;
}

/** Identifies one version of a model file: its path, size and modification time. */
export interface ModelFingerprint {
  path: string;
  size: number;
  mtimeMs: number;
}

export function fingerprintKey(f: ModelFingerprint): string {
  return `${f.path}|${f.size}|${Math.round(f.mtimeMs)}`;
}

/** Most recent first: [fingerprint key, cache key]. */
export type LastDiscoveryIndex = [string, string][];

/** The index with `cacheKey` as the last discovery of the model file, at most `max` models. */
export function rememberDiscovery(
  index: unknown,
  model: ModelFingerprint,
  cacheKey: string,
  max = 32,
): LastDiscoveryIndex {
  const key = fingerprintKey(model);
  const prev = readIndex(index).filter(([k]) => k !== key && !k.startsWith(`${model.path}|`));
  return [[key, cacheKey] as [string, string], ...prev].slice(0, max);
}

/** Cache key of the last discovery of exactly this model file version, if any. */
export function lastDiscoveryOf(index: unknown, model: ModelFingerprint): string | undefined {
  const key = fingerprintKey(model);
  return readIndex(index).find(([k]) => k === key)?.[1];
}

/** The index from storage; anything malformed is dropped. */
function readIndex(index: unknown): LastDiscoveryIndex {
  if (!Array.isArray(index)) return [];
  return index.filter(
    (e): e is [string, string] =>
      Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && typeof e[1] === 'string',
  );
}

/** "scoring greeter.ts: 12,000 of 200,000 characters" and the percent done (0..100). */
export function progressLine(p: DiscoverProgress): { message: string; percent: number } {
  const n = (x: number): string => x.toLocaleString('en-US');
  return {
    message: `scoring ${p.text}: ${n(p.done)} of ${n(p.total)} characters`,
    percent: p.total > 0 ? (100 * p.done) / p.total : 0,
  };
}

/** "24 labelled cells (best: L0 c[37] quote detector (r = 0.93)) from 1 file, 1,234 characters, in 2.1 s" */
export function summaryLine(discovery: CellDiscovery, files: number, seconds: number, cached: boolean): string {
  const best = discovery.labels[0];
  const bestText = best
    ? ` (best: L${best.layer} ${best.signal}[${best.unit}] ${best.text})`
    : ` (none reaches ${discovery.minAbsR.toFixed(2)})`;
  const source = cached ? 'from the cache' : `in ${seconds.toFixed(1)} s`;
  const count = discovery.labels.length;
  return `${count} labelled cell${count === 1 ? '' : 's'}${bestText}, ${files} file${files === 1 ? '' : 's'}, ${discovery.count.toLocaleString('en-US')} characters, ${source}`;
}

/** Default of the lstmLens.discovery.minScore setting (the manifest says the same; a unit test checks). */
export const DEFAULT_MIN_SCORE = 0.6;

/** The label threshold from the setting's raw value; a bad value gives the default and a problem to log. */
export function minScoreOf(v: unknown): { minScore: number; problem?: string } {
  if (v === undefined || v === null) return { minScore: DEFAULT_MIN_SCORE };
  if (typeof v === 'number' && v >= 0 && v <= 1) return { minScore: v };
  return {
    minScore: DEFAULT_MIN_SCORE,
    problem: `lstmLens.discovery.minScore must be a number from 0 to 1, got ${JSON.stringify(v)}; using ${DEFAULT_MIN_SCORE}`,
  };
}
