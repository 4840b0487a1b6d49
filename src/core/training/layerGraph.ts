// What every recurrent layer of the training graph shares: the value names of
// its parameters, what its forward pass returns and what its backward pass
// gives back. The layers themselves are lstmGraph.ts, gruGraph.ts and rnnGraph.ts; each
// exports a forward and a backward function side by side:
//
//   <kind>LayerForward(ops, p, x, h0[, c0], T, B, H, forBackward[, edit])
//     → LayerForwardResult<<Kind>Cache>
//   <kind>LayerBackward(ops, p, cache: <Kind>Cache, dHs, T, B, BackwardOptions)
//     → LayerGrads
//
// The cache is the layer's own typed record (LstmCache, GruCache, RnnCache), tagged by
// `kind`, so trainingGraph.ts picks the matching backward from the cache.
//
// Key (as src/core/model/types.ts): B = batch (streams), T = time steps,
// H = hidden size, I = input size of the layer, G = gates (4 LSTM, 3 GRU, 1 RNN).
// Gate order is ONNX's: i, o, f, c for LSTM; z, r, h for GRU. Rows are
// time-major: row t*B + b is stream b at step t.
// Every field is the name of a value in the ONNX graph.

/** The layer's parameters, graph inputs in ParamLayout (l{k}.W, l{k}.R, l{k}.B). */
export interface LayerParams {
  W: string; // (G*H, I)
  R: string; // (G*H, H)
  bias: string; // (2*G*H)  Wb (G*H) then Rb (G*H)
  /**
   * R transposed (H, G*H), fed as its own input where the backward pass runs
   * per step on it (LSTM): a transpose inside the graph is folded into each
   * step's Gemm, which then transposes the whole matrix on every call.
   */
  Rt?: string;
}

/**
 * Rewrites the state after step t (interventions: clamp, ablate, flip a
 * cell). Gets the value names of h_t and (LSTM) c_t, each (B, H), and returns
 * the names the next step, the layer above and the outputs read instead.
 * Forward only: a graph built for backward takes no edits.
 */
export type StateEdit = (t: number, h: string, c?: string) => { h: string; c?: string };

export interface LayerForwardResult<C> {
  hs: string; // (T*B, H)  h_t of every step, time-major (after any StateEdit)
  cs?: string; // (T*B, H) c_t of every step, LSTM with a StateEdit only
  hT: string; // (B, H)    h after the last step
  cT?: string; // (B, H)   c after the last step, LSTM only
  cache?: C; // what the backward pass reads; absent when built without forBackward
}

export interface BackwardOptions {
  needDx: boolean; // return dX, the gradient of the layer input
  /** Emit dW, dR, dBias (default true; saliency needs none of them). */
  weights?: boolean;
  /** Gradient arriving at the state after the last step from beyond the window (B, H) each. */
  dhT?: string;
  dcT?: string; // LSTM
  /** Return the gradient of every h_t and c_t, and of the state before the window. */
  stateGrads?: boolean;
}

export interface LayerGrads {
  dW?: string; // (G*H, I)   unless weights: false
  dR?: string; // (G*H, H)
  dBias?: string; // (2*G*H)
  dX?: string; // (T*B, I)  gradient of the layer input, when asked for
  dhAll?: string; // (T*B, H) [stateGrads] d/d h_t: all paths (the output, the layer above, step t+1)
  dcAll?: string; // (T*B, H) [stateGrads, LSTM] d/d c_t as the state step t+1 reads (h_t held)
  dh0?: string; // (B, H)   [stateGrads] d/d h before the first step
  dc0?: string; // (B, H)   [stateGrads, LSTM]
}
