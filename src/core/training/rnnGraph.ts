// One vanilla RNN layer (tanh, ONNX RNN / PyTorch nn.RNN) of the training
// graph, unrolled over T steps: forward and backward side by side. What the
// layers share is in layerGraph.ts.
//
// Key (as src/core/model/types.ts): B = batch (streams), T = time steps,
// H = hidden size, I = input size of the layer; one block (G = 1).
//
// Forward, per step t:
//   a_t = X_t W^T + Wb + Rb + h_{t-1} R^T      (B, H)
//   h_t = tanh(a_t)
// Backward: d a_t = (dh_t from above + d a_{t+1} R) ⊙ (1 − h_t²), the
// product that vanishes over distance when |R| and the tanh slope are small.

import type { Ops } from './graphOps';
import type { BackwardOptions, LayerForwardResult, LayerGrads, LayerParams, StateEdit } from './layerGraph';

export interface RnnCache {
  kind: 'rnn';
  x: string; // (T*B, I)
  h0: string; // (B, H)
  hs: string[]; // T × (B, H)
  q: string[]; // T × (B, H) 1 − h_t², the tanh slope
}

export function rnnLayerForward(
  ops: Ops,
  p: LayerParams,
  x: string, // (T*B, I)
  h0: string, // (B, H)
  T: number,
  B: number,
  H: number,
  forBackward: boolean, // false: no backward cache (eval, infer)
  edit?: StateEdit,
): LayerForwardResult<RnnCache> {
  if (edit && forBackward) throw new Error('a StateEdit is forward only');
  const [Wb, Rb] = ops.split(p.bias, 0, [H, H]); // (H), (H)
  const xp = ops.gemm(x, p.W, { c: ops.add(Wb, Rb), transB: true }); // (T*B, H)
  const xps = T === 1 ? [xp] : ops.split(xp, 0, new Array<number>(T).fill(B)); // T × (B, H)
  const Rtrans = ops.transpose(p.R); // (H, H)
  const hs: string[] = []; // T × (B, H)
  const tanhs: string[] = []; // T × (B, H) before any edit, for the slope
  let h = h0; // (B, H)
  for (let t = 0; t < T; t++) {
    let hNew = ops.tanh(ops.add(xps[t], ops.matmul(h, Rtrans))); // (B, H)
    tanhs.push(hNew);
    if (edit) hNew = edit(t, hNew).h;
    hs.push(hNew);
    h = hNew;
  }
  const all = ops.concat(hs, 0); // (T*B, H)
  if (!forBackward) return { hs: all, hT: h };
  // 1 − h² for all T steps at once, then per step
  const qAll = ops.oneMinusSq(all); // (T*B, H)
  const q = T === 1 ? [qAll] : ops.split(qAll, 0, new Array<number>(T).fill(B));
  return { hs: all, hT: h, cache: { kind: 'rnn', x, h0, hs, q } };
}

export function rnnLayerBackward(
  ops: Ops,
  p: LayerParams,
  cache: RnnCache,
  dHs: string, // (T*B, H) loss gradient w.r.t. every h_t from above
  T: number,
  B: number,
  opts: BackwardOptions,
): LayerGrads {
  const dhs = T === 1 ? [dHs] : ops.split(dHs, 0, new Array<number>(T).fill(B)); // T × (B, H)
  const das = new Array<string>(T); // T × (B, H)
  const dhSteps = new Array<string>(T); // T × (B, H) total d/d h_t
  let dhNext = opts.dhT; // (B, H) from step t+1 through R
  const grads: LayerGrads = {};
  for (let t = T - 1; t >= 0; t--) {
    const dh = dhNext ? ops.add(dhs[t], dhNext) : dhs[t]; // (B, H)
    dhSteps[t] = dh;
    das[t] = ops.mul(dh, cache.q[t]); // (B, H)
    if (t > 0)
      dhNext = ops.matmul(das[t], p.R); // (B, H)
    else if (opts.stateGrads) grads.dh0 = ops.matmul(das[0], p.R); // (B, H)
  }
  const dA = ops.concat(das, 0); // (T*B, H)
  if (opts.weights ?? true) {
    const hPrev = ops.concat([cache.h0, ...cache.hs.slice(0, T - 1)], 0); // (T*B, H)
    grads.dW = ops.gemm(dA, cache.x, { transA: true }); // (H, I)
    grads.dR = ops.gemm(dA, hPrev, { transA: true }); // (H, H)
    const dWb = ops.reduceSum(dA, [0]); // (H)
    grads.dBias = ops.concat([dWb, dWb], 0); // (2H) Wb and Rb get the same gradient
  }
  if (opts.needDx) grads.dX = ops.matmul(dA, p.W); // (T*B, I)
  if (opts.stateGrads) grads.dhAll = ops.concat(dhSteps, 0); // (T*B, H)
  return grads;
}
