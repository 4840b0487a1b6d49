// Next-character distribution from the top layer's h: logits = Wout h + b,
// softmax, top-k, and surprisal (bits) of a given character.

import type { CharModel } from '../model/types';

/** ln p(v) for every vocabulary entry given the top layer's h (H). Returns (V). */
export function logProbsFromTop(model: CharModel, hTop: Float32Array): Float64Array {
  const { W, b } = model.output;
  const V = b.length;
  const H = hTop.length;
  const out = new Float64Array(V);
  let max = -Infinity;
  for (let v = 0; v < V; v++) {
    let s = b[v];
    for (let j = 0; j < H; j++) s += W[v * H + j] * hTop[j];
    out[v] = s;
    if (s > max) max = s;
  }
  let sum = 0;
  for (let v = 0; v < V; v++) sum += Math.exp(out[v] - max);
  const lse = max + Math.log(sum);
  for (let v = 0; v < V; v++) out[v] -= lse;
  return out;
}

export interface TopEntry {
  id: number;
  p: number;
}

/** The k most likely ids, most likely first (ties: lower id first). */
export function topK(logProbs: Float64Array, k: number): TopEntry[] {
  const ids = Array.from({ length: logProbs.length }, (_, v) => v);
  ids.sort((a, b) => logProbs[b] - logProbs[a] || a - b);
  return ids.slice(0, Math.max(0, k)).map((id) => ({ id, p: Math.exp(logProbs[id]) }));
}

export const LN2 = Math.log(2);

export function surprisalBits(logProbs: Float64Array, id: number): number {
  return -logProbs[id] / LN2;
}
