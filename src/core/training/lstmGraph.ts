// One LSTM layer of the training graph, unrolled over T steps: forward and
// backward side by side. Shapes use the key of src/core/model/types.ts;
// gate order is ONNX's i, o, f, c (c = candidate, "g" in the UI).
//
// Forward, per step t (rows = the B streams):
//   a_t = X_t W^T + Wb + Rb + h_{t-1} R^T          (B, 4H)
//   [i o f] = σ(a_t[:, :3H])   g = tanh(a_t[:, 3H:])
//   c_t = f ⊙ c_{t-1} + i ⊙ g    h_t = o ⊙ tanh(c_t)
// The input projection of all T steps is one Gemm over (T*B, I), and the
// weight gradients are one Gemm each over all steps, so only the small
// recurrent MatMuls are per step.

import type { Ops } from './graphOps';

export interface LayerParams {
  W: string; // (G*H, I)
  R: string; // (G*H, H)
  B: string; // (2*G*H)
}

export interface LayerForwardResult {
  hs: string; // (T*B, H)  h_t of every step, time-major
  hT: string; // (B, H)
  cT?: string; // (B, H) LSTM only
  cache: unknown; // values the backward pass reads
}

export interface LayerGrads {
  dW: string; // (G*H, I)
  dR: string; // (G*H, H)
  dB: string; // (2*G*H)
  dX?: string; // (T*B, I) when asked for
}

interface LstmCache {
  x: string; // (T*B, I)
  h0: string;
  steps: { sig: string; g: string; i: string; o: string; f: string; cPrev: string; tc: string; h: string }[];
}

export function lstmLayerForward(
  ops: Ops,
  p: LayerParams,
  x: string, // (T*B, I)
  h0: string, // (B, H)
  c0: string, // (B, H)
  T: number,
  B: number,
  H: number,
): LayerForwardResult {
  const [wb, rb] = ops.split(p.B, 0, [4 * H, 4 * H]);
  const bias = ops.add(wb, rb); // (4H)
  const xp = ops.gemm(x, p.W, { c: bias, transB: true }); // (T*B, 4H)
  const xps = T === 1 ? [xp] : ops.split(xp, 0, new Array(T).fill(B)); // T × (B, 4H)
  const rT = ops.transpose(p.R); // (H, 4H)
  const steps: LstmCache['steps'] = [];
  let h = h0;
  let c = c0;
  for (let t = 0; t < T; t++) {
    const a = ops.add(xps[t], ops.matmul(h, rT)); // (B, 4H)
    const [a3, ac] = ops.split(a, 1, [3 * H, H]);
    const sig = ops.sigmoid(a3); // (B, 3H) i, o, f
    const g = ops.tanh(ac); // (B, H)
    const [i, o, f] = ops.split(sig, 1, [H, H, H]);
    const cNew = ops.add(ops.mul(f, c), ops.mul(i, g));
    const tc = ops.tanh(cNew);
    const hNew = ops.mul(o, tc);
    steps.push({ sig, g, i, o, f, cPrev: c, tc, h: hNew });
    h = hNew;
    c = cNew;
  }
  const hs = ops.concat(steps.map((s) => s.h), 0); // (T*B, H)
  const cache: LstmCache = { x, h0, steps };
  return { hs, hT: h, cT: c, cache };
}

export function lstmLayerBackward(
  ops: Ops,
  p: LayerParams,
  cacheAny: unknown,
  dHs: string, // (T*B, H) loss gradient w.r.t. every h_t from above
  T: number,
  B: number,
  H: number,
  needDx: boolean,
): LayerGrads {
  const cache = cacheAny as LstmCache;
  const dhs = T === 1 ? [dHs] : ops.split(dHs, 0, new Array(T).fill(B)); // T × (B, H)
  const das: string[] = new Array(T);
  let dhNext: string | undefined; // from step t+1 through R
  let dcNext: string | undefined; // from step t+1 through f
  for (let t = T - 1; t >= 0; t--) {
    const s = cache.steps[t];
    const dh = dhNext ? ops.add(dhs[t], dhNext) : dhs[t];
    const dcFromH = ops.mul(ops.mul(dh, s.o), ops.oneMinusSq(s.tc));
    const dc = dcNext ? ops.add(dcFromH, dcNext) : dcFromH;
    const di = ops.mul(dc, s.g);
    const dO = ops.mul(dh, s.tc);
    const df = ops.mul(dc, s.cPrev);
    const dg = ops.mul(dc, s.i);
    const da3 = ops.mul(ops.concat([di, dO, df], 1), ops.sigmoidGrad(s.sig)); // (B, 3H)
    const dac = ops.mul(dg, ops.oneMinusSq(s.g)); // (B, H)
    das[t] = ops.concat([da3, dac], 1); // (B, 4H)
    if (t > 0) {
      dhNext = ops.matmul(das[t], p.R); // (B, H)
      dcNext = ops.mul(dc, s.f);
    }
  }
  const dA = ops.concat(das, 0); // (T*B, 4H)
  const hPrev = ops.concat([cache.h0, ...cache.steps.slice(0, T - 1).map((s) => s.h)], 0); // (T*B, H)
  const dW = ops.gemm(dA, cache.x, { transA: true }); // (4H, I)
  const dR = ops.gemm(dA, hPrev, { transA: true }); // (4H, H)
  const db = ops.reduceSum(dA, [0]); // (4H)
  const dB = ops.concat([db, db], 0); // (8H) Wb and Rb get the same gradient
  const dX = needDx ? ops.matmul(dA, p.W) : undefined; // (T*B, I)
  return { dW, dR, dB, dX };
}
