// All trainable parameters of a model in ONE Float32Array with named views
// (llm.c style): the views go to onnxruntime as input tensors and to the
// model file without copying, and Adam runs over the flat buffer.
//
// Key as in src/core/model/types.ts: V vocab, E embedding, I layer input,
// H hidden, G gates (4 LSTM, 3 GRU, 1 RNN), L layers. Gate order is ONNX's.
// Layout, in this order (the gradient vector of the training graph uses the
// same order and offsets):
//   embedding      (V, E)       only when E > 0 (else one-hot input, I = V)
//   l{k}.W         (G*H, I)
//   l{k}.R         (G*H, H)
//   l{k}.B         (2*G*H)      Wb then Rb
//   out.W          (V, H)
//   out.b          (V)

import { gateCount } from '../model/types';
import type { CharModel, RecurrentKind, RecurrentLayer, VocabularySpec } from '../model/types';
import type { Rng } from '../util/seededRandom';

export interface ModelShape {
  kind: RecurrentKind;
  vocabSize: number; // V
  embeddingSize: number; // E, 0 = one-hot input
  hiddenSize: number; // H
  layers: number; // L
}

export interface ParamSpec {
  name: string;
  dims: number[];
  offset: number;
  size: number;
}

export function checkShape(s: ModelShape): void {
  const bad = (what: string): never => {
    throw new RangeError(`model shape: ${what}`);
  };
  if (s.kind !== 'lstm' && s.kind !== 'gru' && s.kind !== 'rnn')
    bad(`kind must be 'lstm', 'gru' or 'rnn', got ${String(s.kind)}`);
  if (!Number.isInteger(s.vocabSize) || s.vocabSize < 2)
    bad(`vocabulary size must be an integer >= 2, got ${s.vocabSize}`);
  if (!Number.isInteger(s.embeddingSize) || s.embeddingSize < 0)
    bad(`embedding size must be an integer >= 0, got ${s.embeddingSize}`);
  if (!Number.isInteger(s.hiddenSize) || s.hiddenSize < 1 || s.hiddenSize > 4096)
    bad(`hidden size must be an integer in 1..4096, got ${s.hiddenSize}`);
  if (!Number.isInteger(s.layers) || s.layers < 1 || s.layers > 3) bad(`layers must be 1, 2 or 3, got ${s.layers}`);
}

export class ParamLayout {
  readonly specs: ParamSpec[] = [];
  readonly total: number;
  private readonly byName = new Map<string, ParamSpec>();

  constructor(readonly shape: ModelShape) {
    checkShape(shape);
    const { vocabSize: V, embeddingSize: E, hiddenSize: H, layers: L } = shape;
    const G = gateCount(shape.kind);
    let offset = 0;
    const add = (name: string, dims: number[]): void => {
      const size = dims.reduce((a, b) => a * b, 1);
      const spec = { name, dims, offset, size };
      this.specs.push(spec);
      this.byName.set(name, spec);
      offset += size;
    };
    if (E > 0) add('embedding', [V, E]);
    for (let k = 0; k < L; k++) {
      const I = k === 0 ? (E > 0 ? E : V) : H;
      add(`l${k}.W`, [G * H, I]);
      add(`l${k}.R`, [G * H, H]);
      add(`l${k}.B`, [2 * G * H]);
    }
    add('out.W', [V, H]);
    add('out.b', [V]);
    this.total = offset;
  }

  spec(name: string): ParamSpec {
    const s = this.byName.get(name);
    if (!s) throw new Error(`no parameter named ${name}`);
    return s;
  }

  /** Named subarray views into `buf` (no copies). */
  view(buf: Float32Array, name: string): Float32Array {
    const s = this.spec(name);
    return buf.subarray(s.offset, s.offset + s.size);
  }

  /** Input size I of layer k. */
  inputSize(k: number): number {
    const { embeddingSize: E, vocabSize: V, hiddenSize: H } = this.shape;
    return k === 0 ? (E > 0 ? E : V) : H;
  }
}

/**
 * PyTorch's init: uniform(±1/sqrt(H)) for recurrent weights, biases and the
 * output layer, N(0, 1) for the embedding; LSTM forget-gate bias 1 (in the
 * Wb half, f rows = third block in ONNX order i, o, f, c) so early gradients
 * flow through the cell.
 */
export function initParams(layout: ParamLayout, rng: Rng): Float32Array {
  const buf = new Float32Array(layout.total);
  const { hiddenSize: H, kind } = layout.shape;
  for (const s of layout.specs) {
    const v = buf.subarray(s.offset, s.offset + s.size);
    if (s.name === 'embedding') {
      for (let j = 0; j < v.length; j++) v[j] = rng.normal();
    } else {
      const k = 1 / Math.sqrt(H); // every non-embedding tensor reads an H-vector or is a bias of one
      for (let j = 0; j < v.length; j++) v[j] = rng.uniform(-k, k);
    }
    if (kind === 'lstm' && /^l\d+\.B$/.test(s.name)) {
      // Wb (4H) then Rb (4H): f rows are [2H, 3H) of each half. Total bias 1.
      v.fill(1, 2 * H, 3 * H);
      v.fill(0, 4 * H + 2 * H, 4 * H + 3 * H);
    }
  }
  return buf;
}

/** A CharModel whose arrays are views of a private copy of `buf`. */
export function paramsToModel(
  layout: ParamLayout,
  buf: Float32Array,
  vocab: VocabularySpec,
  metadata: Record<string, string>,
): CharModel {
  if (buf.length !== layout.total)
    throw new RangeError(`parameter buffer has ${buf.length} values, layout needs ${layout.total}`);
  if (vocab.chars.length !== layout.shape.vocabSize) {
    throw new RangeError(`vocabulary has ${vocab.chars.length} entries, model shape says ${layout.shape.vocabSize}`);
  }
  const own = buf.slice();
  const { embeddingSize: E, hiddenSize: H, layers: L, kind } = layout.shape;
  const layers: RecurrentLayer[] = [];
  for (let k = 0; k < L; k++) {
    const base = {
      inputSize: layout.inputSize(k),
      hiddenSize: H,
      W: layout.view(own, `l${k}.W`),
      R: layout.view(own, `l${k}.R`),
      B: layout.view(own, `l${k}.B`),
    };
    layers.push(kind === 'gru' ? { kind: 'gru', ...base, linearBeforeReset: true } : { kind, ...base });
  }
  return {
    vocab: { chars: [...vocab.chars], unknownId: vocab.unknownId },
    input: E > 0 ? { kind: 'embedding', dim: E, table: layout.view(own, 'embedding') } : { kind: 'onehot' },
    layers,
    output: { W: layout.view(own, 'out.W'), b: layout.view(own, 'out.b') },
    metadata: { ...metadata },
  };
}

/** The shape of an existing model, for continuing training; throws on what the trainer cannot train. */
export function shapeOfModel(model: CharModel): ModelShape {
  const first = model.layers[0];
  if (!first) throw new RangeError('model has no recurrent layers');
  const kind = first.kind;
  const H = first.hiddenSize;
  for (const [k, l] of model.layers.entries()) {
    if (l.kind !== kind)
      throw new RangeError(`layer ${k} is ${l.kind} but layer 0 is ${kind}: the trainer needs one kind`);
    if (l.hiddenSize !== H)
      throw new RangeError(`layer ${k} has hidden size ${l.hiddenSize}, layer 0 has ${H}: the trainer needs one size`);
    if (l.kind === 'gru' && !l.linearBeforeReset)
      throw new RangeError(
        `layer ${k} is a GRU with linear_before_reset = 0; the trainer only trains linear_before_reset = 1`,
      );
  }
  const shape: ModelShape = {
    kind,
    vocabSize: model.vocab.chars.length,
    embeddingSize: model.input.kind === 'embedding' ? model.input.dim : 0,
    hiddenSize: H,
    layers: model.layers.length,
  };
  checkShape(shape);
  return shape;
}

/** Copies a model's weights into a fresh flat buffer laid out by `layout`. */
export function modelToParams(layout: ParamLayout, model: CharModel): Float32Array {
  const buf = new Float32Array(layout.total);
  const put = (name: string, src: Float32Array): void => {
    const dst = layout.view(buf, name);
    if (src.length !== dst.length)
      throw new RangeError(`parameter ${name} has ${src.length} values, expected ${dst.length}`);
    dst.set(src);
  };
  if (model.input.kind === 'embedding') put('embedding', model.input.table);
  model.layers.forEach((l, k) => {
    put(`l${k}.W`, l.W);
    put(`l${k}.R`, l.R);
    put(`l${k}.B`, l.B);
  });
  put('out.W', model.output.W);
  put('out.b', model.output.b);
  return buf;
}
