// The heavy step of fitting many linear probes at once, as one small ONNX
// graph run by onnxruntime: the gradient of the (weighted) loss of every
// target at the current weights. In plain JS this is 2·n·N·K multiply-adds
// per iteration; MatMul does it in milliseconds.
//
//   inputs  X (n, N) standardised cells, Z (N, K) weights, zb (K) biases,
//           Y (n, K) targets, Wt (n, K) row weights, isBin (K) 1 for logistic targets
//   S  = X · Z + zb                                   (n, K)
//   E  = (isBin · sigmoid(S) + (1 − isBin) · S − Y) · Wt
//   G  = Xᵀ · E                                       (N, K)
//   gb = ReduceSum(E, axis 0)                         (K)

import * as ort from 'onnxruntime-node';
import { GraphBuilder, attr } from '../onnx/graphBuilder';

function buildGradientGraph(N: number, K: number): Uint8Array {
  const g = new GraphBuilder('probeGradient');
  const X = g.input('X', 'float', ['n', N]);
  const Z = g.input('Z', 'float', [N, K]);
  const zb = g.input('zb', 'float', [K]);
  const Y = g.input('Y', 'float', ['n', K]);
  const Wt = g.input('Wt', 'float', ['n', K]);
  const isBin = g.input('isBin', 'float', [K]);
  const S = g.op('Add', [g.op('MatMul', [X, Z]), zb]);
  const one = g.constFloat([1], []);
  const pred = g.op('Add', [g.op('Mul', [isBin, g.op('Sigmoid', [S])]), g.op('Mul', [g.op('Sub', [one, isBin]), S])]);
  const E = g.op('Mul', [g.op('Sub', [pred, Y]), Wt]);
  g.op('MatMul', [g.op('Transpose', [X], { perm: attr.ints([1, 0]) }), E], {}, 'G');
  g.op('ReduceSum', [E, g.constInt64([0])], { keepdims: attr.int(0) }, 'gb');
  g.output('G', 'float', [N, K]);
  g.output('gb', 'float', [K]);
  return g.toBytes();
}

/** Owns the gradient session for one (N, K); X, Y, Wt and isBin are fixed per fit. */
export class ProbeGradient {
  private session?: Promise<ort.InferenceSession>;
  private readonly fixed: Record<string, ort.Tensor>;

  constructor(
    private readonly N: number,
    private readonly K: number,
    X: Float32Array,
    Y: Float32Array,
    Wt: Float32Array,
    isBin: Float32Array,
  ) {
    const n = X.length / N;
    this.fixed = {
      X: new ort.Tensor('float32', X, [n, N]),
      Y: new ort.Tensor('float32', Y, [n, K]),
      Wt: new ort.Tensor('float32', Wt, [n, K]),
      isBin: new ort.Tensor('float32', isBin, [K]),
    };
  }

  async run(Z: Float32Array, zb: Float32Array): Promise<{ G: Float32Array; gb: Float32Array }> {
    this.session ??= ort.InferenceSession.create(buildGradientGraph(this.N, this.K), {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
    });
    const sess = await this.session;
    const out = await sess.run({
      ...this.fixed,
      Z: new ort.Tensor('float32', Z, [this.N, this.K]),
      zb: new ort.Tensor('float32', zb, [this.K]),
    });
    return { G: out.G.data as Float32Array, gb: out.gb.data as Float32Array };
  }

  async dispose(): Promise<void> {
    const s = this.session;
    this.session = undefined;
    if (s) await (await s).release();
  }
}
