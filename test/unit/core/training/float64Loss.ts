// Test helper: the training loss computed with plain float64 loops straight
// from the equations (ONNX gate order, see src/core/model/types.ts), for
// finite-difference gradient checks of the training graph. Slow and obvious.

import type { ParamLayout } from '../../../../src/core/training/modelParams';

const sig = (v: number): number => 1 / (1 + Math.exp(-v));

/**
 * Mean cross-entropy (nats) over T*B chars; ids time-major (t*B + b);
 * h0/c0 per layer (B*H); masks per layer >= 1 (T*B*H) or undefined.
 */
export function float64Loss(
  layout: ParamLayout,
  p: Float64Array,
  xIds: Int32Array,
  yIds: Int32Array,
  T: number,
  B: number,
  h0: Float32Array[],
  c0: Float32Array[],
  masks?: Float32Array[],
): number {
  const { vocabSize: V, embeddingSize: E, hiddenSize: H, layers: L, kind } = layout.shape;
  const at = (name: string): Float64Array =>
    p.subarray(layout.spec(name).offset, layout.spec(name).offset + layout.spec(name).size);
  // Layer input, (T*B, I).
  let I = E > 0 ? E : V;
  let inp = new Float64Array(T * B * I);
  for (let n = 0; n < T * B; n++) {
    if (E > 0) for (let e = 0; e < E; e++) inp[n * I + e] = at('embedding')[xIds[n] * E + e];
    else inp[n * I + xIds[n]] = 1;
  }
  for (let k = 0; k < L; k++) {
    const W = at(`l${k}.W`),
      R = at(`l${k}.R`),
      Bs = at(`l${k}.B`);
    const G = kind === 'lstm' ? 4 : kind === 'gru' ? 3 : 1;
    if (k > 0 && masks) for (let j = 0; j < inp.length; j++) inp[j] *= masks[k - 1][j];
    const out = new Float64Array(T * B * H);
    for (let b = 0; b < B; b++) {
      const h = Float64Array.from(h0[k].subarray(b * H, (b + 1) * H));
      const c = kind === 'lstm' ? Float64Array.from(c0[k].subarray(b * H, (b + 1) * H)) : new Float64Array(H);
      for (let t = 0; t < T; t++) {
        const n = t * B + b;
        const xa = new Float64Array(G * H); // W x + Wb
        const ha = new Float64Array(G * H); // R h + Rb
        for (let r = 0; r < G * H; r++) {
          let s = Bs[r];
          for (let j = 0; j < I; j++) s += W[r * I + j] * inp[n * I + j];
          xa[r] = s;
          let u = Bs[G * H + r];
          for (let j = 0; j < H; j++) u += R[r * H + j] * h[j];
          ha[r] = u;
        }
        const hNew = new Float64Array(H);
        for (let j = 0; j < H; j++) {
          if (kind === 'rnn') {
            hNew[j] = Math.tanh(xa[j] + ha[j]);
          } else if (kind === 'lstm') {
            const i = sig(xa[j] + ha[j]),
              o = sig(xa[H + j] + ha[H + j]),
              f = sig(xa[2 * H + j] + ha[2 * H + j]);
            const g = Math.tanh(xa[3 * H + j] + ha[3 * H + j]);
            c[j] = f * c[j] + i * g;
            hNew[j] = o * Math.tanh(c[j]);
          } else {
            const z = sig(xa[j] + ha[j]),
              r = sig(xa[H + j] + ha[H + j]);
            const nn = Math.tanh(xa[2 * H + j] + r * ha[2 * H + j]);
            hNew[j] = (1 - z) * nn + z * h[j];
          }
        }
        h.set(hNew);
        out.set(hNew, n * H);
      }
    }
    inp = out;
    I = H;
  }
  const OW = at('out.W'),
    Ob = at('out.b');
  let total = 0;
  for (let n = 0; n < T * B; n++) {
    const z = new Float64Array(V);
    let m = -Infinity;
    for (let v = 0; v < V; v++) {
      let s = Ob[v];
      for (let j = 0; j < H; j++) s += OW[v * H + j] * inp[n * H + j];
      z[v] = s;
      m = Math.max(m, s);
    }
    let se = 0;
    for (let v = 0; v < V; v++) se += Math.exp(z[v] - m);
    total += -(z[yIds[n]] - m - Math.log(se));
  }
  return total / (T * B);
}
