// Builds ONNX graphs in memory and serialises them to ModelProto bytes.
// Used for the inference graphs (stacked LSTM/GRU with the outputs we need),
// the training graph (forward unrolled + hand-written backward) and model
// files written by the trainer. Reading model files lives in modelFile.ts.

import { onnx } from 'onnx-proto';

export type ElemType = 'float' | 'int64' | 'int32';

const ELEM: Record<ElemType, number> = {
  float: onnx.TensorProto.DataType.FLOAT,
  int32: onnx.TensorProto.DataType.INT32,
  int64: onnx.TensorProto.DataType.INT64,
};

/** An attribute value, tagged so that ints and floats are never confused. */
export type AttrValue =
  { i: number } | { f: number } | { s: string } | { ints: number[] } | { floats: number[] } | { t: onnx.ITensorProto };

export const attr = {
  int: (i: number): AttrValue => ({ i }),
  float: (f: number): AttrValue => ({ f }),
  str: (s: string): AttrValue => ({ s }),
  ints: (ints: number[]): AttrValue => ({ ints }),
  floats: (floats: number[]): AttrValue => ({ floats }),
};

/** A dimension is a fixed size or a symbolic name (e.g. 'T'). */
export type Dim = number | string;

export type TensorData = Float32Array | Int32Array | BigInt64Array | Int8Array;

/** onnxruntime's own operators (e.g. DynamicQuantizeLSTM), opset version 1. */
export const MICROSOFT_DOMAIN = 'com.microsoft';

/** A TensorProto holding `data` with shape `dims`, stored as raw little-endian bytes. */
export function makeTensor(name: string, data: TensorData, dims: number[]): onnx.ITensorProto {
  const count = dims.reduce((a, b) => a * b, 1);
  if (count !== data.length) {
    throw new Error(`tensor ${name}: ${data.length} values do not fill shape [${dims.join(', ')}]`);
  }
  const dataType =
    data instanceof Float32Array
      ? ELEM.float
      : data instanceof Int32Array
        ? ELEM.int32
        : data instanceof Int8Array
          ? onnx.TensorProto.DataType.INT8
          : ELEM.int64;
  // Copy: the view may be a subarray of a larger parameter buffer.
  const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  return { name, dims, dataType, rawData: raw };
}

function valueInfo(name: string, elem: ElemType, dims: Dim[]): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: ELEM[elem],
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function makeAttribute(name: string, v: AttrValue): onnx.IAttributeProto {
  const AttrType = onnx.AttributeProto.AttributeType;
  if ('i' in v) return { name, type: AttrType.INT, i: v.i };
  if ('f' in v) return { name, type: AttrType.FLOAT, f: v.f };
  if ('s' in v) return { name, type: AttrType.STRING, s: new TextEncoder().encode(v.s) };
  if ('ints' in v) return { name, type: AttrType.INTS, ints: v.ints };
  if ('floats' in v) return { name, type: AttrType.FLOATS, floats: v.floats };
  return { name, type: AttrType.TENSOR, t: v.t };
}

export class GraphBuilder {
  private readonly nodes: onnx.INodeProto[] = [];
  private readonly inputs: onnx.IValueInfoProto[] = [];
  private readonly outputs: onnx.IValueInfoProto[] = [];
  private readonly initializers: onnx.ITensorProto[] = [];
  private counter = 0;

  constructor(readonly name: string) {}

  /** A fresh, unique value name. */
  fresh(prefix = 'v'): string {
    return `${prefix}_${this.counter++}`;
  }

  input(name: string, elem: ElemType, dims: Dim[]): string {
    this.inputs.push(valueInfo(name, elem, dims));
    return name;
  }

  output(name: string, elem: ElemType, dims: Dim[]): string {
    this.outputs.push(valueInfo(name, elem, dims));
    return name;
  }

  initializer(name: string, data: TensorData, dims: number[]): string {
    this.initializers.push(makeTensor(name, data, dims));
    return name;
  }

  /** Scalar or 1-D constants, e.g. axes for Unsqueeze or shapes for Reshape. */
  constInt64(values: number[], name = this.fresh('const')): string {
    return this.initializer(name, BigInt64Array.from(values.map(BigInt)), [values.length]);
  }

  constFloat(values: number[], dims: number[] = [values.length], name = this.fresh('const')): string {
    return this.initializer(name, Float32Array.from(values), dims);
  }

  /**
   * Adds a node. `outputs` is a list of names or a count of fresh names.
   * Returns the output names. An empty string in inputs/outputs marks an
   * omitted optional argument, as in ONNX. `domain`: an operator set other
   * than ONNX's own (MICROSOFT_DOMAIN); the model then imports it.
   */
  node(
    opType: string,
    inputs: string[],
    outputs: string[] | number = 1,
    attrs: Record<string, AttrValue> = {},
    domain?: string,
  ): string[] {
    const outs =
      typeof outputs === 'number' ? Array.from({ length: outputs }, () => this.fresh(opType.toLowerCase())) : outputs;
    this.nodes.push({
      opType,
      ...(domain ? { domain } : {}),
      name: this.fresh(`n_${opType}`),
      input: inputs,
      output: outs,
      attribute: Object.entries(attrs).map(([k, v]) => makeAttribute(k, v)),
    });
    return outs;
  }

  /** node() for the common single-output case. */
  op(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, output?: string): string {
    return this.node(opType, inputs, output ? [output] : 1, attrs)[0];
  }

  get nodeCount(): number {
    return this.nodes.length;
  }

  toModelProto(
    options: { opset?: number; metadata?: Record<string, string>; producer?: string } = {},
  ): onnx.IModelProto {
    return {
      irVersion: 8,
      producerName: options.producer ?? 'lstm-lens',
      opsetImport: [
        { domain: '', version: options.opset ?? 17 },
        ...(this.nodes.some((n) => n.domain === MICROSOFT_DOMAIN) ? [{ domain: MICROSOFT_DOMAIN, version: 1 }] : []),
      ],
      graph: {
        name: this.name,
        node: this.nodes,
        input: this.inputs,
        output: this.outputs,
        initializer: this.initializers,
      },
      metadataProps: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
    };
  }

  toBytes(options: { opset?: number; metadata?: Record<string, string>; producer?: string } = {}): Uint8Array {
    return onnx.ModelProto.encode(onnx.ModelProto.create(this.toModelProto(options))).finish();
  }
}
