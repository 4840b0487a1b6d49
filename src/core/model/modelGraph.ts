// Builds the standard LSTM Lens model graph from a CharModel:
//
//   ids int64 (T, B)
//    -> Gather(embedding (V, E))            (T, B, E)   or OneHot(depth V) (T, B, V)
//    -> per layer: LSTM/GRU (W, R, B)       Y (T, 1, B, H) -> Squeeze(axis 1) (T, B, H)
//    -> MatMul(W^T (H, V)) + Add(b (V))     logits float (T, B, V)
//
// Zero initial state (no initial_h / initial_c inputs); onnxruntime runs the
// file as-is. The vocabulary and metadata go into metadata_props (modelMetadata.ts).

import { GraphBuilder, attr } from '../onnx/graphBuilder';
import { gateCount, onnxOpOf } from './types';
import type { CharModel } from './types';

export const IDS_INPUT = 'ids';
export const LOGITS_OUTPUT = 'logits';

export function buildModelGraph(model: CharModel): GraphBuilder {
  const V = model.vocab.chars.length;
  const g = new GraphBuilder('lstm_lens_char_model');
  const ids = g.input(IDS_INPUT, 'int64', ['T', 'B']);
  let x: string;
  if (model.input.kind === 'embedding') {
    const table = g.initializer('embedding', model.input.table, [V, model.input.dim]);
    x = g.op('Gather', [table, ids], { axis: attr.int(0) }); // (T, B, E)
  } else {
    const depth = g.constInt64([V], 'onehot_depth');
    const values = g.constFloat([0, 1], [2], 'onehot_values');
    x = g.op('OneHot', [ids, depth, values], { axis: attr.int(-1) }); // (T, B, V)
  }
  const squeezeAxes = g.constInt64([1], 'squeeze_axes');
  model.layers.forEach((layer, l) => {
    const { inputSize: I, hiddenSize: H } = layer;
    const G = gateCount(layer.kind);
    const W = g.initializer(`layer${l}_W`, layer.W, [1, G * H, I]);
    const R = g.initializer(`layer${l}_R`, layer.R, [1, G * H, H]);
    const B = g.initializer(`layer${l}_B`, layer.B, [1, 2 * G * H]);
    const attrs: Record<string, ReturnType<typeof attr.int>> = { hidden_size: attr.int(H) };
    if (layer.kind === 'gru') attrs.linear_before_reset = attr.int(layer.linearBeforeReset ? 1 : 0);
    const [y] = g.node(onnxOpOf(layer.kind), [x, W, R, B], [`layer${l}_Y`], attrs); // (T, 1, B, H)
    x = g.op('Squeeze', [y, squeezeAxes], {}, `layer${l}_h`); // (T, B, H)
  });
  const Hl = model.layers[model.layers.length - 1].hiddenSize;
  const Wt = new Float32Array(Hl * V); // (H, V) = W^T, as MatMul wants
  for (let v = 0; v < V; v++) for (let k = 0; k < Hl; k++) Wt[k * V + v] = model.output.W[v * Hl + k];
  const w = g.initializer('output_W_t', Wt, [Hl, V]);
  const b = g.initializer('output_b', model.output.b, [V]);
  const mm = g.op('MatMul', [x, w]); // (T, B, V)
  g.op('Add', [mm, b], {}, LOGITS_OUTPUT);
  g.output(LOGITS_OUTPUT, 'float', ['T', 'B', V]);
  return g;
}
