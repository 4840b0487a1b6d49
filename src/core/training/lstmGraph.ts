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
  hs: string[]; // T × (B, H)
  q4: string[]; // T × (B, 4H) local derivatives of a_t, see lstmLayerForward
  ot: string[]; // T × (B, H)  o ⊙ (1 - tanh²(c_t)) = d h_t / d c_t
  f: string[]; // T × (B, H)
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
  forBackward: boolean, // false: no backward cache (eval, infer)
): LayerForwardResult {
  const [wb, rb] = ops.split(p.B, 0, [4 * H, 4 * H]);
  const bias = ops.add(wb, rb); // (4H)
  const xp = ops.gemm(x, p.W, { c: bias, transB: true }); // (T*B, 4H)
  const xps = T === 1 ? [xp] : ops.split(xp, 0, new Array<number>(T).fill(B)); // T × (B, 4H)
  const rT = ops.transpose(p.R); // (H, 4H)
  const steps: { sig: string; g: string; tc: string; cPrev: string; h: string }[] = [];
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
    steps.push({ sig, g, cPrev: c, tc, h: hNew });
    h = hNew;
    c = cNew;
  }
  const hs = ops.concat(
    steps.map((s) => s.h),
    0,
  ); // (T*B, H)
  if (!forBackward) return { hs, hT: h, cT: c, cache: undefined };
  // The backward pass needs, per step, d a_t / d(gate outputs) times what
  // multiplies each gate. Computed here for all T steps at once on (T*B, ·)
  // tensors (few big ops instead of many small ones), then split per step:
  //   q4 = [g ⊙ σ'(i), tanh(c) ⊙ σ'(o), c_prev ⊙ σ'(f), i ⊙ (1 - g²)]    (T*B, 4H)
  //   so that d a_t = [dc, dh, dc, dc] ⊙ q4_t
  const cat = (pick: (s: (typeof steps)[number]) => string): string => ops.concat(steps.map(pick), 0);
  const SIG = cat((s) => s.sig); // (T*B, 3H)
  const G = cat((s) => s.g); // (T*B, H)
  const TC = cat((s) => s.tc);
  const CP = cat((s) => s.cPrev);
  const [I, O, F] = ops.split(SIG, 1, [H, H, H]);
  const [sgI, sgO, sgF] = ops.split(ops.sigmoidGrad(SIG), 1, [H, H, H]);
  const q4All = ops.concat([ops.mul(G, sgI), ops.mul(TC, sgO), ops.mul(CP, sgF), ops.mul(I, ops.oneMinusSq(G))], 1); // (T*B, 4H)
  const otAll = ops.mul(O, ops.oneMinusSq(TC)); // (T*B, H)
  const perStep = (v: string): string[] => (T === 1 ? [v] : ops.split(v, 0, new Array<number>(T).fill(B)));
  const cache: LstmCache = { x, h0, hs: steps.map((s) => s.h), q4: perStep(q4All), ot: perStep(otAll), f: perStep(F) };
  return { hs, hT: h, cT: c, cache };
}

export function lstmLayerBackward(
  ops: Ops,
  p: LayerParams,
  cacheAny: unknown,
  dHs: string, // (T*B, H) loss gradient w.r.t. every h_t from above
  T: number,
  B: number,
  needDx: boolean,
): LayerGrads {
  const cache = cacheAny as LstmCache;
  const dhs = T === 1 ? [dHs] : ops.split(dHs, 0, new Array<number>(T).fill(B)); // T × (B, H)
  const das = new Array<string>(T);
  let dhNext: string | undefined; // from step t+1 through R
  let dcNext: string | undefined; // from step t+1 through f
  for (let t = T - 1; t >= 0; t--) {
    const dh = dhNext ? ops.add(dhs[t], dhNext) : dhs[t]; // (B, H)
    const dcFromH = ops.mul(dh, cache.ot[t]);
    const dc = dcNext ? ops.add(dcFromH, dcNext) : dcFromH; // (B, H)
    das[t] = ops.mul(ops.concat([dc, dh, dc, dc], 1), cache.q4[t]); // (B, 4H) gates i, o, f, c
    if (t > 0) {
      dhNext = ops.matmul(das[t], p.R); // (B, H)
      dcNext = ops.mul(dc, cache.f[t]);
    }
  }
  const dA = ops.concat(das, 0); // (T*B, 4H)
  const hPrev = ops.concat([cache.h0, ...cache.hs.slice(0, T - 1)], 0); // (T*B, H)
  const dW = ops.gemm(dA, cache.x, { transA: true }); // (4H, I)
  const dR = ops.gemm(dA, hPrev, { transA: true }); // (4H, H)
  const db = ops.reduceSum(dA, [0]); // (4H)
  const dB = ops.concat([db, db], 0); // (8H) Wb and Rb get the same gradient
  const dX = needDx ? ops.matmul(dA, p.W) : undefined; // (T*B, I)
  return { dW, dR, dB, dX };
}
