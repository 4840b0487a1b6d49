// One LSTM layer of the training graph, unrolled over T steps: forward and
// backward side by side. What the layers share is in layerGraph.ts.
//
// Key (as src/core/model/types.ts): B = batch (streams), T = time steps,
// H = hidden size, I = input size of the layer; G = 4 gates.
// Gate order is ONNX's i, o, f, c: rows of W and R, and each half of the
// bias, are the gates in that order. c is the candidate: "g" in the UI and in
// the maths below, `cand` in the code.
//
// Forward, per step t (rows = the B streams):
//   a_t = X_t W^T + Wb + Rb + h_{t-1} R^T          (B, 4H)
//   [i o f] = σ(a_t[:, :3H])   g = tanh(a_t[:, 3H:])
//   c_t = f ⊙ c_{t-1} + i ⊙ g    h_t = o ⊙ tanh(c_t)
// The input projection of all T steps is one Gemm over (T*B, I), and the
// weight gradients are one Gemm each over all steps, so only the small
// recurrent MatMuls are per step.

import type { Ops } from './graphOps';
import type { BackwardOptions, LayerForwardResult, LayerGrads, LayerParams, StateEdit } from './layerGraph';

export interface LstmCache {
  kind: 'lstm';
  x: string; // (T*B, I)
  h0: string; // (B, H)
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
  edit?: StateEdit,
): LayerForwardResult<LstmCache> {
  if (edit && forBackward) throw new Error('a StateEdit is forward only');
  const [Wb, Rb] = ops.split(p.bias, 0, [4 * H, 4 * H]); // (4H), (4H)
  const biasSum = ops.add(Wb, Rb); // (4H)
  const xp = ops.gemm(x, p.W, { c: biasSum, transB: true }); // (T*B, 4H)
  const xps = T === 1 ? [xp] : ops.split(xp, 0, new Array<number>(T).fill(B)); // T × (B, 4H)
  const Rtrans = ops.transpose(p.R); // (H, 4H)
  const steps: { sig: string; cand: string; tc: string; cPrev: string; h: string; c: string }[] = [];
  let h = h0; // (B, H)
  let c = c0; // (B, H)
  for (let t = 0; t < T; t++) {
    const a = ops.add(xps[t], ops.matmul(h, Rtrans)); // (B, 4H)
    const [a3, ac] = ops.split(a, 1, [3 * H, H]); // (B, 3H), (B, H)
    const sig = ops.sigmoid(a3); // (B, 3H) i, o, f
    const cand = ops.tanh(ac); // (B, H)
    const [i, o, f] = ops.split(sig, 1, [H, H, H]); // 3 × (B, H)
    let cNew = ops.add(ops.mul(f, c), ops.mul(i, cand)); // (B, H)
    const tc = ops.tanh(cNew); // (B, H)
    let hNew = ops.mul(o, tc); // (B, H)
    if (edit) ({ h: hNew, c: cNew = cNew } = edit(t, hNew, cNew));
    steps.push({ sig, cand, cPrev: c, tc, h: hNew, c: cNew });
    h = hNew;
    c = cNew;
  }
  const hs = ops.concat(
    steps.map((s) => s.h),
    0,
  ); // (T*B, H)
  if (edit)
    return {
      hs,
      hT: h,
      cT: c,
      cs: ops.concat(
        steps.map((s) => s.c),
        0,
      ),
    };
  if (!forBackward) return { hs, hT: h, cT: c };
  // The backward pass needs, per step, d a_t / d(gate outputs) times what
  // multiplies each gate. Computed here for all T steps at once on (T*B, ·)
  // tensors (few big ops instead of many small ones), then split per step:
  //   q4 = [g ⊙ σ'(i), tanh(c) ⊙ σ'(o), c_prev ⊙ σ'(f), i ⊙ (1 - g²)]    (T*B, 4H)
  //   so that d a_t = [dc, dh, dc, dc] ⊙ q4_t
  const cat = (pick: (s: (typeof steps)[number]) => string): string => ops.concat(steps.map(pick), 0);
  const sigAll = cat((s) => s.sig); // (T*B, 3H)
  const candAll = cat((s) => s.cand); // (T*B, H)
  const tcAll = cat((s) => s.tc); // (T*B, H)
  const cPrevAll = cat((s) => s.cPrev); // (T*B, H)
  const [iAll, oAll, fAll] = ops.split(sigAll, 1, [H, H, H]); // 3 × (T*B, H)
  const [sgI, sgO, sgF] = ops.split(ops.sigmoidGrad(sigAll), 1, [H, H, H]); // 3 × (T*B, H)
  const q4All = ops.concat(
    [ops.mul(candAll, sgI), ops.mul(tcAll, sgO), ops.mul(cPrevAll, sgF), ops.mul(iAll, ops.oneMinusSq(candAll))],
    1,
  ); // (T*B, 4H)
  const otAll = ops.mul(oAll, ops.oneMinusSq(tcAll)); // (T*B, H)
  const perStep = (v: string): string[] => (T === 1 ? [v] : ops.split(v, 0, new Array<number>(T).fill(B)));
  const cache: LstmCache = {
    kind: 'lstm',
    x,
    h0,
    hs: steps.map((s) => s.h),
    q4: perStep(q4All),
    ot: perStep(otAll),
    f: perStep(fAll),
  };
  return { hs, hT: h, cT: c, cache };
}

export function lstmLayerBackward(
  ops: Ops,
  p: LayerParams,
  cache: LstmCache,
  dHs: string, // (T*B, H) loss gradient w.r.t. every h_t from above
  T: number,
  B: number,
  opts: BackwardOptions,
): LayerGrads {
  const dhs = T === 1 ? [dHs] : ops.split(dHs, 0, new Array<number>(T).fill(B)); // T × (B, H)
  const das = new Array<string>(T); // T × (B, 4H)
  const dhSteps = new Array<string>(T); // T × (B, H) total d/d h_t
  const dcSteps = new Array<string>(T); // T × (B, H) total d/d c_t
  let dhNext = opts.dhT; // (B, H) from step t+1 through R
  let dcNext = opts.dcT; // (B, H) from step t+1 through f
  const grads: LayerGrads = {};
  for (let t = T - 1; t >= 0; t--) {
    const dh = dhNext ? ops.add(dhs[t], dhNext) : dhs[t]; // (B, H)
    const dcFromH = ops.mul(dh, cache.ot[t]); // (B, H)
    const dc = dcNext ? ops.add(dcFromH, dcNext) : dcFromH; // (B, H)
    // c_t as state: what step t + 1 reads (through f), with h_t held
    if (opts.stateGrads) [dhSteps[t], dcSteps[t]] = [dh, dcNext ?? ops.mul(dcFromH, ops.scalar(0))];
    das[t] = ops.mul(ops.concat([dc, dh, dc, dc], 1), cache.q4[t]); // (B, 4H) gates i, o, f, c
    if (t > 0) {
      dhNext = ops.matmul(das[t], p.R); // (B, H)
      dcNext = ops.mul(dc, cache.f[t]); // (B, H)
    } else if (opts.stateGrads) {
      grads.dh0 = ops.matmul(das[0], p.R); // (B, H)
      grads.dc0 = ops.mul(dc, cache.f[0]); // (B, H)
    }
  }
  const dA = ops.concat(das, 0); // (T*B, 4H)
  if (opts.weights ?? true) {
    const hPrev = ops.concat([cache.h0, ...cache.hs.slice(0, T - 1)], 0); // (T*B, H)
    grads.dW = ops.gemm(dA, cache.x, { transA: true }); // (4H, I)
    grads.dR = ops.gemm(dA, hPrev, { transA: true }); // (4H, H)
    const dWb = ops.reduceSum(dA, [0]); // (4H)
    grads.dBias = ops.concat([dWb, dWb], 0); // (8H) Wb and Rb get the same gradient
  }
  if (opts.needDx) grads.dX = ops.matmul(dA, p.W); // (T*B, I)
  if (opts.stateGrads) {
    grads.dhAll = ops.concat(dhSteps, 0); // (T*B, H)
    grads.dcAll = ops.concat(dcSteps, 0); // (T*B, H)
  }
  return grads;
}
