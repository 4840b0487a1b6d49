// The inference graph for one segment of text, built at run time from a
// CharModel. One graph serves the full colouring pass (a few selected cells),
// windows (all cells) and surprisal: what differs is fed as inputs.
//
// Key (as src/core/model/types.ts): V = vocab, E = embedding, I = input size
// of a layer (E or V for layer 0, H above), H = hidden size, G = gates per
// layer (4 LSTM, 3 GRU, 1 RNN), T = segment length (the batch is 1); k_l (symbolic
// K) = selected cells of layer l, S_l = G k_l; M parts of P characters each
// when chained (T = M P).
// Gate order is ONNX's: i, o, f, c for LSTM; z, r, h for GRU. Columns of a
// selection are gate-major, col = gate * k + m.
// Inputs:
//   ids       int32 (T)           character ids
//   targets   int32 (T, 1)        [logp variant] ids[t+1]; last row unused
//   h0_l      float (1, 1, H)     state before the segment
//   c0_l      float (1, 1, H)     [LSTM layers]
//   cells_l   int32 (k)           selected cells
//   wsel_l    float (I, S)        selected rows of W, transposed
//   bx_l      float (S)           selected rows of Wb
//   rsel_l    float (H, S)        selected rows of R, transposed
//   bh_l      float (S)           selected rows of Rb
// Outputs:
//   hT_l, cT_l  (1, 1, H)  state after the segment (checkpoints)
//   hcp_l, ccp_l (M, 1, H) [parts variant: T = M P] state after each part
//   hsel_l   (T, k)   h of the selected cells after each character
//   prex_l   (T, S)   W x_t + Wb on the selected rows
//   preh_l   (T, S)   R h_{t-1} + Rb on the selected rows
//   prehr_l  (T, S)   [resetAll, GRU with linear_before_reset = 0]
//                     R (r_t ⊙ h_{t-1}) + Rb, which needs r of ALL cells
//   logp     (T, 1)   [logp variant] ln p(targets[t] | state after t)
// The LSTM/GRU ops run exactly as in the model; the extra MatMuls read the
// h sequence once, so their cost is O(T H S), small for a few cells.
//
// Stepped variant (interventions, see intervention.ts): T is fixed and each
// layer is unrolled step by step (the training graph's forward, B = 1) so
// that the state can be rewritten after every step:
//   ha_l, hb_l, ca_l, cb_l  float (T, H)  h_t := ha ⊙ h_t + hb, c_t := ca ⊙ c_t + cb
//   csel_l   (T, k)   [LSTM] c of the selected cells after each (rewritten) step
// Everything else, hsel and the preactivations included, reads the rewritten
// state. No parts, no prehr (GRU layers must have linear_before_reset = 1).
//
// Draft variant (the quick first paint after an edit, passScheduler.ts):
// every LSTM layer is onnxruntime's int8 DynamicQuantizeLSTM
// (quantisedLstm.ts); the selection MatMuls and logp read its h in float as
// usual. Same inputs and outputs as the plain variant; values approximate.

import { GraphBuilder, MICROSOFT_DOMAIN, attr } from '../onnx/graphBuilder';
import type { AttrValue } from '../onnx/graphBuilder';
import type { CharModel } from '../model/types';
import { gateCount, onnxOpOf } from '../model/types';
import { Ops } from '../training/graphOps';
import { gruLayerForward } from '../training/gruGraph';
import type { StateEdit } from '../training/layerGraph';
import { lstmLayerForward } from '../training/lstmGraph';
import { rnnLayerForward } from '../training/rnnGraph';
import { quantiseLstmLayer } from './quantisedLstm';

export interface PassGraphOptions {
  logp: boolean;
  /** Split the text into `count` chained parts of `length` characters (T = count * length). */
  parts?: { count: number; length: number };
  /** Per layer: add prehr_l (only meaningful for GRU with linear_before_reset = 0). */
  resetAll: boolean[];
  /** Stepped variant with this fixed T (see the top of this file). */
  stepped?: number;
  /**
   * Draft variant: every LSTM layer runs as onnxruntime's int8
   * DynamicQuantizeLSTM (quantisedLstm.ts), the rest as usual. Values are
   * approximate; LSTM models only, no parts, not stepped.
   */
  draft?: boolean;
}

/** Whether layer l of the model needs prehr (GRU without linear_before_reset). */
export function needsResetAll(model: CharModel, l: number): boolean {
  const layer = model.layers[l];
  return layer.kind === 'gru' && !layer.linearBeforeReset;
}

export function buildPassGraph(model: CharModel, options: PassGraphOptions): Uint8Array {
  const g = new GraphBuilder('lstm_lens_pass');
  const stepT = options.stepped ?? 0;
  if (stepT && options.parts) throw new Error('the stepped pass graph has no parts');
  const draft = options.draft === true;
  if (draft && (stepT || options.parts)) throw new Error('the draft pass graph has no parts and is not stepped');
  if (draft && !model.layers.every((l) => l.kind === 'lstm'))
    throw new Error('the draft pass graph needs an LSTM model: onnxruntime has no quantised GRU or RNN op');
  const M = options.parts?.count ?? 1;
  const P = options.parts?.length ?? 0;
  const V = model.vocab.chars.length;
  const ids = g.input('ids', 'int32', ['T']); // (T)
  let x: string; // (T, I)
  if (model.input.kind === 'embedding') {
    const table = g.initializer('embedding', model.input.table, [V, model.input.dim]); // (V, E)
    x = g.op('Gather', [table, ids], { axis: attr.int(0) });
  } else {
    x = oneHotOf(g, ids, V, 'onehot');
  }
  // The draft's first layer reads the one-hot character (quantisedLstm.ts).
  const oneHot = draft ? (model.input.kind === 'onehot' ? x : oneHotOf(g, ids, V, 'draft_onehot')) : ''; // (T, V)
  const axis1 = stepT ? '' : g.constInt64([1]); // (1)
  model.layers.forEach((layer, l) => {
    const H = layer.hiddenSize;
    const I = layer.inputSize;
    const G = gateCount(layer.kind);
    const h0 = g.input(`h0_${l}`, 'float', [1, 1, H]); // (1, 1, H)
    const c0 = layer.kind === 'lstm' ? g.input(`c0_${l}`, 'float', [1, 1, H]) : ''; // (1, 1, H)
    if (stepT) {
      const stepped = steppedLayer(g, model, l, x, h0, c0, stepT);
      selectedOutputs(g, l, layer.kind === 'lstm', I, H, x, h0, stepped.hs, stepped.cs);
      x = stepped.hs;
      return;
    }
    if (draft) {
      const y2 = draftLstmLayer(g, model, l, l === 0 ? oneHot : x, axis1, h0, c0); // (T, H)
      selectedOutputs(g, l, false, I, H, x, h0, y2, '');
      x = y2;
      return;
    }
    const x3 = g.op('Unsqueeze', [x, axis1]); // (T, 1, I)
    const W = g.initializer(`W_${l}`, layer.W, [1, G * H, I]); // (1, G*H, I)
    const R = g.initializer(`R_${l}`, layer.R, [1, G * H, H]); // (1, G*H, H)
    const bias = g.initializer(`B_${l}`, layer.B, [1, 2 * G * H]); // (1, 2*G*H) Wb then Rb
    // M chained ops of P characters each give the state every P characters
    // (checkpoints) from one run; M = 1 is the plain dynamic-length case.
    // xParts: M × (P, 1, I)
    const xParts =
      M === 1 ? [x3] : g.node('Split', [x3, g.constInt64(new Array<number>(M).fill(P))], M, { axis: attr.int(0) });
    const yParts: string[] = []; // M × (P, 1, 1, H)
    const hs: string[] = []; // M × (1, 1, H) h after each part
    const cs: string[] = []; // M × (1, 1, H) c after each part (LSTM)
    let [h, c] = [h0, c0]; // (1, 1, H)
    for (let m = 0; m < M; m++) {
      const last = m === M - 1;
      const outs = [
        g.fresh('Y'),
        last ? `hT_${l}` : g.fresh('h'),
        ...(layer.kind === 'lstm' ? [last ? `cT_${l}` : g.fresh('c')] : []),
      ];
      const attrs: Record<string, AttrValue> = { hidden_size: attr.int(H) };
      if (layer.kind === 'gru') attrs.linear_before_reset = attr.int(layer.linearBeforeReset ? 1 : 0);
      const ins = layer.kind === 'lstm' ? [xParts[m], W, R, bias, '', h, c] : [xParts[m], W, R, bias, '', h];
      g.node(onnxOpOf(layer.kind), ins, outs, attrs);
      yParts.push(outs[0]);
      [h, c] = [outs[1], outs[2] ?? ''];
      hs.push(h);
      cs.push(c);
    }
    g.output(`hT_${l}`, 'float', [1, 1, H]);
    if (layer.kind === 'lstm') g.output(`cT_${l}`, 'float', [1, 1, H]);
    if (M > 1) {
      g.op('Concat', hs, { axis: attr.int(0) }, `hcp_${l}`);
      g.output(`hcp_${l}`, 'float', [M, 1, H]);
      if (layer.kind === 'lstm') {
        g.op('Concat', cs, { axis: attr.int(0) }, `ccp_${l}`);
        g.output(`ccp_${l}`, 'float', [M, 1, H]);
      }
    }
    const y = M === 1 ? yParts[0] : g.op('Concat', yParts, { axis: attr.int(0) }); // (T, 1, 1, H)
    const y2 = g.op('Reshape', [y, g.constInt64([-1, H])]); // (T, H)
    selectedOutputs(g, l, false, I, H, x, h0, y2, '');
    if (options.resetAll[l] && needsResetAll(model, l)) {
      const hPrev = previousH(g, H, h0, y2);
      const rsel = `rsel_${l}`;
      const bh = `bh_${l}`;
      // r of every cell: rows H..2H of W, R and both biases (gate order z, r, h).
      const WrTrans = transposeRows(layer.W, H, 2 * H, I); // (I, H)
      const RrTrans = transposeRows(layer.R, H, 2 * H, H); // (H, H)
      const br = new Float32Array(H); // (H) Wb + Rb on the r rows
      for (let j = 0; j < H; j++) br[j] = layer.B[H + j] + layer.B[G * H + H + j];
      const pre = g.op('Add', [
        g.op('Add', [
          g.op('MatMul', [x, g.initializer(`WrT_${l}`, WrTrans, [I, H])]),
          g.op('MatMul', [hPrev, g.initializer(`RrT_${l}`, RrTrans, [H, H])]),
        ]),
        g.initializer(`br_${l}`, br, [H]),
      ]); // (T, H) pre-activation of r
      const rh = g.op('Mul', [g.op('Sigmoid', [pre]), hPrev]); // (T, H) r ⊙ h_{t-1}
      g.op('Add', [g.op('MatMul', [rh, rsel]), bh], {}, `prehr_${l}`);
      g.output(`prehr_${l}`, 'float', ['T', 'S']);
    }
    x = y2; // (T, H) input of the next layer
  });
  if (options.logp) {
    const top = model.layers[model.layers.length - 1];
    const Hl = top.hiddenSize; // H of the last layer
    const WoutTrans = transposeRows(model.output.W, 0, V, Hl); // (H, V)
    const logits = g.op('Add', [
      g.op('MatMul', [x, g.initializer('WoutT', WoutTrans, [Hl, V])]),
      g.initializer('bout', model.output.b, [V]),
    ]); // (T, V)
    const lsm = g.op('LogSoftmax', [logits], { axis: attr.int(1) }); // (T, V)
    const targets = g.input('targets', 'int32', ['T', 1]); // (T, 1)
    g.op('GatherElements', [lsm, targets], { axis: attr.int(1) }, 'logp');
    g.output('logp', 'float', ['T', 1]);
  }
  return g.toBytes();
}

/** (T, V) one-hot rows of the ids, gathered from an identity matrix initializer `name`. */
function oneHotOf(g: GraphBuilder, ids: string, V: number, name: string): string {
  const eye = new Float32Array(V * V); // (V, V)
  for (let v = 0; v < V; v++) eye[v * V + v] = 1;
  return g.op('Gather', [g.initializer(name, eye, [V, V]), ids], { axis: attr.int(0) });
}

/**
 * LSTM layer l as DynamicQuantizeLSTM over its input (T, I') (the one-hot
 * character for layer 0), writing hT_l and cT_l; returns its h sequence (T, H).
 */
function draftLstmLayer(
  g: GraphBuilder,
  model: CharModel,
  l: number,
  input: string, // (T, I')
  axis1: string,
  h0: string, // (1, 1, H)
  c0: string, // (1, 1, H)
): string {
  const layer = model.layers[l];
  const H = layer.hiddenSize;
  const q = quantiseLstmLayer(model, l);
  const zeros = new Int8Array(4 * H); // (4H) zero points
  const ins = [
    g.op('Unsqueeze', [input, axis1]), // (T, 1, I')
    g.initializer(`Wq_${l}`, q.W.q, [1, q.inputSize, 4 * H]),
    g.initializer(`Rq_${l}`, q.R.q, [1, H, 4 * H]),
    g.initializer(`B_${l}`, layer.B, [1, 8 * H]),
    '',
    h0,
    c0,
    '',
    g.initializer(`Ws_${l}`, q.W.scale, [1, 4 * H]),
    g.initializer(`Wz_${l}`, zeros, [1, 4 * H]),
    g.initializer(`Rs_${l}`, q.R.scale, [1, 4 * H]),
    g.initializer(`Rz_${l}`, zeros, [1, 4 * H]),
  ];
  const [y] = g.node(
    'DynamicQuantizeLSTM',
    ins,
    [g.fresh('Y'), `hT_${l}`, `cT_${l}`],
    { hidden_size: attr.int(H) },
    MICROSOFT_DOMAIN,
  );
  g.output(`hT_${l}`, 'float', [1, 1, H]);
  g.output(`cT_${l}`, 'float', [1, 1, H]);
  return g.op('Reshape', [y, g.constInt64([-1, H])]); // (T, H)
}

/** (T, H) h_{t-1} of every step: h0, then the sequence without its last row. */
function previousH(g: GraphBuilder, H: number, h0: string, hs: string): string {
  return g.op(
    'Concat',
    [
      g.op('Reshape', [h0, g.constInt64([1, H])]),
      g.op('Slice', [hs, g.constInt64([0]), g.constInt64([-1]), g.constInt64([0])]),
    ],
    { axis: attr.int(0) },
  );
}

/** hsel_l, [csel_l], prex_l and preh_l of layer l from its input x (T, I) and its h (and c) sequence (T, H). */
function selectedOutputs(
  g: GraphBuilder,
  l: number,
  withC: boolean,
  I: number,
  H: number,
  x: string,
  h0: string,
  hs: string,
  cs: string,
): void {
  const cells = g.input(`cells_${l}`, 'int32', ['K']); // (K)
  g.op('Gather', [hs, cells], { axis: attr.int(1) }, `hsel_${l}`);
  g.output(`hsel_${l}`, 'float', ['T', 'K']);
  if (withC) {
    g.op('Gather', [cs, cells], { axis: attr.int(1) }, `csel_${l}`);
    g.output(`csel_${l}`, 'float', ['T', 'K']);
  }
  const wsel = g.input(`wsel_${l}`, 'float', [I, 'S']); // (I, S)
  const bx = g.input(`bx_${l}`, 'float', ['S']); // (S)
  const rsel = g.input(`rsel_${l}`, 'float', [H, 'S']); // (H, S)
  const bh = g.input(`bh_${l}`, 'float', ['S']); // (S)
  g.op('Add', [g.op('MatMul', [x, wsel]), bx], {}, `prex_${l}`);
  g.output(`prex_${l}`, 'float', ['T', 'S']);
  g.op('Add', [g.op('MatMul', [previousH(g, H, h0, hs), rsel]), bh], {}, `preh_${l}`);
  g.output(`preh_${l}`, 'float', ['T', 'S']);
}

/**
 * Layer l unrolled over T steps with the state rewritten after each (the
 * stepped variant). Returns the rewritten h (and c) sequences, (T, H) each;
 * hT_l / cT_l are the rewritten state after the last step.
 */
function steppedLayer(
  g: GraphBuilder,
  model: CharModel,
  l: number,
  x: string, // (T, I)
  h0: string, // (1, 1, H)
  c0: string, // (1, 1, H) LSTM, else ''
  T: number,
): { hs: string; cs: string } {
  const layer = model.layers[l];
  const H = layer.hiddenSize;
  const G = gateCount(layer.kind);
  if (layer.kind === 'gru' && !layer.linearBeforeReset)
    throw new RangeError(`layer ${l}: the stepped pass runs GRUs with linear_before_reset = 1 only`);
  const ops = new Ops(g);
  const p = {
    W: g.initializer(`W_${l}`, layer.W, [G * H, layer.inputSize]), // (G*H, I)
    R: g.initializer(`R_${l}`, layer.R, [G * H, H]), // (G*H, H)
    bias: g.initializer(`B_${l}`, layer.B, [2 * G * H]), // (2*G*H)
  };
  const lstm = layer.kind === 'lstm';
  const rowsOf = (name: string): string[] => {
    const v = g.input(`${name}_${l}`, 'float', [T, H]); // (T, H)
    return T === 1 ? [v] : ops.split(v, 0, new Array<number>(T).fill(1)); // T × (1, H)
  };
  const [ha, hb] = [rowsOf('ha'), rowsOf('hb')];
  const [ca, cb] = lstm ? [rowsOf('ca'), rowsOf('cb')] : [[], []];
  const edit: StateEdit = (t, h, c) => ({
    h: ops.add(ops.mul(h, ha[t]), hb[t]),
    c: c === undefined ? undefined : ops.add(ops.mul(c, ca[t]), cb[t]),
  });
  const flat = (v: string): string => g.op('Reshape', [v, g.constInt64([1, H])]); // (1, H)
  const res = lstm
    ? lstmLayerForward(ops, p, x, flat(h0), flat(c0), T, 1, H, false, edit)
    : layer.kind === 'gru'
      ? gruLayerForward(ops, p, x, flat(h0), T, 1, H, false, edit)
      : rnnLayerForward(ops, p, x, flat(h0), T, 1, H, false, edit);
  g.op('Reshape', [res.hT, g.constInt64([1, 1, H])], {}, `hT_${l}`);
  g.output(`hT_${l}`, 'float', [1, 1, H]);
  if (lstm) {
    g.op('Reshape', [res.cT!, g.constInt64([1, 1, H])], {}, `cT_${l}`);
    g.output(`cT_${l}`, 'float', [1, 1, H]);
  }
  return { hs: res.hs, cs: res.cs ?? '' };
}

/** Rows [from, to) of a row-major (rows, cols) matrix, transposed to (cols, to - from). */
export function transposeRows(m: Float32Array, from: number, to: number, cols: number): Float32Array {
  const n = to - from;
  const out = new Float32Array(cols * n);
  for (let r = 0; r < n; r++) {
    const src = (from + r) * cols;
    for (let c = 0; c < cols; c++) out[c * n + r] = m[src + c];
  }
  return out;
}
