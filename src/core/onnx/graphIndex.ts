// Index over an ONNX graph for walking it backwards from an output, and a
// small constant evaluator for the weight plumbing that exporters emit
// (torch.onnx.export without constant folding: Constant, Unsqueeze, Slice,
// Concat, Transpose, Squeeze, Reshape, Gather, Split, Cast, Identity).

import type { onnx } from 'onnx-proto';
import { ModelFormatError } from '../model/types';
import { attrInt, attrInts, findAttr, readTensor } from './tensorRead';
import type { HostTensor } from './tensorRead';

export interface Producer {
  node: onnx.INodeProto;
  index: number; // which output of the node
}

export class GraphIndex {
  readonly producers = new Map<string, Producer>();
  readonly initializers = new Map<string, onnx.ITensorProto>();
  /** Graph inputs that are fed at run time (not backed by an initializer). */
  readonly runtimeInputs = new Set<string>();
  private readonly cache = new Map<string, HostTensor>();

  constructor(
    readonly graph: onnx.IGraphProto,
    readonly opset: number,
  ) {
    for (const t of graph.initializer ?? []) if (t.name) this.initializers.set(t.name, t);
    for (const i of graph.input ?? []) if (i.name && !this.initializers.has(i.name)) this.runtimeInputs.add(i.name);
    for (const node of graph.node ?? []) {
      (node.output ?? []).forEach((name, index) => {
        if (name) this.producers.set(name, { node, index });
      });
    }
  }

  producer(name: string): Producer | undefined {
    return this.producers.get(name);
  }

  /** True when the value can be computed from constants alone. */
  isConstant(name: string): boolean {
    try {
      this.constant(name);
      return true;
    } catch (e) {
      if (e instanceof ModelFormatError) return false;
      throw e;
    }
  }

  /** Evaluates a constant value; throws ModelFormatError when it depends on inputs or an unsupported op. */
  constant(name: string): HostTensor {
    const hit = this.cache.get(name);
    if (hit) return hit;
    const init = this.initializers.get(name);
    let value: HostTensor;
    if (init) {
      value = readTensor(init);
    } else if (this.runtimeInputs.has(name)) {
      throw new ModelFormatError(`value ${name} is a graph input, not a constant`);
    } else {
      const p = this.producers.get(name);
      if (!p) throw new ModelFormatError(`value ${name} is not produced by any node, initializer or input`);
      value = this.evaluate(p);
    }
    this.cache.set(name, value);
    return value;
  }

  private ints(name: string | undefined): number[] | undefined {
    return name ? Array.from(this.constant(name).data) : undefined;
  }

  private evaluate({ node, index }: Producer): HostTensor {
    const op = node.opType ?? '';
    const ins = node.input ?? [];
    const x = (k: number): HostTensor => this.constant(ins[k]);
    switch (op) {
      case 'Constant': {
        const t = findAttr(node, 'value');
        if (t?.t) return readTensor(t.t);
        const f = findAttr(node, 'value_float');
        if (f) return { dims: [], data: Float64Array.of(f.f ?? 0), isFloat: true };
        const fs = findAttr(node, 'value_floats');
        if (fs) return { dims: [fs.floats!.length], data: Float64Array.from(fs.floats!), isFloat: true };
        const i = findAttr(node, 'value_int');
        if (i) return { dims: [], data: Float64Array.of(attrInt(node, 'value_int', 0)), isFloat: false };
        const is = attrInts(node, 'value_ints');
        if (is) return { dims: [is.length], data: Float64Array.from(is), isFloat: false };
        throw new ModelFormatError(`Constant node ${node.name} has no supported value attribute`);
      }
      case 'Identity':
        return x(0);
      case 'Cast': {
        const v = x(0);
        const to = attrInt(node, 'to', 1);
        return { ...v, isFloat: to === 1 || to === 11 || to === 10 };
      }
      case 'Unsqueeze': {
        const v = x(0);
        const axes = this.opset >= 13 ? (this.ints(ins[1]) ?? []) : (attrInts(node, 'axes') ?? []);
        const rank = v.dims.length + axes.length;
        const dims = [...v.dims];
        for (const a of axes.map((a) => (a < 0 ? a + rank : a)).sort((p, q) => p - q)) dims.splice(a, 0, 1);
        return { ...v, dims };
      }
      case 'Squeeze': {
        const v = x(0);
        const raw = this.opset >= 13 ? this.ints(ins[1]) : attrInts(node, 'axes');
        const axes = raw?.map((a) => (a < 0 ? a + v.dims.length : a));
        return { ...v, dims: v.dims.filter((d, k) => (axes ? !axes.includes(k) : d !== 1)) };
      }
      case 'Reshape': {
        const v = x(0);
        const shape = this.ints(ins[1])!;
        const dims = shape.map((d, k) => (d === 0 ? v.dims[k] : d));
        const known = dims.reduce((a, d) => (d === -1 ? a : a * d), 1);
        return { ...v, dims: dims.map((d) => (d === -1 ? v.data.length / known : d)) };
      }
      case 'Transpose': {
        const v = x(0);
        const perm = attrInts(node, 'perm') ?? v.dims.map((_, k) => v.dims.length - 1 - k);
        return transpose(v, perm);
      }
      case 'Concat':
        return concat(
          ins.map((_, k) => x(k)),
          attrInt(node, 'axis', 0),
        );
      case 'Slice': {
        const v = x(0);
        const old = this.opset < 10;
        const starts = old ? attrInts(node, 'starts')! : this.ints(ins[1])!;
        const ends = old ? attrInts(node, 'ends')! : this.ints(ins[2])!;
        const axes = (old ? attrInts(node, 'axes') : this.ints(ins[3] || undefined)) ?? starts.map((_, k) => k);
        const steps = (old ? undefined : this.ints(ins[4] || undefined)) ?? starts.map(() => 1);
        return slice(v, starts, ends, axes, steps);
      }
      case 'Split': {
        const v = x(0);
        const axis0 = attrInt(node, 'axis', 0);
        const axis = axis0 < 0 ? axis0 + v.dims.length : axis0;
        const n = (node.output ?? []).length;
        const sizes =
          (this.opset >= 13 ? this.ints(ins[1] || undefined) : attrInts(node, 'split')) ??
          new Array<number>(n).fill(v.dims[axis] / n);
        const start = sizes.slice(0, index).reduce((a, b) => a + b, 0);
        return slice(v, [start], [start + sizes[index]], [axis], [1]);
      }
      case 'Gather': {
        const v = x(0);
        const idx = x(1);
        const axis0 = attrInt(node, 'axis', 0);
        const axis = axis0 < 0 ? axis0 + v.dims.length : axis0;
        const parts = Array.from(idx.data).map((i) =>
          slice(v, [i < 0 ? i + v.dims[axis] : i], [(i < 0 ? i + v.dims[axis] : i) + 1], [axis], [1]),
        );
        const joined = concat(parts, axis);
        const dims = [...v.dims.slice(0, axis), ...idx.dims, ...v.dims.slice(axis + 1)];
        return { ...joined, dims };
      }
      default:
        throw new ModelFormatError(`op ${op} (node ${node.name || '?'}) is not supported in weight plumbing`);
    }
  }
}

function strides(dims: number[]): number[] {
  const s = dims.map(() => 1);
  for (let k = dims.length - 2; k >= 0; k--) s[k] = s[k + 1] * dims[k + 1];
  return s;
}

export function transpose(v: HostTensor, perm: number[]): HostTensor {
  const dims = perm.map((p) => v.dims[p]);
  const inStr = strides(v.dims);
  const outStr = strides(dims);
  const data = new Float64Array(v.data.length);
  for (let o = 0; o < data.length; o++) {
    let rem = o;
    let src = 0;
    for (let k = 0; k < dims.length; k++) {
      const q = Math.floor(rem / outStr[k]);
      rem -= q * outStr[k];
      src += q * inStr[perm[k]];
    }
    data[o] = v.data[src];
  }
  return { dims, data, isFloat: v.isFloat };
}

function concat(parts: HostTensor[], axis0: number): HostTensor {
  const rank = parts[0].dims.length;
  const axis = axis0 < 0 ? axis0 + rank : axis0;
  const outer = parts[0].dims.slice(0, axis).reduce((a, b) => a * b, 1);
  const dims = [...parts[0].dims];
  dims[axis] = parts.reduce((a, p) => a + p.dims[axis], 0);
  const data = new Float64Array(parts.reduce((a, p) => a + p.data.length, 0));
  let off = 0;
  for (let o = 0; o < outer; o++) {
    for (const p of parts) {
      const chunk = p.data.length / outer;
      data.set(p.data.subarray(o * chunk, (o + 1) * chunk), off);
      off += chunk;
    }
  }
  return { dims, data, isFloat: parts[0].isFloat };
}

function slice(v: HostTensor, starts: number[], ends: number[], axes: number[], steps: number[]): HostTensor {
  const rank = v.dims.length;
  const lo = v.dims.map(() => 0);
  const step = v.dims.map(() => 1);
  const count = [...v.dims];
  axes.forEach((a0, k) => {
    const a = a0 < 0 ? a0 + rank : a0;
    const d = v.dims[a];
    const st = steps[k];
    if (st <= 0) throw new ModelFormatError('Slice with a non-positive step is not supported in weight plumbing');
    const clamp = (i: number): number => Math.min(Math.max(i < 0 ? i + d : i, 0), d);
    const s = clamp(starts[k]);
    const e = clamp(ends[k]);
    lo[a] = s;
    step[a] = st;
    count[a] = Math.max(0, Math.ceil((e - s) / st));
  });
  const inStr = strides(v.dims);
  const outStr = strides(count);
  const data = new Float64Array(count.reduce((a, b) => a * b, 1));
  for (let o = 0; o < data.length; o++) {
    let rem = o;
    let src = 0;
    for (let k = 0; k < rank; k++) {
      const q = Math.floor(rem / outStr[k]);
      rem -= q * outStr[k];
      src += (lo[k] + q * step[k]) * inStr[k];
    }
    data[o] = v.data[src];
  }
  return { dims: count, data, isFloat: v.isFloat };
}
