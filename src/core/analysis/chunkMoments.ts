// The heavy part of the streaming cell scores, as one small ONNX graph run by
// onnxruntime: per block of BLOCK steps, the sums Σx, Σx² per cell and Σxy per
// cell and feature (float32 within a block, summed in float64 by the caller),
// and every value's histogram bin. In plain JS the Σxy update alone costs
// K·N multiply-adds per character (≈ 20k for 2x256 h and c); MatMul does it
// in a fraction of the engine pass (bench/discoverCellsBench.ts).
//
//   inputs  x_s (T', H_s) per source, y (T', K), centre (N), invScale (N), shiftY (K)
//           T' a multiple of BLOCK; B = T' / BLOCK
//   Xs   = Concat(x_s) - centre                         (T', N)
//   sxy  = Transpose(Reshape(y - shiftY)) · Reshape(Xs)  (B, K, N)
//   sx   = ReduceSum(Reshape(Xs), axis 1)                (B, N)
//   sxx  = ReduceSum(Reshape(Xs)², axis 1)               (B, N)
//   bin  = int32(Clip(Floor((s + 1) · BINS/2), 0, BINS-1)), s = z / (1 + |z|), z = Xs · invScale   (T', N)

import * as ort from 'onnxruntime-node';
import { GraphBuilder, attr } from '../onnx/graphBuilder';

export const BLOCK = 64;

export interface MomentsOutput {
  sxy: Float32Array; // (B, K, N)
  sx: Float32Array; // (B, N)
  sxx: Float32Array; // (B, N)
  bin: Int32Array; // (T', N)
}

function buildMomentsGraph(widths: readonly number[], K: number, bins: number): Uint8Array {
  const N = widths.reduce((a, b) => a + b, 0);
  const g = new GraphBuilder('chunkMoments');
  const xs = widths.map((H, s) => g.input(`x${s}`, 'float', ['T', H]));
  const y = g.input('y', 'float', ['T', K]);
  const centre = g.input('centre', 'float', [N]);
  const invScale = g.input('invScale', 'float', [N]);
  const shiftY = g.input('shiftY', 'float', [K]);
  const x = xs.length === 1 ? xs[0] : g.op('Concat', xs, { axis: attr.int(1) });
  const xc = g.op('Sub', [x, centre]); // (T', N)
  const xb = g.op('Reshape', [xc, g.constInt64([-1, BLOCK, N])]); // (B, BLOCK, N)
  const yb = g.op('Reshape', [g.op('Sub', [y, shiftY]), g.constInt64([-1, BLOCK, K])]); // (B, BLOCK, K)
  const yt = g.op('Transpose', [yb], { perm: attr.ints([0, 2, 1]) }); // (B, K, BLOCK)
  g.op('MatMul', [yt, xb], {}, 'sxy');
  const axis1 = g.constInt64([1]);
  g.op('ReduceSum', [xb, axis1], { keepdims: attr.int(0) }, 'sx');
  g.op('ReduceSum', [g.op('Mul', [xb, xb]), axis1], { keepdims: attr.int(0) }, 'sxx');
  const z = g.op('Mul', [xc, invScale]);
  const s = g.op('Div', [z, g.op('Add', [g.op('Abs', [z]), g.constFloat([1], [])])]);
  const scaled = g.op('Floor', [g.op('Mul', [g.op('Add', [s, g.constFloat([1], [])]), g.constFloat([bins / 2], [])])]);
  const clipped = g.op('Clip', [scaled, g.constFloat([0], []), g.constFloat([bins - 1], [])]);
  g.op('Cast', [clipped], { to: attr.int(6 /* INT32 */) }, 'bin');
  g.output('sxy', 'float', ['B', K, N]);
  g.output('sx', 'float', ['B', N]);
  g.output('sxx', 'float', ['B', N]);
  g.output('bin', 'int32', ['T', N]);
  return g.toBytes();
}

/** Owns the moments session for one layout of sources and features. */
export class ChunkMoments {
  private session?: Promise<ort.InferenceSession>;
  private readonly N: number;

  constructor(
    private readonly widths: readonly number[],
    private readonly K: number,
    private readonly bins: number,
    private readonly threads = 1,
  ) {
    this.N = widths.reduce((a, b) => a + b, 0);
  }

  /** xs[s] is (T', H_s), y is (T', K); T' must be a positive multiple of BLOCK. */
  async run(
    xs: readonly Float32Array[],
    y: Float32Array,
    centre: Float32Array,
    invScale: Float32Array,
    shiftY: Float32Array,
  ): Promise<MomentsOutput> {
    const T = y.length / this.K;
    if (!(T > 0 && T % BLOCK === 0))
      throw new Error(`chunk moments need a positive multiple of ${BLOCK} steps, got ${T}`);
    this.session ??= ort.InferenceSession.create(buildMomentsGraph(this.widths, this.K, this.bins), {
      intraOpNumThreads: this.threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
    });
    const sess = await this.session;
    const feeds: Record<string, ort.Tensor> = {
      y: new ort.Tensor('float32', y, [T, this.K]),
      centre: new ort.Tensor('float32', centre, [this.N]),
      invScale: new ort.Tensor('float32', invScale, [this.N]),
      shiftY: new ort.Tensor('float32', shiftY, [this.K]),
    };
    xs.forEach((x, s) => {
      feeds[`x${s}`] = new ort.Tensor('float32', x, [T, this.widths[s]]);
    });
    const out = await sess.run(feeds);
    return {
      sxy: out.sxy.data as Float32Array,
      sx: out.sx.data as Float32Array,
      sxx: out.sxx.data as Float32Array,
      bin: out.bin.data as Int32Array,
    };
  }

  async dispose(): Promise<void> {
    const s = this.session;
    this.session = undefined;
    if (s) await (await s).release();
  }
}
