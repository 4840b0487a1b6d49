// Values to colour buckets, as a plain function (unit-tested, no `vscode`).
// A diverging map for activations — negative blue, positive red, neutral
// uncoloured, like the figures of Karpathy et al. 2015 — with LEVELS buckets
// per side, and a sequential map for surprisal. Each bucket is one theme
// colour declared in package.json `contributes.colors` (light, dark and
// high-contrast values), so the editor needs one decoration type per bucket.
//
// Normalisation to x in [-1, 1] per signal:
//   h, g, n (tanh outputs)        x = v
//   c (unbounded cell state)      x = tanh(v)   (what h sees before the o gate)
//   i, f, o, r, z (sigmoid gates) x = 2v - 1    (0.5 is neutral)
//   surprisal (bits, >= 0)        x = min(1, v / SURPRISAL_FULL_BITS)
// Level: 0 for |x| < NEUTRAL, then 1..LEVELS by quarters of |x|.

import type { Signal } from '../../core/model/types';

export const LEVELS = 4;
export const NEUTRAL = 0.05;
export const SURPRISAL_FULL_BITS = 8;

export type BucketFamily = 'neg' | 'pos' | 'surprisal';

/** Bucket key, e.g. 'pos3'; '' = neutral (no colour). */
export type BucketKey = string;

export function normalise(signal: Signal | 'surprisal', v: number): number {
  if (!Number.isFinite(v)) return Number.NaN;
  switch (signal) {
    case 'c':
      return Math.tanh(v);
    case 'i':
    case 'f':
    case 'o':
    case 'r':
    case 'z':
      return Math.max(-1, Math.min(1, 2 * v - 1));
    case 'surprisal':
      return Math.max(0, Math.min(1, v / SURPRISAL_FULL_BITS));
    default:
      return Math.max(-1, Math.min(1, v));
  }
}

/** Level -LEVELS..LEVELS of a normalised x (NaN → 0). */
export function levelOf(x: number): number {
  if (!Number.isFinite(x)) return 0;
  const a = Math.abs(x);
  if (a < NEUTRAL) return 0;
  const k = Math.min(LEVELS, Math.floor(a * LEVELS) + 1);
  return x < 0 ? -k : k;
}

export function bucketOf(signal: Signal | 'surprisal', v: number): BucketKey {
  const k = levelOf(normalise(signal, v));
  if (k === 0) return '';
  if (signal === 'surprisal') return `surprisal${k}`;
  return k < 0 ? `neg${-k}` : `pos${k}`;
}

/**
 * Buckets of a detector drawn by its threshold: a character is on when the
 * value is past `threshold` (above it, or below when `above` is false) and
 * gets a 'pos' bucket whose level grows with the distance past it (in the
 * signal's normalised units, as a share of the room left up to ±1); off
 * characters get no colour. So a quote detector reads as strings lit, code dark.
 */
export function thresholdBucketOf(signal: Signal, v: number, threshold: number, above: boolean): BucketKey {
  const x = normalise(signal, v);
  const t = normalise(signal, threshold);
  if (!Number.isFinite(x) || !Number.isFinite(t)) return '';
  const past = above ? x - t : t - x;
  if (!(past > 0)) return '';
  const room = Math.max(1e-6, above ? 1 - t : t + 1);
  return `pos${Math.min(LEVELS, Math.floor((past / room) * LEVELS) + 1)}`;
}

/** How one value becomes a bucket: the diverging (or surprisal) map of a signal, or a detector's threshold. */
export type BucketRule = Signal | 'surprisal' | ((v: number) => BucketKey);

/** Every bucket key, in a fixed order (one decoration type each). */
export function allBuckets(): BucketKey[] {
  const out: BucketKey[] = [];
  for (const f of ['neg', 'pos', 'surprisal'] as BucketFamily[]) for (let k = 1; k <= LEVELS; k++) out.push(`${f}${k}`);
  return out;
}

/** Theme colour id of a bucket, as declared in contributes.colors. */
export function colourId(bucket: BucketKey): string {
  return `lstmLens.${bucket}`;
}

/**
 * CSS background for a bucket at an opacity in [0, 1]: the theme colour's
 * CSS variable (VS Code exposes `lstmLens.pos3` as `--vscode-lstmLens-pos3`)
 * mixed with transparent, so themes still choose the hue.
 */
export function bucketBackground(bucket: BucketKey, opacity: number): string {
  const pct = Math.round(Math.max(0, Math.min(1, opacity)) * 100);
  const cssVar = `--vscode-${colourId(bucket).replace(/\./g, '-')}`;
  return `color-mix(in srgb, var(${cssVar}) ${pct}%, transparent)`;
}

/** A run of characters [start, end) (UTF-16 offsets) sharing one bucket. */
export interface BucketRun {
  bucket: BucketKey;
  start: number;
  end: number;
}

/**
 * Runs of equal buckets over a range of steps: `offsets` (n + 1) are the
 * steps' UTF-16 starts, `values` (n) one value per step, `valid` (n) non-zero
 * where there is a value: current, or stale from before an edit (the old
 * colour stays until the new one comes, so the screen below an edit does not
 * blink). Steps without a value and neutral steps get no run; equal neighbours merge, so
 * the editor gets few ranges. Line ends are skipped (a coloured '\n' would
 * paint nothing).
 */
export function bucketRuns(
  rule: BucketRule,
  offsets: ArrayLike<number>,
  values: ArrayLike<number>,
  valid: ArrayLike<number>,
  text?: (start: number, end: number) => string,
): BucketRun[] {
  const bucket = typeof rule === 'function' ? rule : (v: number): BucketKey => bucketOf(rule, v);
  const runs: BucketRun[] = [];
  let cur: BucketRun | undefined;
  for (let t = 0; t < values.length; t++) {
    const start = offsets[t];
    const end = offsets[t + 1];
    let b = valid[t] ? bucket(values[t]) : '';
    if (b && text) {
      const ch = text(start, end);
      if (ch === '\n' || ch === '\r\n' || ch === '\r') b = '';
    }
    if (!b) {
      cur = undefined;
      continue;
    }
    if (cur && cur.bucket === b && cur.end === start) cur.end = end;
    else {
      cur = { bucket: b, start, end };
      runs.push(cur);
    }
  }
  return runs;
}
