// One GRU layer of the training graph (linear_before_reset = 1, as PyTorch),
// unrolled over T steps: forward and backward side by side. Gate order is
// ONNX's z, r, h (h = candidate, "n" in the UI).
//
// Forward, per step t:
//   xp_t = X_t W^T + Wb                 (B, 3H)   one Gemm for all steps
//   hp_t = h_{t-1} R^T + Rb             (B, 3H)
//   [z r] = σ(xp_t[:, :2H] + hp_t[:, :2H])
//   n = tanh(xp_t[:, 2H:] + r ⊙ hp_t[:, 2H:])
//   h_t = (1 - z) ⊙ n + z ⊙ h_{t-1} = n + z ⊙ (h_{t-1} - n)

import type { Ops } from './graphOps';
import type { LayerForwardResult, LayerGrads, LayerParams } from './lstmGraph';

interface GruCache {
  x: string; // (T*B, I)
  h0: string;
  steps: { zr: string; z: string; r: string; n: string; hn: string; hPrev: string; h: string }[];
}

export function gruLayerForward(
  ops: Ops,
  p: LayerParams,
  x: string,
  h0: string,
  T: number,
  B: number,
  H: number,
): LayerForwardResult {
  const [wb, rb] = ops.split(p.B, 0, [3 * H, 3 * H]);
  const xp = ops.gemm(x, p.W, { c: wb, transB: true }); // (T*B, 3H)
  const xps = T === 1 ? [xp] : ops.split(xp, 0, new Array<number>(T).fill(B));
  const steps: GruCache['steps'] = [];
  let h = h0;
  for (let t = 0; t < T; t++) {
    const hp = ops.gemm(h, p.R, { c: rb, transB: true }); // (B, 3H)
    const [xzr, xn] = ops.split(xps[t], 1, [2 * H, H]);
    const [hzr, hn] = ops.split(hp, 1, [2 * H, H]);
    const zr = ops.sigmoid(ops.add(xzr, hzr)); // (B, 2H)
    const [z, r] = ops.split(zr, 1, [H, H]);
    const n = ops.tanh(ops.add(xn, ops.mul(r, hn)));
    const hNew = ops.add(n, ops.mul(z, ops.sub(h, n)));
    steps.push({ zr, z, r, n, hn, hPrev: h, h: hNew });
    h = hNew;
  }
  const hs = ops.concat(
    steps.map((s) => s.h),
    0,
  ); // (T*B, H)
  return { hs, hT: h, cache: { x, h0, steps } };
}

export function gruLayerBackward(
  ops: Ops,
  p: LayerParams,
  cacheAny: unknown,
  dHs: string, // (T*B, H)
  T: number,
  B: number,
  needDx: boolean,
): LayerGrads {
  const cache = cacheAny as GruCache;
  const dhs = T === 1 ? [dHs] : ops.split(dHs, 0, new Array<number>(T).fill(B));
  const dxps = new Array<string>(T); // (B, 3H) gradient of xp_t
  const dhps = new Array<string>(T); // (B, 3H) gradient of hp_t
  let dhNext: string | undefined;
  for (let t = T - 1; t >= 0; t--) {
    const s = cache.steps[t];
    const dh = dhNext ? ops.add(dhs[t], dhNext) : dhs[t];
    const dn = ops.sub(dh, ops.mul(dh, s.z)); // dh (1 - z)
    const dz = ops.mul(dh, ops.sub(s.hPrev, s.n));
    const dan = ops.mul(dn, ops.oneMinusSq(s.n)); // (B, H) pre-tanh
    const dr = ops.mul(dan, s.hn);
    const dhn = ops.mul(dan, s.r);
    const dazr = ops.mul(ops.concat([dz, dr], 1), ops.sigmoidGrad(s.zr)); // (B, 2H)
    dxps[t] = ops.concat([dazr, dan], 1);
    dhps[t] = ops.concat([dazr, dhn], 1);
    if (t > 0) dhNext = ops.add(ops.mul(dh, s.z), ops.matmul(dhps[t], p.R)); // (B, H)
  }
  const dXP = ops.concat(dxps, 0); // (T*B, 3H)
  const dHP = ops.concat(dhps, 0); // (T*B, 3H)
  const hPrev = ops.concat([cache.h0, ...cache.steps.slice(0, T - 1).map((s) => s.h)], 0); // (T*B, H)
  const dW = ops.gemm(dXP, cache.x, { transA: true }); // (3H, I)
  const dR = ops.gemm(dHP, hPrev, { transA: true }); // (3H, H)
  const dB = ops.concat([ops.reduceSum(dXP, [0]), ops.reduceSum(dHP, [0])], 0); // (6H)
  const dX = needDx ? ops.matmul(dXP, p.W) : undefined;
  return { dW, dR, dB, dX };
}
