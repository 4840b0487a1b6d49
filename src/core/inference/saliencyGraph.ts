// The saliency graph: one window of T characters run forward and back
// through time (the training graph's layers, B = 1, weights as
// initializers), giving how much a chosen prediction depends on every
// earlier character and state.
//
// Key (as src/core/model/types.ts): V = vocab, I = input size of a layer
// (E, or V for one-hot input), H = hidden size, T = window length.
// Inputs:
//   ids      int32 (T)      character ids (rows after the target may be anything)
//   y        float (T, V)   one-hot of the predicted character at each row
//   wt       float (T, 1)   weight of row t's log-probability in the objective
//                           (1 at the target row, 0 elsewhere)
//   h0_l, c0_l  (1, H)      state before the window
//   dhT_l, dcT_l (1, H)     gradient arriving at the state after the window
//                           from later windows (zeros for the target's window)
// Objective: J = Σ_t wt_t ln p(y_t | state after t); for one target row t*,
// J = ln p(next char) and the outputs are
//   sal      (T)            ‖∂J/∂x_t‖₂ over the input vector of character t
//   gh_l     (T)            ‖∂J/∂h_t‖₂ of layer l (all paths: output, layer above, step t+1)
//   gc_l     (T)            ‖∂J/∂c_t‖₂ of layer l (LSTM), c_t as the state step t + 1
//                           reads (h_t held): the cell-state path on its own
//   dh0_l, dc0_l (1, H)     ∂J/∂ state before the window, for the window before
//   logp     (T, 1)         ln p(y_t | state after t)

import { GraphBuilder, attr } from '../onnx/graphBuilder';
import type { CharModel } from '../model/types';
import { gateCount } from '../model/types';
import { Ops } from '../training/graphOps';
import { gruLayerBackward, gruLayerForward } from '../training/gruGraph';
import type { GruCache } from '../training/gruGraph';
import { lstmLayerBackward, lstmLayerForward } from '../training/lstmGraph';
import type { LstmCache } from '../training/lstmGraph';
import { rnnLayerBackward, rnnLayerForward } from '../training/rnnGraph';
import type { RnnCache } from '../training/rnnGraph';
import { transposeRows } from './passGraph';

export function buildSaliencyGraph(model: CharModel, T: number): Uint8Array {
  if (!Number.isInteger(T) || T < 1) throw new RangeError(`saliency window must be an integer >= 1, got ${T}`);
  const g = new GraphBuilder(`lstm_lens_saliency_T${T}`);
  const ops = new Ops(g);
  const V = model.vocab.chars.length;
  const ids = g.input('ids', 'int32', [T]); // (T)
  const y = g.input('y', 'float', [T, V]); // (T, V)
  const wt = g.input('wt', 'float', [T, 1]); // (T, 1)
  const table =
    model.input.kind === 'embedding'
      ? g.initializer('embedding', model.input.table, [V, model.input.dim]) // (V, E)
      : g.initializer('onehot', identity(V), [V, V]); // (V, V)
  const x0 = g.op('Gather', [table, ids], { axis: attr.int(0) }); // (T, I)
  const caches: (LstmCache | GruCache | RnnCache)[] = [];
  const params = model.layers.map((layer, l) => {
    const H = layer.hiddenSize;
    const G = gateCount(layer.kind);
    if (layer.kind === 'gru' && !layer.linearBeforeReset)
      throw new RangeError(`layer ${l}: saliency runs GRUs with linear_before_reset = 1 only`);
    return {
      W: g.initializer(`W_${l}`, layer.W, [G * H, layer.inputSize]), // (G*H, I)
      R: g.initializer(`R_${l}`, layer.R, [G * H, H]), // (G*H, H)
      bias: g.initializer(`B_${l}`, layer.B, [2 * G * H]), // (2*G*H)
    };
  });
  let x = x0; // (T, I) input of layer l
  model.layers.forEach((layer, l) => {
    const H = layer.hiddenSize;
    const h0 = g.input(`h0_${l}`, 'float', [1, H]); // (1, H)
    const res =
      layer.kind === 'lstm'
        ? lstmLayerForward(ops, params[l], x, h0, g.input(`c0_${l}`, 'float', [1, H]), T, 1, H, true)
        : layer.kind === 'gru'
          ? gruLayerForward(ops, params[l], x, h0, T, 1, H, true)
          : rnnLayerForward(ops, params[l], x, h0, T, 1, H, true);
    caches.push(res.cache!);
    x = res.hs; // (T, H)
  });
  const top = model.layers[model.layers.length - 1].hiddenSize;
  const Wout = g.initializer('Wout', model.output.W, [V, top]); // (V, H)
  const logits = g.op('Add', [
    g.op('MatMul', [x, g.initializer('WoutT', transposeRows(model.output.W, 0, V, top), [top, V])]),
    g.initializer('bout', model.output.b, [V]),
  ]); // (T, V)
  const lsm = g.op('LogSoftmax', [logits], { axis: attr.int(1) }); // (T, V)
  g.op('ReduceSum', [ops.mul(lsm, y), ops.ints([1])], { keepdims: attr.int(1) }, 'logp'); // (T, 1)
  g.output('logp', 'float', [T, 1]);
  // d J / d logits = wt ⊙ (y − softmax)
  const dLogits = ops.mul(ops.sub(y, ops.exp(lsm)), wt); // (T, V)
  let dHs = ops.matmul(dLogits, Wout); // (T, H) into the top layer's h
  const rowNorm = (v: string, name: string): void => {
    g.op('Sqrt', [ops.reduceSum(ops.mul(v, v), [1])], {}, name); // (T)
    g.output(name, 'float', [T]);
  };
  for (let l = model.layers.length - 1; l >= 0; l--) {
    const H = model.layers[l].hiddenSize;
    const cache = caches[l];
    const dhT = g.input(`dhT_${l}`, 'float', [1, H]); // (1, H)
    const opts = { needDx: true, weights: false, stateGrads: true, dhT };
    const gr =
      cache.kind === 'lstm'
        ? lstmLayerBackward(ops, params[l], cache, dHs, T, 1, { ...opts, dcT: g.input(`dcT_${l}`, 'float', [1, H]) })
        : cache.kind === 'gru'
          ? gruLayerBackward(ops, params[l], cache, dHs, T, 1, opts)
          : rnnLayerBackward(ops, params[l], cache, dHs, T, 1, opts);
    rowNorm(gr.dhAll!, `gh_${l}`);
    ops.identity(gr.dh0!, `dh0_${l}`);
    g.output(`dh0_${l}`, 'float', [1, H]);
    if (cache.kind === 'lstm') {
      rowNorm(gr.dcAll!, `gc_${l}`);
      ops.identity(gr.dc0!, `dc0_${l}`);
      g.output(`dc0_${l}`, 'float', [1, H]);
    }
    dHs = gr.dX!; // (T, I) into the layer below, or the input vectors
  }
  rowNorm(dHs, 'sal');
  return g.toBytes();
}

function identity(V: number): Float32Array {
  const eye = new Float32Array(V * V); // (V, V)
  for (let v = 0; v < V; v++) eye[v * V + v] = 1;
  return eye;
}
