// One GRU layer of the training graph (linear_before_reset = 1, as PyTorch),
// unrolled over T steps: forward and backward side by side. What the layers
// share is in layerGraph.ts.
//
// Key (as src/core/model/types.ts): B = batch (streams), T = time steps,
// H = hidden size, I = input size of the layer; G = 3 gates.
// Gate order is ONNX's z, r, h: rows of W and R, and each half of the bias,
// are the gates in that order. h is the candidate: "n" in the UI, in the
// maths below and in the code.
//
// Forward, per step t:
//   xp_t = X_t W^T + Wb                 (B, 3H)   one Gemm for all steps
//   hp_t = h_{t-1} R^T + Rb             (B, 3H)
//   [z r] = σ(xp_t[:, :2H] + hp_t[:, :2H])
//   n = tanh(xp_t[:, 2H:] + r ⊙ hp_t[:, 2H:])
//   h_t = (1 - z) ⊙ n + z ⊙ h_{t-1} = n + z ⊙ (h_{t-1} - n)

import type { Ops } from './graphOps';
import type { BackwardOptions, LayerForwardResult, LayerGrads, LayerParams, StateEdit } from './layerGraph';

export interface GruCache {
  kind: 'gru';
  x: string; // (T*B, I)
  h0: string; // (B, H)
  steps: GruStep[]; // T
}

export interface GruStep {
  zr: string; // (B, 2H) σ(xp_t + hp_t) on the z and r rows
  z: string; // (B, H)
  r: string; // (B, H)
  n: string; // (B, H)  candidate
  hn: string; // (B, H) hp_t[:, 2H:], the recurrent part of the candidate before r
  hPrev: string; // (B, H) h_{t-1}
  h: string; // (B, H)  h_t
}

export function gruLayerForward(
  ops: Ops,
  p: LayerParams,
  x: string, // (T*B, I)
  h0: string, // (B, H)
  T: number,
  B: number,
  H: number,
  forBackward: boolean, // false: no backward cache (eval, infer)
  edit?: StateEdit,
): LayerForwardResult<GruCache> {
  if (edit && forBackward) throw new Error('a StateEdit is forward only');
  const [Wb, Rb] = ops.split(p.bias, 0, [3 * H, 3 * H]); // (3H), (3H)
  const xp = ops.gemm(x, p.W, { c: Wb, transB: true }); // (T*B, 3H)
  const xps = T === 1 ? [xp] : ops.split(xp, 0, new Array<number>(T).fill(B)); // T × (B, 3H)
  const steps: GruStep[] = []; // T
  let h = h0; // (B, H)
  for (let t = 0; t < T; t++) {
    const hp = ops.gemm(h, p.R, { c: Rb, transB: true }); // (B, 3H)
    const [xzr, xn] = ops.split(xps[t], 1, [2 * H, H]); // (B, 2H), (B, H)
    const [hzr, hn] = ops.split(hp, 1, [2 * H, H]); // (B, 2H), (B, H)
    const zr = ops.sigmoid(ops.add(xzr, hzr)); // (B, 2H)
    const [z, r] = ops.split(zr, 1, [H, H]); // 2 × (B, H)
    const n = ops.tanh(ops.add(xn, ops.mul(r, hn))); // (B, H)
    let hNew = ops.add(n, ops.mul(z, ops.sub(h, n))); // (B, H)
    if (edit) hNew = edit(t, hNew).h;
    steps.push({ zr, z, r, n, hn, hPrev: h, h: hNew });
    h = hNew;
  }
  const hs = ops.concat(
    steps.map((s) => s.h),
    0,
  ); // (T*B, H)
  if (!forBackward) return { hs, hT: h };
  return { hs, hT: h, cache: { kind: 'gru', x, h0, steps } };
}

export function gruLayerBackward(
  ops: Ops,
  p: LayerParams,
  cache: GruCache,
  dHs: string, // (T*B, H) loss gradient w.r.t. every h_t from above
  T: number,
  B: number,
  opts: BackwardOptions,
): LayerGrads {
  const dhs = T === 1 ? [dHs] : ops.split(dHs, 0, new Array<number>(T).fill(B)); // T × (B, H)
  const dxps = new Array<string>(T); // T × (B, 3H) gradient of xp_t
  const dhps = new Array<string>(T); // T × (B, 3H) gradient of hp_t
  const dhSteps = new Array<string>(T); // T × (B, H) total d/d h_t
  let dhNext = opts.dhT; // (B, H) from step t+1
  const grads: LayerGrads = {};
  for (let t = T - 1; t >= 0; t--) {
    const s = cache.steps[t];
    const dh = dhNext ? ops.add(dhs[t], dhNext) : dhs[t]; // (B, H)
    dhSteps[t] = dh;
    const dn = ops.sub(dh, ops.mul(dh, s.z)); // (B, H) dh (1 - z)
    const dz = ops.mul(dh, ops.sub(s.hPrev, s.n)); // (B, H)
    const dan = ops.mul(dn, ops.oneMinusSq(s.n)); // (B, H) pre-tanh
    const dr = ops.mul(dan, s.hn); // (B, H)
    const dhn = ops.mul(dan, s.r); // (B, H)
    const dazr = ops.mul(ops.concat([dz, dr], 1), ops.sigmoidGrad(s.zr)); // (B, 2H)
    dxps[t] = ops.concat([dazr, dan], 1); // (B, 3H)
    dhps[t] = ops.concat([dazr, dhn], 1); // (B, 3H)
    const dhPrev = (): string => ops.add(ops.mul(dh, s.z), ops.matmul(dhps[t], p.R)); // (B, H)
    if (t > 0) dhNext = dhPrev();
    else if (opts.stateGrads) grads.dh0 = dhPrev();
  }
  const dxpAll = ops.concat(dxps, 0); // (T*B, 3H)
  if (opts.weights ?? true) {
    const dhpAll = ops.concat(dhps, 0); // (T*B, 3H)
    const hPrev = ops.concat([cache.h0, ...cache.steps.slice(0, T - 1).map((s) => s.h)], 0); // (T*B, H)
    grads.dW = ops.gemm(dxpAll, cache.x, { transA: true }); // (3H, I)
    grads.dR = ops.gemm(dhpAll, hPrev, { transA: true }); // (3H, H)
    grads.dBias = ops.concat([ops.reduceSum(dxpAll, [0]), ops.reduceSum(dhpAll, [0])], 0); // (6H) dWb then dRb
  }
  if (opts.needDx) grads.dX = ops.matmul(dxpAll, p.W); // (T*B, I)
  if (opts.stateGrads) grads.dhAll = ops.concat(dhSteps, 0); // (T*B, H)
  return grads;
}
