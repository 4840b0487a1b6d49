// What the two overlays paint, as plain functions (no `vscode`, unit-tested):
// the change in surprisal an intervention makes, on the diverging map (red:
// the character became harder to predict, blue: easier), and the gradient
// flow of the prediction at the cursor, on the sequential map by decades of
// the largest value.

import type { BucketKey, BucketRun } from '../editor/colourMap';
import { LEVELS, bucketRuns, levelOf } from '../editor/colourMap';

/** Change in surprisal (bits) drawn at full colour. */
export const DELTA_FULL_BITS = 4;
/** Decades of saliency below the largest that still get a colour (one level per half decade). */
export const SALIENCY_DECADES = LEVELS / 2;

/** Bucket of a change in surprisal, after − before bits. */
export function deltaBucket(delta: number): BucketKey {
  const k = levelOf(Math.max(-1, Math.min(1, delta / DELTA_FULL_BITS)));
  return k === 0 ? '' : k > 0 ? `pos${k}` : `neg${-k}`;
}

/** Runs of the change in surprisal over a document: offsets (n + 1), before and after (n) bits. */
export function deltaRuns(
  offsets: ArrayLike<number>,
  before: ArrayLike<number>,
  after: ArrayLike<number>,
  text: (start: number, end: number) => string,
): BucketRun[] {
  const delta = Float32Array.from(before, (b, t) => after[t] - b);
  const valid = new Uint8Array(delta.length).fill(1);
  return bucketRuns(deltaBucket, offsets, delta, valid, text);
}

/** Bucket of a saliency relative to the largest: level 4 within half a decade of it, down to 1. */
export function saliencyBucket(value: number, max: number): BucketKey {
  if (!(value > 0) || !(max > 0)) return '';
  const decades = Math.log10(max / value);
  const k = LEVELS - Math.floor(decades * 2);
  return k >= 1 ? `surprisal${Math.min(LEVELS, k)}` : '';
}

/** Runs of saliency over the covered steps: offsets (n + 1), values (n). */
export function saliencyRuns(
  offsets: ArrayLike<number>,
  values: ArrayLike<number>,
  text: (start: number, end: number) => string,
): BucketRun[] {
  let max = 0;
  for (let t = 0; t < values.length; t++) max = Math.max(max, values[t]);
  const valid = new Uint8Array(values.length).fill(1);
  return bucketRuns((v) => saliencyBucket(v, max), offsets, values, valid, text);
}

/** Steps whose surprisal changed most (by |after − before|), largest first; ties by position. */
export function mostChanged(before: ArrayLike<number>, after: ArrayLike<number>, k: number): number[] {
  const idx = Array.from({ length: before.length }, (_, t) => t);
  const d = (t: number): number => Math.abs(after[t] - before[t]);
  return idx
    .filter((t) => d(t) > 0)
    .sort((a, b) => d(b) - d(a) || a - b)
    .slice(0, k);
}

export function mean(v: ArrayLike<number>): number {
  let s = 0;
  for (let t = 0; t < v.length; t++) s += v[t];
  return v.length ? s / v.length : 0;
}

/**
 * The gradient-flow chart's series, by distance back from the predicting
 * character (values[d], d = 0 at it): 'input', then per layer 'L0 h', 'L0 c' …
 * Inputs are oldest first, as the worker sends them.
 */
export function flowSeries(
  saliency: ArrayLike<number>,
  layers: readonly { h: ArrayLike<number>; c: ArrayLike<number> | null }[],
): { name: string; values: number[] }[] {
  const back = (v: ArrayLike<number>): number[] => Array.from(v).reverse();
  return [
    { name: 'input', values: back(saliency) },
    ...layers.flatMap((l, i) => [
      { name: `L${i} h`, values: back(l.h) },
      ...(l.c ? [{ name: `L${i} c`, values: back(l.c) }] : []),
    ]),
  ];
}

/** The step whose UTF-16 range [offsets[t], offsets[t + 1]) holds `offset`, or -1. */
export function stepAt(offsets: ArrayLike<number>, offset: number): number {
  let lo = 0;
  let hi = offsets.length - 2;
  if (hi < 0 || offset < offsets[0] || offset >= offsets[hi + 1]) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offsets[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
