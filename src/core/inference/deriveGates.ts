// Gates and c of chosen cells from the preactivations the pass graph returns
// (see passGraph.ts for the layouts). Cheap scalar loops: O(T k) per layer.
//
// Column layout of prex/preh/prehr (T, S), S = G k: col = gate * k + m.
//   LSTM gates (ONNX order) 0 i, 1 o, 2 f, 3 c (= g):
//     i = σ(prex + preh) ...  g = tanh(prex + preh)
//     c_t = f c_{t-1} + i g   (scalar recurrence per cell, from the checkpoint c;
//                              a stepped run returns c itself, csel, since an
//                              intervention may rewrite it)
//   GRU gates 0 z, 1 r, 2 h (= n):
//     linear_before_reset: n = tanh(prex_n + r preh_n)
//     otherwise:           n = tanh(prex_n + prehr_n)   (prehr needs r of all cells)
//   RNN: h only (h = tanh(prex + preh), and hsel is h itself)

import type { RecurrentKind, Signal } from '../model/types';
import type { LayerSegmentOutput } from './modelRunner';

/** Each present signal is (T, k), row t = value after reading character t. */
export type DerivedSignals = Partial<Record<Signal, Float32Array>>;

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * All signals of the k selected cells of one layer over a segment of T steps.
 * c0 holds c of the selected cells before the segment (LSTM; ignored for GRU).
 */
export function deriveSignals(
  kind: RecurrentKind,
  linearBeforeReset: boolean,
  T: number,
  k: number,
  out: LayerSegmentOutput,
  c0: Float32Array | null,
): DerivedSignals {
  const { hsel, prex, preh } = out;
  if (kind === 'rnn') return { h: hsel }; // one tanh block: h is all there is
  const S = (kind === 'lstm' ? 4 : 3) * k;
  if (kind === 'lstm') {
    const i = new Float32Array(T * k);
    const f = new Float32Array(T * k);
    const o = new Float32Array(T * k);
    const g = new Float32Array(T * k);
    const c = new Float32Array(T * k);
    for (let m = 0; m < k; m++) {
      let cPrev = c0 ? c0[m] : 0;
      for (let t = 0; t < T; t++) {
        const r = t * S + m;
        const iv = sigmoid(prex[r] + preh[r]);
        const ov = sigmoid(prex[r + k] + preh[r + k]);
        const fv = sigmoid(prex[r + 2 * k] + preh[r + 2 * k]);
        const gv = Math.tanh(prex[r + 3 * k] + preh[r + 3 * k]);
        const o2 = t * k + m;
        cPrev = out.csel ? out.csel[o2] : fv * cPrev + iv * gv;
        i[o2] = iv;
        f[o2] = fv;
        o[o2] = ov;
        g[o2] = gv;
        c[o2] = cPrev;
      }
    }
    return { h: hsel, c, i, f, o, g };
  }
  const z = new Float32Array(T * k);
  const rr = new Float32Array(T * k);
  const n = new Float32Array(T * k);
  const prehr = out.prehr;
  if (!linearBeforeReset && !prehr && k > 0)
    throw new Error('GRU without linear_before_reset needs prehr from the pass graph');
  for (let t = 0; t < T; t++) {
    for (let m = 0; m < k; m++) {
      const r = t * S + m;
      const zv = sigmoid(prex[r] + preh[r]);
      const rv = sigmoid(prex[r + k] + preh[r + k]);
      const nPre = linearBeforeReset ? prex[r + 2 * k] + rv * preh[r + 2 * k] : prex[r + 2 * k] + prehr![r + 2 * k];
      const o2 = t * k + m;
      z[o2] = zv;
      rr[o2] = rv;
      n[o2] = Math.tanh(nPre);
    }
  }
  return { h: hsel, r: rr, z, n };
}
