// What every recurrent layer of the training graph shares: the value names of
// its parameters, what its forward pass returns and what its backward pass
// gives back. The layers themselves are lstmGraph.ts and gruGraph.ts; each
// exports a forward and a backward function side by side:
//
//   <kind>LayerForward(ops, p, x, h0[, c0], T, B, H, forBackward)
//     → LayerForwardResult<<Kind>Cache>
//   <kind>LayerBackward(ops, p, cache: <Kind>Cache, dHs, T, B, needDx)
//     → LayerGrads
//
// The cache is the layer's own typed record (LstmCache, GruCache), tagged by
// `kind`, so trainingGraph.ts picks the matching backward from the cache.
//
// Key (as src/core/model/types.ts): B = batch (streams), T = time steps,
// H = hidden size, I = input size of the layer, G = gates (4 LSTM, 3 GRU).
// Gate order is ONNX's: i, o, f, c for LSTM; z, r, h for GRU. Rows are
// time-major: row t*B + b is stream b at step t.
// Every field is the name of a value in the ONNX graph.

/** The layer's parameters, graph inputs in ParamLayout (l{k}.W, l{k}.R, l{k}.B). */
export interface LayerParams {
  W: string; // (G*H, I)
  R: string; // (G*H, H)
  bias: string; // (2*G*H)  Wb (G*H) then Rb (G*H)
}

export interface LayerForwardResult<C> {
  hs: string; // (T*B, H)  h_t of every step, time-major
  hT: string; // (B, H)    h after the last step
  cT?: string; // (B, H)   c after the last step, LSTM only
  cache?: C; // what the backward pass reads; absent when built without forBackward
}

export interface LayerGrads {
  dW: string; // (G*H, I)
  dR: string; // (G*H, H)
  dBias: string; // (2*G*H)
  dX?: string; // (T*B, I)  gradient of the layer input, when asked for
}
