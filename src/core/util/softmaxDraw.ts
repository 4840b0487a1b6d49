// One draw from softmax(scores / temperature), shared by text generation
// (src/core/inference/sampler.ts, on ln-probabilities) and the trainer's
// samples (src/core/training/sampler.ts, on logits): softmax is the same for
// both, since they differ by a constant per row. The caller brings the
// uniform number, from its own seeded generator, so a seed gives the same
// text every time.

/**
 * Index drawn from softmax(scores / temperature) with `u` uniform in [0, 1):
 * the first index whose cumulative weight exceeds u times the total.
 * Temperature 0 gives the argmax (the first one on ties), as does a total
 * that rounding leaves short of u times itself.
 */
export function drawIndex(scores: ArrayLike<number>, temperature: number, u: number): number {
  let best = 0;
  for (let v = 1; v < scores.length; v++) if (scores[v] > scores[best]) best = v;
  if (temperature === 0) return best;
  const w = new Float64Array(scores.length);
  let sum = 0;
  for (let v = 0; v < w.length; v++) sum += w[v] = Math.exp((scores[v] - scores[best]) / temperature);
  let x = u * sum;
  for (let v = 0; v < w.length; v++) {
    x -= w[v];
    if (x < 0) return v;
  }
  return best;
}
