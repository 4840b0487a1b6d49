// One LSTM layer of the training graph, unrolled over T steps: forward and
// backward side by side. What the layers share is in layerGraph.ts.
//
// Key (as src/core/model/types.ts): B = batch (streams), T = time steps,
// H = hidden size, I = input size of the layer; G = 4 gates; N = T*B.
// Gate order is ONNX's i, o, f, c: rows of W and R, and each half of the
// bias, are the gates in that order. c is the candidate: "g" in the UI and in
// the maths below, `cand` in the code.
//
// Inside the layer the state is kept feature-major, a column per stream:
//   a_t = W x_t + Wb + Rb + R h_{t-1}               (4H, B)
//   [i o f] = σ(a_t[:3H])   g = tanh(a_t[3H:])
//   c_t = f ⊙ c_{t-1} + i ⊙ g    h_t = o ⊙ tanh(c_t)  (H, B)
// so that the per-step product is R (4H, H) times h (H, B): onnxruntime's
// GEMM repacks its second operand on every call, and that is now h (a few KB)
// instead of the recurrent weights (4H × H, 1 MB at H = 256), and gate
// slices are contiguous rows. The layer's inputs and outputs stay row-major
// (time-major rows t*B + b, as layerGraph.ts says): one transpose each way.
// The input projection of all T steps is one Gemm over (4H, N), and the
// weight gradients are one Gemm each over all steps, so only the small
// recurrent products are per step.

import type { Ops } from './graphOps';
import type { BackwardOptions, LayerForwardResult, LayerGrads, LayerParams, StateEdit } from './layerGraph';

export interface LstmCache {
  kind: 'lstm';
  H: number;
  x: string; // (N, I)
  hPrev: string; // (N, H)  h_{t-1} of every step, row-major
  q4: string[]; // T × (4H, B) local derivatives of a_t, see lstmLayerForward
  ot: string[]; // T × (H, B)  o ⊙ (1 - tanh²(c_t)) = d h_t / d c_t
  f: string[]; // T × (H, B)
}

/** (N, H) row-major from T per-step (H, B) columns: stacked (T*H, B), then each step transposed. */
function rowsOf(ops: Ops, cols: string[], T: number, B: number, H: number): string {
  if (B === 1) return ops.reshape(ops.concat(cols, 0), [T, H]);
  return ops.reshape(ops.permute(ops.reshape(ops.concat(cols, 0), [T, H, B]), [0, 2, 1]), [T * B, H]);
}

/** T per-step (H, B) columns of an (N, H) row-major tensor. */
function columnsOf(ops: Ops, rows: string, T: number, B: number, H: number): string[] {
  const stacked =
    B === 1
      ? ops.reshape(rows, [T * H, 1])
      : ops.reshape(ops.permute(ops.reshape(rows, [T, B, H]), [0, 2, 1]), [T * H, B]);
  return T === 1 ? [ops.reshape(stacked, [H, B])] : ops.split(stacked, 0, new Array<number>(T).fill(H));
}

/** (B, H) from (H, B) and back; a reshape when B = 1. */
const flip = (ops: Ops, v: string, rows: number, cols: number): string =>
  rows === 1 || cols === 1 ? ops.reshape(v, [cols, rows]) : ops.transpose(v);

export function lstmLayerForward(
  ops: Ops,
  p: LayerParams,
  x: string, // (N, I)
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
  const biasCol = ops.reshape(ops.add(Wb, Rb), [4 * H, 1]); // (4H, 1)
  const xp = ops.gemm(p.W, x, { c: biasCol, transB: true }); // (4H, N)
  const xps = T === 1 ? [xp] : ops.split(xp, 1, new Array<number>(T).fill(B)); // T × (4H, B)
  const steps: { sig: string; cand: string; tc: string; cPrev: string; f: string; h: string; c: string }[] = [];
  let h = flip(ops, h0, B, H); // (H, B)
  let c = flip(ops, c0, B, H); // (H, B)
  for (let t = 0; t < T; t++) {
    const a = ops.gemm(p.R, h, { c: xps[t] }); // (4H, B)
    const [a3, ac] = ops.split(a, 0, [3 * H, H]); // (3H, B), (H, B)
    const sig = ops.sigmoid(a3); // (3H, B) i, o, f
    const cand = ops.tanh(ac); // (H, B)
    const [i, o, f] = ops.split(sig, 0, [H, H, H]); // 3 × (H, B)
    let cNew = ops.add(ops.mul(f, c), ops.mul(i, cand)); // (H, B)
    const tc = ops.tanh(cNew); // (H, B)
    let hNew = ops.mul(o, tc); // (H, B)
    if (edit) {
      // The edit speaks rows (B, H).
      const e = edit(t, flip(ops, hNew, H, B), flip(ops, cNew, H, B));
      hNew = flip(ops, e.h, B, H);
      cNew = flip(ops, e.c!, B, H);
    }
    steps.push({ sig, cand, cPrev: c, tc, f, h: hNew, c: cNew });
    h = hNew;
    c = cNew;
  }
  const hs = rowsOf(
    ops,
    steps.map((s) => s.h),
    T,
    B,
    H,
  ); // (N, H)
  const hT = flip(ops, h, H, B); // (B, H)
  const cT = flip(ops, c, H, B); // (B, H)
  if (edit)
    return {
      hs,
      hT,
      cT,
      cs: rowsOf(
        ops,
        steps.map((s) => s.c),
        T,
        B,
        H,
      ),
    };
  if (!forBackward) return { hs, hT, cT };
  // The backward pass needs, per step, d a_t / d(gate outputs) times what
  // multiplies each gate. Computed here for all T steps at once on stacked
  // (T, ·, B) tensors (few big ops instead of many small ones), then split per step:
  //   q4 = [g ⊙ σ'(i), tanh(c) ⊙ σ'(o), c_prev ⊙ σ'(f), i ⊙ (1 - g²)]    (4H, B) per step
  //   so that d a_t = [dc; dh; dc; dc] ⊙ q4_t
  const stack = (pick: (s: (typeof steps)[number]) => string, rows: number): string =>
    ops.reshape(ops.concat(steps.map(pick), 0), [T, rows, B]);
  const sigAll = stack((s) => s.sig, 3 * H); // (T, 3H, B)
  const candAll = stack((s) => s.cand, H); // (T, H, B)
  const tcAll = stack((s) => s.tc, H); // (T, H, B)
  const cPrevAll = stack((s) => s.cPrev, H); // (T, H, B)
  const [iAll, oAll] = ops.split(sigAll, 1, [H, H, H]); // (T, H, B) each
  const [sgI, sgO, sgF] = ops.split(ops.sigmoidGrad(sigAll), 1, [H, H, H]); // (T, H, B) each
  const q4All = ops.concat(
    [ops.mul(candAll, sgI), ops.mul(tcAll, sgO), ops.mul(cPrevAll, sgF), ops.mul(iAll, ops.oneMinusSq(candAll))],
    1,
  ); // (T, 4H, B)
  const otAll = ops.mul(oAll, ops.oneMinusSq(tcAll)); // (T, H, B)
  const perStep = (v: string, rows: number): string[] =>
    T === 1
      ? [ops.reshape(v, [rows, B])]
      : ops.split(ops.reshape(v, [T * rows, B]), 0, new Array<number>(T).fill(rows));
  const hPrev = T === 1 ? h0 : ops.concat([h0, ops.split(hs, 0, [(T - 1) * B, B])[0]], 0); // (N, H)
  const cache: LstmCache = {
    kind: 'lstm',
    H,
    x,
    hPrev,
    q4: perStep(q4All, 4 * H),
    ot: perStep(otAll, H),
    f: steps.map((s) => s.f),
  };
  return { hs, hT, cT, cache };
}

export function lstmLayerBackward(
  ops: Ops,
  p: LayerParams,
  cache: LstmCache,
  dHs: string, // (N, H) loss gradient w.r.t. every h_t from above
  T: number,
  B: number,
  opts: BackwardOptions,
): LayerGrads {
  const H = cache.H;
  const dhs = columnsOf(ops, dHs, T, B, H); // T × (H, B)
  const das = new Array<string>(T); // T × (4H, B)
  const dhSteps = new Array<string>(T); // T × (H, B) total d/d h_t
  const dcSteps = new Array<string>(T); // T × (H, B) total d/d c_t
  let dhNext = opts.dhT ? flip(ops, opts.dhT, B, H) : undefined; // (H, B) from step t+1 through R
  let dcNext = opts.dcT ? flip(ops, opts.dcT, B, H) : undefined; // (H, B) from step t+1 through f
  const Rt = p.Rt ?? ops.transpose(p.R); // (H, 4H)
  const grads: LayerGrads = {};
  for (let t = T - 1; t >= 0; t--) {
    const dh = dhNext ? ops.add(dhs[t], dhNext) : dhs[t]; // (H, B)
    const dcFromH = ops.mul(dh, cache.ot[t]); // (H, B)
    const dc = dcNext ? ops.add(dcFromH, dcNext) : dcFromH; // (H, B)
    // c_t as state: what step t + 1 reads (through f), with h_t held
    if (opts.stateGrads) [dhSteps[t], dcSteps[t]] = [dh, dcNext ?? ops.mul(dcFromH, ops.scalar(0))];
    das[t] = ops.mul(ops.concat([dc, dh, dc, dc], 0), cache.q4[t]); // (4H, B) gates i, o, f, c
    if (t > 0) {
      dhNext = ops.gemm(Rt, das[t]); // (H, B)
      dcNext = ops.mul(dc, cache.f[t]); // (H, B)
    } else if (opts.stateGrads) {
      grads.dh0 = flip(ops, ops.gemm(Rt, das[0]), H, B); // (B, H)
      grads.dc0 = flip(ops, ops.mul(dc, cache.f[0]), H, B); // (B, H)
    }
  }
  // (4H, N): column t*B + b is step t, stream b, as the rows of x and hPrev.
  const dA =
    B === 1
      ? ops.transpose(ops.reshape(ops.concat(das, 0), [T, 4 * H]))
      : ops.reshape(ops.permute(ops.reshape(ops.concat(das, 0), [T, 4 * H, B]), [1, 0, 2]), [4 * H, T * B]);
  if (opts.weights ?? true) {
    grads.dW = ops.gemm(dA, cache.x); // (4H, I)
    grads.dR = ops.gemm(dA, cache.hPrev); // (4H, H)
    const dWb = ops.reduceSum(dA, [1]); // (4H)
    grads.dBias = ops.concat([dWb, dWb], 0); // (8H) Wb and Rb get the same gradient
  }
  if (opts.needDx) grads.dX = ops.gemm(dA, p.W, { transA: true }); // (N, I)
  if (opts.stateGrads) {
    grads.dhAll = rowsOf(ops, dhSteps, T, B, H); // (N, H)
    grads.dcAll = rowsOf(ops, dcSteps, T, B, H); // (N, H)
  }
  return grads;
}
