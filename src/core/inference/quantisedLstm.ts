// int8 weights for onnxruntime's DynamicQuantizeLSTM (com.microsoft), the
// draft pass's LSTM: a quick first paint after an edit, replaced by the exact
// float run that follows (passScheduler.ts).
//
// Why it is faster: a batch-1 LSTM step reads all of R (4H × H floats, 1 MB
// at H = 256), more than a core's L2 cache on many CPUs, so the float op is
// bound by memory; as int8, R is a quarter of that.
//
// The op's layout (ContribOperators.md): W (1, I, 4H) and R (1, H, 4H), the
// transposes of ONNX LSTM's, int8 with one scale per output column (4H) and
// zero points 0; X and h are quantised to uint8 by the op itself, per tensor.
// So that the first layer's input quantises exactly, it reads the one-hot
// character (values 0 and 1) with W folded into W·Eᵀ (4H × V), instead of
// the embedding rows (their range, about ±6, would cost 8 bits ~0.05 each).

import type { CharModel, LstmLayer } from '../model/types';

/** int8 weights of one matrix, transposed, with a scale per output row of the original. */
export interface QuantisedMatrix {
  q: Int8Array; // (cols, rows) the transpose, q ≈ m / scale
  scale: Float32Array; // (rows)
}

/** Symmetric int8 per row of a row-major (rows, cols) matrix, returned transposed (cols, rows). */
export function quantiseRows(m: Float32Array, rows: number, cols: number): QuantisedMatrix {
  if (m.length !== rows * cols) throw new RangeError(`matrix has ${m.length} values, not ${rows} × ${cols}`);
  const q = new Int8Array(rows * cols);
  const scale = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let max = 0;
    for (let c = 0; c < cols; c++) max = Math.max(max, Math.abs(m[r * cols + c]));
    const s = max > 0 ? max / 127 : 1;
    scale[r] = s;
    for (let c = 0; c < cols; c++) q[c * rows + r] = Math.round(m[r * cols + c] / s);
  }
  return { q, scale };
}

export interface QuantisedLstmLayer {
  /** Size of the op's input: V for the first layer (one-hot), else the layer's I. */
  inputSize: number;
  W: QuantisedMatrix; // q (inputSize, 4H)
  R: QuantisedMatrix; // q (H, 4H)
}

/** The draft weights of LSTM layer l. */
export function quantiseLstmLayer(model: CharModel, l: number): QuantisedLstmLayer {
  const layer = model.layers[l];
  if (layer.kind !== 'lstm') throw new Error(`layer ${l} is ${layer.kind}: only LSTM layers have a quantised op`);
  const G4 = 4 * layer.hiddenSize;
  const W = l === 0 ? firstLayerInputWeights(model, layer) : layer.W;
  const inputSize = W.length / G4;
  return {
    inputSize,
    W: quantiseRows(W, G4, inputSize),
    R: quantiseRows(layer.R, G4, layer.hiddenSize),
  };
}

/** W of the first layer over the one-hot character: W·Eᵀ (4H, V) with an embedding, W itself without. */
function firstLayerInputWeights(model: CharModel, layer: LstmLayer): Float32Array {
  if (model.input.kind === 'onehot') return layer.W;
  const { dim: E, table } = model.input; // table (V, E)
  const V = table.length / E;
  const G4 = 4 * layer.hiddenSize;
  const out = new Float32Array(G4 * V); // (4H, V)
  for (let r = 0; r < G4; r++) {
    const w = layer.W.subarray(r * E, (r + 1) * E);
    for (let v = 0; v < V; v++) {
      let acc = 0;
      for (let e = 0; e < E; e++) acc += w[e] * table[v * E + e];
      out[r * V + v] = acc;
    }
  }
  return out;
}

/**
 * Code the draft is checked on before it is used (ModelRunner.draftFaithful):
 * comments, strings, indentation and brackets, as the editor shows.
 */
export const DRAFT_CHECK_TEXT = `/* Sum the values of a list, skipping the empty ones. */
function total(items) {
  let sum = 0;
  for (const item of items) {
    if (item.value === undefined) continue; // "empty"
    sum += item.value * 2 + 1;
  }
  return sum;
}

def mean(values):
    """The average of values, or 0 for none."""
    return sum(values) / len(values) if values else 0

int main(int argc, char **argv) {
    printf("%d arguments\\n", argc);
    return argc > 1 ? 0 : 'x';
}
`;

/**
 * Largest mean |h_draft - h_exact| (over every cell and step of
 * DRAFT_CHECK_TEXT) at which drafts are shown. Trained models measure about
 * 0.01 (the bundled one 0.009 on real code); a chaotic model, whose small
 * differences grow step by step, far more: it gets no drafts.
 */
export const MAX_DRAFT_ERROR = 0.03;
