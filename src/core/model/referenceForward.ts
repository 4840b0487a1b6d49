// Plain reference forward pass: straightforward loops over every step, every
// layer and every gate, in float64 arithmetic, stored as float32. It is slow
// and obvious on purpose: the fast engines are checked against it, and it is
// checked against PyTorch (test/fixtures/torch).
//
// Equations (ONNX operator spec, default activations; gate order in types.ts):
//   LSTM: i = σ(Wi x + Ri h + Wbi + Rbi)   o = σ(...)   f = σ(...)
//         g = tanh(Wc x + Rc h + Wbc + Rbc)
//         c' = f ⊙ c + i ⊙ g                h' = o ⊙ tanh(c')
//   GRU:  z = σ(Wz x + Rz h + Wbz + Rbz)    r = σ(Wr x + Rr h + Wbr + Rbr)
//         linearBeforeReset:  n = tanh(Wh x + Wbh + r ⊙ (Rh h + Rbh))   (PyTorch)
//         otherwise:          n = tanh(Wh x + Wbh + Rh (r ⊙ h) + Rbh)
//         h' = (1 - z) ⊙ n + z ⊙ h
//   RNN:  h' = tanh(W x + Wb + R h + Rb)

import type { CharModel, GruLayer, LstmLayer, RnnLayer } from './types';

export interface LstmTrace {
  kind: 'lstm';
  h: Float32Array; // (T, H) state after reading character t
  c: Float32Array; // (T, H)
  i: Float32Array; // (T, H)
  f: Float32Array; // (T, H)
  o: Float32Array; // (T, H)
  g: Float32Array; // (T, H) candidate (ONNX "c" gate)
}

export interface GruTrace {
  kind: 'gru';
  h: Float32Array; // (T, H)
  r: Float32Array; // (T, H)
  z: Float32Array; // (T, H)
  n: Float32Array; // (T, H) candidate (ONNX "h" gate)
}

export interface RnnTrace {
  kind: 'rnn';
  h: Float32Array; // (T, H)
}

export type LayerTrace = LstmTrace | GruTrace | RnnTrace;

export interface ReferenceResult {
  layers: LayerTrace[]; // bottom to top
  logits: Float32Array; // (T, V)
}

/** Initial state per layer (zeros where absent): h[l], c[l] of length H. */
export interface InitialState {
  h?: (Float32Array | undefined)[];
  c?: (Float32Array | undefined)[];
  /** The first layer's input vectors instead of the ids' (T, I): finite differences perturb them. */
  x?: Float64Array;
  /** Rewrites the state of layer l after step t in place (interventions; c is null for GRU). */
  edit?: ReferenceEdit;
}

export type ReferenceEdit = (l: number, t: number, h: Float64Array, c: Float64Array | null) => void;

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Input vectors of the first layer for each id. (T, I) */
export function encodeInput(model: CharModel, ids: Int32Array): Float64Array {
  const V = model.vocab.chars.length;
  const I = model.layers[0].inputSize;
  const x = new Float64Array(ids.length * I);
  for (let t = 0; t < ids.length; t++) {
    const id = ids[t];
    if (!Number.isInteger(id) || id < 0 || id >= V) {
      throw new RangeError(`character id ${id} at position ${t} is outside the vocabulary (size ${V})`);
    }
    if (model.input.kind === 'embedding') {
      for (let e = 0; e < I; e++) x[t * I + e] = model.input.table[id * I + e];
    } else {
      x[t * I + id] = 1;
    }
  }
  return x;
}

/** pre[g*H + j] = W[g*H+j, :] x + R[g*H+j, :] h + Wb + Rb, for the first `G` gate blocks. */
function preActivations(
  W: Float32Array,
  R: Float32Array,
  B: Float32Array,
  x: Float64Array,
  xOff: number,
  h: Float64Array,
  I: number,
  H: number,
  G: number,
  out: Float64Array,
  recurrentOut: Float64Array,
): void {
  for (let row = 0; row < G * H; row++) {
    let sx = B[row];
    for (let k = 0; k < I; k++) sx += W[row * I + k] * x[xOff + k];
    let sh = B[G * H + row];
    for (let k = 0; k < H; k++) sh += R[row * H + k] * h[k];
    out[row] = sx; // input part incl. Wb
    recurrentOut[row] = sh; // recurrent part incl. Rb
  }
}

function lstmForward(
  layer: LstmLayer,
  x: Float64Array,
  T: number,
  h0?: Float32Array,
  c0?: Float32Array,
  edit?: (t: number, h: Float64Array, c: Float64Array) => void,
): LstmTrace {
  const { inputSize: I, hiddenSize: H } = layer;
  const tr: LstmTrace = {
    kind: 'lstm',
    h: new Float32Array(T * H),
    c: new Float32Array(T * H),
    i: new Float32Array(T * H),
    f: new Float32Array(T * H),
    o: new Float32Array(T * H),
    g: new Float32Array(T * H),
  };
  const h = Float64Array.from(h0 ?? new Float32Array(H)); // (H)
  const c = Float64Array.from(c0 ?? new Float32Array(H)); // (H)
  const px = new Float64Array(4 * H); // (4H) gates i, o, f, c
  const ph = new Float64Array(4 * H);
  for (let t = 0; t < T; t++) {
    preActivations(layer.W, layer.R, layer.B, x, t * I, h, I, H, 4, px, ph);
    for (let j = 0; j < H; j++) {
      const i = sigmoid(px[j] + ph[j]);
      const o = sigmoid(px[H + j] + ph[H + j]);
      const f = sigmoid(px[2 * H + j] + ph[2 * H + j]);
      const g = Math.tanh(px[3 * H + j] + ph[3 * H + j]);
      c[j] = f * c[j] + i * g;
      h[j] = o * Math.tanh(c[j]);
      const k = t * H + j;
      tr.i[k] = i;
      tr.o[k] = o;
      tr.f[k] = f;
      tr.g[k] = g;
    }
    edit?.(t, h, c);
    for (let j = 0; j < H; j++) {
      tr.c[t * H + j] = c[j];
      tr.h[t * H + j] = h[j];
    }
  }
  return tr;
}

function gruForward(
  layer: GruLayer,
  x: Float64Array,
  T: number,
  h0?: Float32Array,
  edit?: (t: number, h: Float64Array) => void,
): GruTrace {
  const { inputSize: I, hiddenSize: H, W, R, B } = layer;
  const tr: GruTrace = {
    kind: 'gru',
    h: new Float32Array(T * H),
    r: new Float32Array(T * H),
    z: new Float32Array(T * H),
    n: new Float32Array(T * H),
  };
  const h = Float64Array.from(h0 ?? new Float32Array(H)); // (H)
  const px = new Float64Array(3 * H); // (3H) gates z, r, h: input part
  const ph = new Float64Array(3 * H); // (3H) recurrent part (Rh h + Rbh used only with linearBeforeReset)
  const rh = new Float64Array(H); // (H) r ⊙ h, for linearBeforeReset = false
  const r = new Float64Array(H);
  const z = new Float64Array(H);
  for (let t = 0; t < T; t++) {
    preActivations(W, R, B, x, t * I, h, I, H, 3, px, ph);
    for (let j = 0; j < H; j++) {
      z[j] = sigmoid(px[j] + ph[j]);
      r[j] = sigmoid(px[H + j] + ph[H + j]);
      rh[j] = r[j] * h[j];
    }
    for (let j = 0; j < H; j++) {
      let rec: number;
      if (layer.linearBeforeReset) {
        rec = r[j] * ph[2 * H + j];
      } else {
        rec = B[5 * H + j];
        for (let k = 0; k < H; k++) rec += R[(2 * H + j) * H + k] * rh[k];
      }
      const n = Math.tanh(px[2 * H + j] + rec);
      const k = t * H + j;
      tr.z[k] = z[j];
      tr.r[k] = r[j];
      tr.n[k] = n;
      tr.h[k] = (1 - z[j]) * n + z[j] * h[j];
    }
    for (let j = 0; j < H; j++) h[j] = tr.h[t * H + j];
    if (edit) {
      edit(t, h);
      for (let j = 0; j < H; j++) tr.h[t * H + j] = h[j];
    }
  }
  return tr;
}

function rnnForward(
  layer: RnnLayer,
  x: Float64Array,
  T: number,
  h0?: Float32Array,
  edit?: (t: number, h: Float64Array) => void,
): RnnTrace {
  const { inputSize: I, hiddenSize: H } = layer;
  const tr: RnnTrace = { kind: 'rnn', h: new Float32Array(T * H) };
  const h = Float64Array.from(h0 ?? new Float32Array(H)); // (H)
  const px = new Float64Array(H);
  const ph = new Float64Array(H);
  for (let t = 0; t < T; t++) {
    preActivations(layer.W, layer.R, layer.B, x, t * I, h, I, H, 1, px, ph);
    for (let j = 0; j < H; j++) h[j] = Math.tanh(px[j] + ph[j]);
    edit?.(t, h);
    for (let j = 0; j < H; j++) tr.h[t * H + j] = h[j];
  }
  return tr;
}

/** Runs the whole model over `ids` (T) from `init` (zeros by default). */
export function referenceForward(model: CharModel, ids: Int32Array, init: InitialState = {}): ReferenceResult {
  const T = ids.length;
  let x = init.x ?? encodeInput(model, ids); // (T, I)
  const layers: LayerTrace[] = [];
  model.layers.forEach((layer, l) => {
    const h0 = init.h?.[l];
    const c0 = init.c?.[l];
    for (const [name, v] of [
      ['h', h0],
      ['c', c0],
    ] as const) {
      if (v && v.length !== layer.hiddenSize) {
        throw new RangeError(`initial ${name} of layer ${l} has ${v.length} values, expected H = ${layer.hiddenSize}`);
      }
    }
    const edit = init.edit;
    const tr =
      layer.kind === 'lstm'
        ? lstmForward(layer, x, T, h0, c0, edit && ((t, h, c) => edit(l, t, h, c)))
        : layer.kind === 'gru'
          ? gruForward(layer, x, T, h0, edit && ((t, h) => edit(l, t, h, null)))
          : rnnForward(layer, x, T, h0, edit && ((t, h) => edit(l, t, h, null)));
    layers.push(tr);
    x = Float64Array.from(tr.h); // next layer reads the float32 states, as an ORT stack would
  });
  const H = model.layers[model.layers.length - 1].hiddenSize;
  const V = model.output.b.length;
  const logits = new Float32Array(T * V); // (T, V)
  const { W, b } = model.output;
  for (let t = 0; t < T; t++) {
    for (let v = 0; v < V; v++) {
      let s = b[v];
      for (let k = 0; k < H; k++) s += W[v * H + k] * x[t * H + k];
      logits[t * V + v] = s;
    }
  }
  return { layers, logits };
}
