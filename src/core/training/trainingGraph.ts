// The whole training step as ONE ONNX graph, built at run time for the
// chosen sizes: embedding → L recurrent layers unrolled over T → output
// projection → softmax cross-entropy, then the hand-written backward pass
// through time in reverse order. onnxruntime-node runs it; Adam is in JS.
//
// Key (as src/core/model/types.ts): V = vocab, E = embedding (0 = one-hot
// input), I = input size of a layer (E or V for layer 0, H above), H = hidden,
// L = layers, T = time steps, B = batch (streams), N = T*B rows,
// P = all parameters (ParamLayout order). Gate order inside the layers is
// ONNX's (i, o, f, c / z, r, h), see layerGraph.ts.
// Inputs:
//   x        (T*B, V) float  one-hot of the input ids, time-major (row t*B+b)
//   y        (T*B, V) float  one-hot of the target ids (modes train, eval)
//   h0.k, c0.k  (B, H)       state carried from the previous batch (c0 LSTM only)
//   mask.k   (T*B, H)        dropout mask on the input of layer k >= 1, values 0 or 1/(1-p)
//   <param>  as in ParamLayout (embedding, l0.W, ..., out.b)
// Outputs:
//   loss     ()              mean cross-entropy in nats per char (train, eval)
//   grads    (P)             d loss / d params, flat in ParamLayout order (train)
//   hT.k, cT.k (B, H)        final state, fed back as h0/c0 for truncated BPTT
//   logits   (T*B, V)        (infer)

import { GraphBuilder } from '../onnx/graphBuilder';
import { Ops } from './graphOps';
import { gruLayerBackward, gruLayerForward } from './gruGraph';
import type { GruCache } from './gruGraph';
import type { LayerGrads, LayerParams } from './layerGraph';
import { lstmLayerBackward, lstmLayerForward } from './lstmGraph';
import type { LstmCache } from './lstmGraph';
import { rnnLayerBackward, rnnLayerForward } from './rnnGraph';
import type { RnnCache } from './rnnGraph';
import { ParamLayout } from './modelParams';
import type { ModelShape } from './modelParams';

export type GraphMode = 'train' | 'eval' | 'infer';

/** A layer's backward cache; `kind` picks the backward that reads it. */
type LayerCache = LstmCache | GruCache | RnnCache;

export interface TrainingGraphSpec {
  shape: ModelShape;
  T: number;
  B: number;
  mode: GraphMode;
  /** Feed dropout masks between layers (train mode only). */
  dropout?: boolean;
}

export interface BuiltGraph {
  bytes: Uint8Array;
  layout: ParamLayout;
  nodeCount: number;
  stateNames: { h0: string[]; c0: string[]; hT: string[]; cT: string[] };
  maskNames: string[];
  /** Inputs l{k}.Rt (H, 4H): layer k's R transposed, fed before every run (LSTM, train mode). */
  rtNames: string[];
}

export function buildTrainingGraph(spec: TrainingGraphSpec): BuiltGraph {
  const { shape, T, B, mode } = spec;
  if (!Number.isInteger(T) || T < 1) throw new RangeError(`sequence length T must be an integer >= 1, got ${T}`);
  if (!Number.isInteger(B) || B < 1) throw new RangeError(`batch B must be an integer >= 1, got ${B}`);
  const layout = new ParamLayout(shape);
  const { vocabSize: V, embeddingSize: E, hiddenSize: H, layers: L, kind } = shape;
  const lstm = kind === 'lstm';
  const dropout = mode === 'train' && !!spec.dropout && L > 1;
  const g = new GraphBuilder(`${kind}_${mode}_L${L}_H${H}_T${T}_B${B}`);
  const ops = new Ops(g);
  const N = T * B;
  const train = mode === 'train';

  const x = g.input('x', 'float', [N, V]); // (N, V)
  const y = mode === 'infer' ? '' : g.input('y', 'float', [N, V]); // (N, V)
  for (const s of layout.specs) g.input(s.name, 'float', s.dims);
  const stateNames = { h0: [] as string[], c0: [] as string[], hT: [] as string[], cT: [] as string[] };
  const maskNames: string[] = [];
  for (let k = 0; k < L; k++) {
    stateNames.h0.push(g.input(`h0.${k}`, 'float', [B, H]));
    if (lstm) stateNames.c0.push(g.input(`c0.${k}`, 'float', [B, H]));
    if (dropout && k > 0) maskNames.push(g.input(`mask.${k}`, 'float', [N, H]));
  }
  // Train mode feeds each LSTM layer's R transposed too (rtNames; GraphSession fills it from R).
  const rtNames = train && lstm ? layout.specs.filter((s) => s.name.endsWith('.R')).map((s) => s.name + 't') : [];
  for (const name of rtNames) g.input(name, 'float', [H, 4 * H]);
  const layerParams = (k: number): LayerParams => ({
    W: `l${k}.W`,
    R: `l${k}.R`,
    bias: `l${k}.B`,
    ...(rtNames.length ? { Rt: `l${k}.Rt` } : {}),
  });

  // ---- forward ----
  // Embedding: one-hot x (N, V) · table (V, E) = rows of the table (N, E).
  const x0 = E > 0 ? ops.matmul(x, 'embedding') : x; // (N, I) input of layer 0
  const caches: LayerCache[] = []; // per layer, train mode only
  let layerIn = x0; // (N, I) input of layer k
  for (let k = 0; k < L; k++) {
    if (k > 0 && dropout) layerIn = ops.mul(layerIn, maskNames[k - 1]);
    const res = lstm
      ? lstmLayerForward(ops, layerParams(k), layerIn, `h0.${k}`, `c0.${k}`, T, B, H, train)
      : kind === 'gru'
        ? gruLayerForward(ops, layerParams(k), layerIn, `h0.${k}`, T, B, H, train)
        : rnnLayerForward(ops, layerParams(k), layerIn, `h0.${k}`, T, B, H, train);
    if (res.cache) caches.push(res.cache);
    stateNames.hT.push(ops.identity(res.hT, `hT.${k}`));
    g.output(`hT.${k}`, 'float', [B, H]);
    if (lstm) {
      stateNames.cT.push(ops.identity(res.cT!, `cT.${k}`));
      g.output(`cT.${k}`, 'float', [B, H]);
    }
    layerIn = res.hs; // (N, H)
  }
  const top = layerIn; // (N, H)
  // Output projection: logits = h W_out^T + b_out.
  const logits = ops.gemm(top, 'out.W', { c: 'out.b', transB: true, out: mode === 'infer' ? 'logits' : undefined }); // (N, V)
  if (mode === 'infer') {
    g.output('logits', 'float', [N, V]);
    return finish();
  }
  // Loss: mean over the N chars of -log softmax(logits)[target].
  const logp = g.op('LogSoftmax', [logits], { axis: { i: 1 } }); // (N, V)
  const nll = ops.reduceSum(ops.mul(y, logp), []); // () sum of log-probs of targets
  ops.g.op('Mul', [nll, ops.scalar(-1 / N)], {}, 'loss'); // ()
  g.output('loss', 'float', []);
  if (mode === 'eval') return finish();

  // ---- backward ----
  // Loss: d loss / d logits = (softmax - onehot(y)) / N.
  const dLogits = ops.mul(ops.sub(ops.exp(logp), y), ops.scalar(1 / N)); // (N, V)
  // Output projection.
  const dOutW = ops.gemm(dLogits, top, { transA: true }); // (V, H)
  const dOutBias = ops.reduceSum(dLogits, [0]); // (V)
  let dHs = ops.matmul(dLogits, 'out.W'); // (N, H)
  const grads = new Map<string, string>([
    ['out.W', dOutW],
    ['out.b', dOutBias],
  ]);
  for (let k = L - 1; k >= 0; k--) {
    const needDx = k > 0 || E > 0;
    const cache = caches[k];
    const gr: LayerGrads =
      cache.kind === 'lstm'
        ? lstmLayerBackward(ops, layerParams(k), cache, dHs, T, B, { needDx })
        : cache.kind === 'gru'
          ? gruLayerBackward(ops, layerParams(k), cache, dHs, T, B, { needDx })
          : rnnLayerBackward(ops, layerParams(k), cache, dHs, T, B, { needDx });
    grads.set(`l${k}.W`, gr.dW!);
    grads.set(`l${k}.R`, gr.dR!);
    grads.set(`l${k}.B`, gr.dBias!);
    if (k > 0) dHs = dropout ? ops.mul(gr.dX!, maskNames[k - 1]) : gr.dX!;
    else if (E > 0) grads.set('embedding', ops.gemm(x, gr.dX!, { transA: true })); // (V, E) = onehot^T · dX0
  }
  // Each gradient flattened to (size), in ParamLayout order.
  const flat = layout.specs.map((s) => (s.dims.length === 1 ? grads.get(s.name)! : ops.flatten(grads.get(s.name)!)));
  ops.concat(flat, 0, 'grads'); // (P)
  g.output('grads', 'float', [layout.total]);
  return finish();

  function finish(): BuiltGraph {
    return { bytes: g.toBytes(), layout, nodeCount: g.nodeCount, stateNames, maskNames, rtNames };
  }
}
