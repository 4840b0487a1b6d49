// Reading ONNX TensorProtos and attributes into plain arrays. Values are
// returned as Float64Array whatever the element type (float32 and int32 are
// exact in float64; int64 constants in our graphs are small shapes/axes, and
// INT64_MAX used as a Slice end becomes ~9.2e18, still "past the end").

import { onnx } from 'onnx-proto';
import { ModelFormatError } from '../model/types';

const DT = onnx.TensorProto.DataType;
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** A tensor held in memory: row-major values and dims. */
export interface HostTensor {
  dims: number[];
  data: Float64Array;
  isFloat: boolean;
}

function toNumber(v: number | { toNumber(): number } | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'number' ? v : v.toNumber();
}

export function dimsOf(t: onnx.ITensorProto): number[] {
  return (t.dims ?? []).map(toNumber);
}

/** Decodes a TensorProto (raw_data or the typed *_data fields). */
export function readTensor(t: onnx.ITensorProto): HostTensor {
  const name = t.name || '(unnamed)';
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL || (t.externalData && t.externalData.length > 0)) {
    throw new ModelFormatError(
      `tensor ${name} uses external data files, which are not supported; save the model as one file`,
    );
  }
  const dims = dimsOf(t);
  const count = dims.reduce((a, b) => a * b, 1);
  const type: onnx.TensorProto.DataType = t.dataType ?? DT.UNDEFINED;
  const raw = t.rawData && t.rawData.length > 0 ? t.rawData : undefined;
  let data: Float64Array;
  let isFloat = false;
  if (raw) {
    // Copy first: raw bytes inside the protobuf buffer may be unaligned. (Not
    // raw.slice(): protobufjs may give a Node Buffer, whose slice() is a view.)
    const bytes = new Uint8Array(raw);
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const width =
      type === DT.FLOAT || type === DT.INT32
        ? 4
        : type === DT.DOUBLE || type === DT.INT64
          ? 8
          : type === DT.BOOL || type === DT.UINT8 || type === DT.INT8
            ? 1
            : 0;
    if (width === 0) throw new ModelFormatError(`tensor ${name} has unsupported element type ${DT[type] ?? type}`);
    if (bytes.length !== count * width) {
      throw new ModelFormatError(`tensor ${name}: ${bytes.length} raw bytes do not fill shape [${dims.join(', ')}]`);
    }
    data = new Float64Array(count);
    if (type === DT.FLOAT && LITTLE_ENDIAN) {
      // Fast path for weights: the copy is aligned, so view it as float32 directly.
      data.set(new Float32Array(bytes.buffer, bytes.byteOffset, count));
      return { dims, data, isFloat: true };
    }
    for (let k = 0; k < count; k++) {
      switch (type) {
        case DT.FLOAT:
          data[k] = dv.getFloat32(4 * k, true);
          break;
        case DT.DOUBLE:
          data[k] = dv.getFloat64(8 * k, true);
          break;
        case DT.INT32:
          data[k] = dv.getInt32(4 * k, true);
          break;
        case DT.INT64:
          data[k] = Number(dv.getBigInt64(8 * k, true));
          break;
        case DT.INT8:
          data[k] = dv.getInt8(k);
          break;
        default:
          data[k] = dv.getUint8(k);
      }
    }
    isFloat = type === DT.FLOAT || type === DT.DOUBLE;
  } else {
    let src: ArrayLike<number>;
    switch (type) {
      case DT.FLOAT:
        src = t.floatData ?? [];
        isFloat = true;
        break;
      case DT.DOUBLE:
        src = t.doubleData ?? [];
        isFloat = true;
        break;
      case DT.INT32:
      case DT.INT8:
      case DT.UINT8:
      case DT.BOOL:
      case DT.INT16:
      case DT.UINT16:
        src = t.int32Data ?? [];
        break;
      case DT.INT64:
        src = (t.int64Data ?? []).map(toNumber);
        break;
      default:
        throw new ModelFormatError(`tensor ${name} has unsupported element type ${DT[type] ?? type}`);
    }
    if (src.length !== count) {
      throw new ModelFormatError(`tensor ${name}: ${src.length} values do not fill shape [${dims.join(', ')}]`);
    }
    data = Float64Array.from(src);
  }
  return { dims, data, isFloat };
}

export function float32Of(t: HostTensor): Float32Array {
  return Float32Array.from(t.data);
}

/** Attribute lookup by name. */
export function findAttr(node: onnx.INodeProto, name: string): onnx.IAttributeProto | undefined {
  return (node.attribute ?? []).find((a) => a.name === name);
}

export function attrInt(node: onnx.INodeProto, name: string, fallback: number): number {
  const a = findAttr(node, name);
  return a ? toNumber(a.i) : fallback;
}

export function attrFloat(node: onnx.INodeProto, name: string, fallback: number): number {
  const a = findAttr(node, name);
  return a ? (a.f ?? 0) : fallback;
}

export function attrInts(node: onnx.INodeProto, name: string): number[] | undefined {
  const a = findAttr(node, name);
  return a ? (a.ints ?? []).map(toNumber) : undefined;
}

export function attrString(node: onnx.INodeProto, name: string): string | undefined {
  const a = findAttr(node, name);
  return a && a.s ? new TextDecoder().decode(a.s) : undefined;
}

export function attrStrings(node: onnx.INodeProto, name: string): string[] | undefined {
  const a = findAttr(node, name);
  return a ? (a.strings ?? []).map((s) => new TextDecoder().decode(s)) : undefined;
}
