// One training step of a stacked LSTM character model, forward and backward
// through time, in one call: the same maths, parameter layout and gradient as
// the ONNX training graph (src/core/training/trainingGraph.ts), fused so that
// each step's element-wise work is one loop instead of a dozen small ops.
//
// Key: V vocab, E embedding (0 = one-hot input), H hidden, L layers, T steps,
// B streams, N = T*B; I = input size of a layer (E, or V when E = 0, then H).
// Gate order is ONNX's i, o, f, c. Parameters and gradients are flat, in
// src/core/training/modelParams.ts's order:
//   embedding (V, E) if E > 0; per layer W (4H, I), R (4H, H), B (8H: Wb, Rb);
//   out.W (V, H), out.b (V).
// x, y: (N) ids, time-major (n = t*B + b). h, c: (L, B, H), the carried
// state, read then overwritten with the state after step T. masks: (L-1, N,
// H) dropout masks on the inputs of layers 1..L-1, or NULL.
#ifndef LSTM_LENS_LSTM_STEP_H
#define LSTM_LENS_LSTM_STEP_H

#include <stddef.h>

typedef struct {
  int V, E, H, L, T, B;
  int dropout; // masks are given
} lstm_dims;

/** Parameters (and gradients) in all. */
size_t lstm_param_count(const lstm_dims *d);
/** Scratch floats that lstm_train_step needs in `work`. */
size_t lstm_work_floats(const lstm_dims *d);
/** Mean cross-entropy in nats per character; fills grads (lstm_param_count floats). */
double lstm_train_step(const lstm_dims *d, const float *params, float *grads, const int *x, const int *y, float *h,
                       float *c, const float *masks, float *work);

#endif
