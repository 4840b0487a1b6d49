// Element-wise comparisons of two equally long number arrays for the unit
// tests: engine output against a reference (referenceForward, onnxruntime's
// own ops, PyTorch fixtures, a fresh analysis). Differences are absolute.

import * as assert from 'assert';

/** Largest |a[k] - b[k]|; NaN when any difference is NaN. Asserts equal lengths. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.strictEqual(a.length, b.length, 'lengths differ');
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k] - b[k]));
  return m;
}

/** Max abs diff; throws with a label and the worst index when over tol (or NaN). */
export function checkTensor(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, label: string): number {
  if (a.length !== b.length) throw new Error(`${label}: length ${a.length} != ${b.length}`);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= worst)) {
      worst = d;
      at = i;
    }
  }
  if (!(worst <= tol)) throw new Error(`${label}: max abs diff ${worst} at ${at} (${a[at]} vs ${b[at]}) over ${tol}`);
  return worst;
}
