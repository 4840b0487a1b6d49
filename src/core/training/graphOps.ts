// Terse node emitters over GraphBuilder for the training graph, so that the
// forward and backward code reads like the maths. Every function adds nodes
// and returns the output value name(s). Float tensors only.

import { attr } from '../onnx/graphBuilder';
import type { GraphBuilder } from '../onnx/graphBuilder';

export class Ops {
  private readonly consts = new Map<string, string>();

  constructor(readonly g: GraphBuilder) {}

  /** A float scalar constant, shared per value. */
  scalar(v: number): string {
    const key = `f${v}`;
    let name = this.consts.get(key);
    if (!name) {
      name = this.g.constFloat([v], []);
      this.consts.set(key, name);
    }
    return name;
  }

  /** An int64 1-D constant, shared per value list. */
  ints(values: number[]): string {
    const key = `i${values.join(',')}`;
    let name = this.consts.get(key);
    if (!name) {
      name = this.g.constInt64(values);
      this.consts.set(key, name);
    }
    return name;
  }

  add(a: string, b: string): string {
    return this.g.op('Add', [a, b]);
  }
  sub(a: string, b: string): string {
    return this.g.op('Sub', [a, b]);
  }
  mul(a: string, b: string): string {
    return this.g.op('Mul', [a, b]);
  }
  sigmoid(a: string): string {
    return this.g.op('Sigmoid', [a]);
  }
  tanh(a: string): string {
    return this.g.op('Tanh', [a]);
  }
  exp(a: string): string {
    return this.g.op('Exp', [a]);
  }
  matmul(a: string, b: string): string {
    return this.g.op('MatMul', [a, b]);
  }
  transpose(a: string): string {
    return this.g.op('Transpose', [a], { perm: attr.ints([1, 0]) });
  }
  /** Transpose with any axis order. */
  permute(a: string, perm: number[]): string {
    return this.g.op('Transpose', [a], { perm: attr.ints(perm) });
  }
  reshape(a: string, dims: number[]): string {
    return this.g.op('Reshape', [a, this.ints(dims)]);
  }
  /** a·b (+ c), with optional transposes: Gemm(A, B, C). */
  gemm(a: string, b: string, opts: { c?: string; transA?: boolean; transB?: boolean; out?: string } = {}): string {
    const inputs = opts.c ? [a, b, opts.c] : [a, b];
    return this.g.op(
      'Gemm',
      inputs,
      { transA: attr.int(opts.transA ? 1 : 0), transB: attr.int(opts.transB ? 1 : 0) },
      opts.out,
    );
  }
  /** Splits along `axis` into pieces of the given sizes. */
  split(a: string, axis: number, sizes: number[]): string[] {
    return this.g.node('Split', [a, this.ints(sizes)], sizes.length, { axis: attr.int(axis) });
  }
  concat(parts: string[], axis: number, out?: string): string {
    if (parts.length === 1 && !out) return parts[0];
    return this.g.op('Concat', parts, { axis: attr.int(axis) }, out);
  }
  /** Sum over the given axes (keepdims 0); all axes when `axes` is empty. */
  reduceSum(a: string, axes: number[]): string {
    return axes.length
      ? this.g.op('ReduceSum', [a, this.ints(axes)], { keepdims: attr.int(0) })
      : this.g.op('ReduceSum', [a], { keepdims: attr.int(0) });
  }
  flatten(a: string): string {
    return this.g.op('Reshape', [a, this.ints([-1])]);
  }
  identity(a: string, out: string): string {
    return this.g.op('Identity', [a], {}, out);
  }
  /** 1 - a² : derivative of tanh given its output. */
  oneMinusSq(a: string): string {
    return this.sub(this.scalar(1), this.mul(a, a));
  }
  /** a (1 - a) : derivative of the sigmoid given its output. */
  sigmoidGrad(a: string): string {
    return this.sub(a, this.mul(a, a));
  }
}
