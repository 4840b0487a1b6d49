// Reads the network out of an ONNX graph: walks from the logits output back
// through the linear layer, the LSTM/GRU/RNN layers and the embedding (Gather) or
// one-hot input, evaluating weight plumbing to constants and checking every
// attribute and shape. Accepts our own files (modelGraph.ts) and what
// torch.onnx.export gives for nn.Embedding + nn.LSTM/nn.GRU/nn.RNN (tanh) + nn.Linear.

import type { onnx } from 'onnx-proto';
import { GraphIndex, transpose } from '../onnx/graphIndex';
import { attrFloat, attrInt, attrString, attrStrings, findAttr, float32Of, readTensor } from '../onnx/tensorRead';
import { ModelFormatError, gateCount } from './types';
import type { InputEncoding, OutputProjection, RecurrentLayer } from './types';

export interface ImportedNetwork {
  input: InputEncoding;
  layers: RecurrentLayer[];
  output: OutputProjection;
}

/** Ops that keep the values and only move axes around on the data path (feature axis stays last). */
const PASS_THROUGH = new Set([
  'Identity',
  'Dropout',
  'Squeeze',
  'Unsqueeze',
  'Transpose',
  'Reshape',
  'Flatten',
  'Cast',
]);
const RECURRENT = new Set(['LSTM', 'GRU', 'RNN']);

const describe = (n: onnx.INodeProto): string => `${n.opType}${n.name ? ` (node ${n.name})` : ''}`;

export function importNetwork(graph: onnx.IGraphProto, opset: number, outputName?: string): ImportedNetwork {
  const g = new GraphIndex(graph, opset);
  const nodes = graph.node ?? [];
  if (!nodes.some((n) => RECURRENT.has(n.opType ?? ''))) {
    const ops = [...new Set(nodes.map((n) => n.opType))].join(', ') || 'none';
    throw new ModelFormatError(`no LSTM, GRU or RNN operator in the graph (ops found: ${ops})`);
  }
  const outs = (graph.output ?? []).map((o) => o.name ?? '');
  const logitsName = outputName ?? (outs.includes('logits') ? 'logits' : outs[0]);
  if (!logitsName) throw new ModelFormatError('the graph has no outputs');

  const skip = (name: string): string => {
    for (;;) {
      const p = g.producer(name);
      if (!p || !PASS_THROUGH.has(p.node.opType ?? '') || p.index !== 0) return name;
      if (p.node.opType === 'Transpose') {
        const perm = findAttr(p.node, 'perm')?.ints?.map(Number);
        if (perm && perm[perm.length - 1] !== perm.length - 1) {
          throw new ModelFormatError(
            `${describe(p.node)} moves the feature axis (perm [${perm.join(', ')}]); not supported on the data path`,
          );
        }
      }
      name = p.node.input![0];
    }
  };

  const output = readProjection(g, skip, logitsName);
  const layers: RecurrentLayer[] = [];
  let x = output.from;
  let input: InputEncoding | undefined;
  while (!input) {
    const p = g.producer(x);
    const where =
      layers.length === 0
        ? 'between the last recurrent layer and the linear layer'
        : `before recurrent layer (${layers.length} from the top)`;
    if (!p) {
      if (g.runtimeInputs.has(x) && layers.length > 0) {
        input = { kind: 'onehot' };
        break;
      }
      throw new ModelFormatError(`value ${x} ${where} comes from neither an op nor a graph input`);
    }
    const op = p.node.opType ?? '';
    if (RECURRENT.has(op)) {
      if (p.index !== 0) {
        throw new ModelFormatError(
          `${describe(p.node)} output ${p.index} (final state only) feeds the next layer; per-character output Y is needed`,
        );
      }
      layers.unshift(readRecurrent(g, p.node));
      x = skip(p.node.input![0]);
    } else if (op === 'Gather' && layers.length > 0) {
      if (attrInt(p.node, 'axis', 0) !== 0)
        throw new ModelFormatError(
          `embedding ${describe(p.node)} gathers on axis ${attrInt(p.node, 'axis', 0)}, expected 0`,
        );
      const table = g.constant(p.node.input![0]);
      if (table.dims.length !== 2)
        throw new ModelFormatError(`embedding table has shape [${table.dims.join(', ')}], expected (V, E)`);
      input = { kind: 'embedding', dim: table.dims[1], table: float32Of(table) };
    } else if (op === 'OneHot' && layers.length > 0) {
      const values = Array.from(g.constant(p.node.input![2]).data);
      if (values[0] !== 0 || values[1] !== 1)
        throw new ModelFormatError(`OneHot input uses values [${values.join(', ')}], expected [0, 1]`);
      input = { kind: 'onehot' };
    } else {
      throw new ModelFormatError(`unsupported op ${describe(p.node)} ${where}`);
    }
  }
  checkShapes(input, layers, output);
  checkFinite(input, layers, output);
  return { input, layers, output: { W: output.W, b: output.b } };
}

interface Projection extends OutputProjection {
  from: string; // data input of the linear layer, after pass-through ops
}

function readProjection(g: GraphIndex, skip: (n: string) => string, logitsName: string): Projection {
  let p = g.producer(skip(logitsName));
  if (p && (p.node.opType === 'Softmax' || p.node.opType === 'LogSoftmax')) {
    // Same next-character distribution as the logits underneath: read through.
    p = g.producer(skip(p.node.input![0]));
  }
  if (!p) throw new ModelFormatError(`output ${logitsName} is not computed by any node`);
  const node = p.node;
  const ins = node.input ?? [];
  let bias: Float32Array | undefined;
  let mm = node;
  if (node.opType === 'Add') {
    const constIdx = ins.findIndex((n) => g.isConstant(n));
    if (constIdx < 0)
      throw new ModelFormatError(`output ${logitsName}: Add without a constant bias; expected a linear layer`);
    bias = float32Of(g.constant(ins[constIdx]));
    const q = g.producer(skip(ins[1 - constIdx]));
    if (!q || q.node.opType !== 'MatMul')
      throw new ModelFormatError(
        `output ${logitsName}: bias is added to ${q ? describe(q.node) : 'an input'}, expected MatMul`,
      );
    mm = q.node;
  }
  if (mm.opType === 'MatMul') {
    const w = g.constant(mm.input![1]); // (H, V)
    if (w.dims.length !== 2)
      throw new ModelFormatError(`linear layer weight has shape [${w.dims.join(', ')}], expected (H, V)`);
    const V = w.dims[1];
    if (bias && bias.length !== V)
      throw new ModelFormatError(`linear layer bias has ${bias.length} values, expected V = ${V}`);
    return { W: float32Of(transpose(w, [1, 0])), b: bias ?? new Float32Array(V), from: skip(mm.input![0]) };
  }
  if (mm.opType === 'Gemm') {
    if (attrInt(mm, 'transA', 0) !== 0) throw new ModelFormatError('linear layer Gemm with transA=1 is not supported');
    let w = g.constant(mm.input![1]);
    if (attrInt(mm, 'transB', 0) === 0) w = transpose(w, [1, 0]); // now (V, H)
    const alpha = attrFloat(mm, 'alpha', 1);
    const beta = attrFloat(mm, 'beta', 1);
    const V = w.dims[0];
    const c = mm.input![2] ? float32Of(g.constant(mm.input![2])) : new Float32Array(V);
    const b = bias ?? new Float32Array(V);
    if (c.length !== V && c.length !== 1)
      throw new ModelFormatError(`linear layer bias has ${c.length} values, expected V = ${V}`);
    const W = Float32Array.from(w.data, (v) => alpha * v);
    const bb = Float32Array.from({ length: V }, (_, v) => beta * c[c.length === 1 ? 0 : v] + (b[v] ?? 0));
    return { W, b: bb, from: skip(mm.input![0]) };
  }
  throw new ModelFormatError(
    `output ${logitsName} is computed by ${describe(mm)}; expected a linear layer (MatMul + Add or Gemm)`,
  );
}

const DEFAULT_ACTIVATIONS: Record<string, string[]> = {
  LSTM: ['sigmoid', 'tanh', 'tanh'],
  GRU: ['sigmoid', 'tanh'],
  RNN: ['tanh'],
};

function readRecurrent(g: GraphIndex, node: onnx.INodeProto): RecurrentLayer {
  const op = node.opType as 'LSTM' | 'GRU' | 'RNN';
  const kind = op === 'LSTM' ? 'lstm' : op === 'GRU' ? 'gru' : 'rnn';
  const name = describe(node);
  const direction = attrString(node, 'direction') ?? 'forward';
  if (direction !== 'forward')
    throw new ModelFormatError(`${name} is ${direction}; only forward (unidirectional) layers are supported`);
  if (findAttr(node, 'clip'))
    throw new ModelFormatError(`${name} uses clip (${attrFloat(node, 'clip', 0)}); not supported`);
  if (attrInt(node, 'input_forget', 0) !== 0)
    throw new ModelFormatError(`${name} uses input_forget (coupled gates); not supported`);
  if (attrInt(node, 'layout', 0) !== 0)
    throw new ModelFormatError(`${name} uses layout=1 (batch first); only layout=0 is supported`);
  const acts = attrStrings(node, 'activations');
  if (acts && acts.map((a) => a.toLowerCase()).join() !== DEFAULT_ACTIVATIONS[op].join()) {
    throw new ModelFormatError(
      `${name} uses non-default activations [${acts.join(', ')}]; only ${DEFAULT_ACTIVATIONS[op].join(', ')} are supported`,
    );
  }
  if (findAttr(node, 'activation_alpha') || findAttr(node, 'activation_beta')) {
    throw new ModelFormatError(`${name} sets activation_alpha/activation_beta; not supported`);
  }
  const ins = node.input ?? [];
  if (op === 'LSTM' && ins[7]) throw new ModelFormatError(`${name} has peephole weights (input P); not supported`);
  if (ins[4]) throw new ModelFormatError(`${name} has a sequence_lens input; not supported`);
  for (const k of op === 'LSTM' ? [5, 6] : [5])
    if (ins[k]) checkZeroOrFed(g, ins[k], `${name} ${k === 5 ? 'initial_h' : 'initial_c'}`);

  const G = gateCount(kind);
  const W = g.constant(ins[1]);
  const R = g.constant(ins[2]);
  const H = attrInt(node, 'hidden_size', R.dims[R.dims.length - 1]);
  if (W.dims.length !== 3 || W.dims[0] !== 1 || W.dims[1] !== G * H) {
    throw new ModelFormatError(
      `${name} W has shape [${W.dims.join(', ')}], expected (1, ${G}H = ${G * H}, I) for hidden_size ${H}`,
    );
  }
  if (R.dims.join() !== [1, G * H, H].join())
    throw new ModelFormatError(`${name} R has shape [${R.dims.join(', ')}], expected (1, ${G * H}, ${H})`);
  let B: Float32Array = new Float32Array(2 * G * H);
  if (ins[3]) {
    const b = g.constant(ins[3]);
    if (b.dims.join() !== [1, 2 * G * H].join())
      throw new ModelFormatError(`${name} B has shape [${b.dims.join(', ')}], expected (1, ${2 * G * H})`);
    B = float32Of(b);
  }
  const common = { inputSize: W.dims[2], hiddenSize: H, W: float32Of(W), R: float32Of(R), B };
  if (kind === 'lstm' || kind === 'rnn') return { kind, ...common };
  return { kind, ...common, linearBeforeReset: attrInt(node, 'linear_before_reset', 0) !== 0 };
}

/** An initial state must be zeros (any plumbing of ConstantOfShape 0 / zero constants) or a graph input. */
function checkZeroOrFed(g: GraphIndex, name: string, what: string): void {
  if (g.runtimeInputs.has(name)) return;
  if (g.isConstant(name)) {
    if (g.constant(name).data.some((v) => v !== 0))
      throw new ModelFormatError(`${what} is a non-zero constant; learned initial states are not supported`);
    return;
  }
  const p = g.producer(name);
  if (!p) throw new ModelFormatError(`${what} (${name}) is not produced by any node or input`);
  const op = p.node.opType ?? '';
  if (op === 'ConstantOfShape') {
    const v = findAttr(p.node, 'value');
    if (v?.t && readTensor(v.t).data.some((x) => x !== 0))
      throw new ModelFormatError(`${what} is filled with a non-zero value; not supported`);
    return;
  }
  if (
    [
      'Expand',
      'Slice',
      'Unsqueeze',
      'Squeeze',
      'Reshape',
      'Transpose',
      'Identity',
      'Gather',
      'Split',
      'Cast',
      'Tile',
    ].includes(op)
  ) {
    return checkZeroOrFed(g, p.node.input![0], what);
  }
  if (op === 'Concat') return (p.node.input ?? []).forEach((i) => checkZeroOrFed(g, i, what));
  throw new ModelFormatError(
    `${what} is computed by ${describe(p.node)}; only zero or fed initial states are supported`,
  );
}

function checkShapes(input: InputEncoding, layers: RecurrentLayer[], out: OutputProjection): void {
  const first = layers[0];
  if (input.kind === 'embedding' && first.inputSize !== input.dim) {
    throw new ModelFormatError(
      `embedding dim E = ${input.dim} does not match the first layer's input size ${first.inputSize}`,
    );
  }
  for (let l = 1; l < layers.length; l++) {
    if (layers[l].inputSize !== layers[l - 1].hiddenSize) {
      throw new ModelFormatError(
        `layer ${l} input size ${layers[l].inputSize} does not match layer ${l - 1} hidden size ${layers[l - 1].hiddenSize}`,
      );
    }
  }
  const H = layers[layers.length - 1].hiddenSize;
  const V = out.b.length;
  if (out.W.length !== V * H)
    throw new ModelFormatError(`linear layer weight has ${out.W.length} values, expected (V, H) = (${V}, ${H})`);
  if (input.kind === 'embedding' && input.table.length / input.dim !== V) {
    throw new ModelFormatError(
      `embedding table has ${input.table.length / input.dim} rows but the model has ${V} logits`,
    );
  }
  if (input.kind === 'onehot' && first.inputSize !== V) {
    throw new ModelFormatError(
      `one-hot input: first layer input size ${first.inputSize} does not match the ${V} logits`,
    );
  }
}

/** Corrupt or diverged weights (NaN, ±Infinity) would colour everything the same; name them instead. */
function checkFinite(input: InputEncoding, layers: RecurrentLayer[], out: OutputProjection): void {
  const check = (a: Float32Array, what: string): void => {
    const k = a.findIndex((v) => !Number.isFinite(v));
    if (k >= 0) throw new ModelFormatError(`${what} holds a non-finite value (${a[k]}) at index ${k}`);
  };
  if (input.kind === 'embedding') check(input.table, 'embedding table');
  layers.forEach((l, i) => {
    check(l.W, `layer ${i} W`);
    check(l.R, `layer ${i} R`);
    check(l.B, `layer ${i} B`);
  });
  check(out.W, 'linear layer weight');
  check(out.b, 'linear layer bias');
}
