// Node-API binding of the training kernel (lstmStep.h, sgemm.h). Compiled
// without -mavx2 so that `supported()` runs on any x86-64 CPU; the kernels
// are called only where it says yes. Every argument is checked here, before
// any kernel reads memory through it.
//   supported() → boolean                     AVX2 and FMA present
//   paramCount(dims) / workFloats(dims) → number
//   trainStep(dims, params, grads, x, y, h, c, masks | null, work) → loss (nats per char)
//   gemm(M, N, K, A, ars, acs, B, brs, bcs, C, ldc, accumulate)     (for tests)
// dims: Int32Array [V, E, H, L, T, B, dropout].
#define NAPI_VERSION 8
#include <node_api.h>
#include <stdio.h>
#include <string.h>

#include "lstmStep.h"
#include "sgemm.h"

static int cpu_ok(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

#define CHECK(call)                                            \
  do {                                                         \
    if ((call) != napi_ok) {                                   \
      napi_throw_error(env, NULL, "lstm-lens native: " #call); \
      return NULL;                                             \
    }                                                          \
  } while (0)

static napi_value fail(napi_env env, const char *msg) {
  napi_throw_range_error(env, NULL, msg);
  return NULL;
}

// A typed array argument of the given type: its data and length; 0 if it is not one.
static int typed(napi_env env, napi_value v, napi_typedarray_type want, void **data, size_t *len) {
  bool is = false;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is) return 0;
  napi_typedarray_type type;
  napi_value buf;
  size_t off;
  if (napi_get_typedarray_info(env, v, &type, len, data, &buf, &off) != napi_ok || type != want) return 0;
  return 1;
}

static int dims_of(napi_env env, napi_value v, lstm_dims *d, char *err, size_t errlen) {
  int32_t *p;
  size_t n;
  if (!typed(env, v, napi_int32_array, (void **)&p, &n) || n != 7)
    return snprintf(err, errlen, "dims must be an Int32Array [V, E, H, L, T, B, dropout]"), 0;
  *d = (lstm_dims){p[0], p[1], p[2], p[3], p[4], p[5], p[6] != 0};
  if (d->V < 2 || d->E < 0 || d->H < 1 || d->H > 4096 || d->L < 1 || d->L > 3 || d->T < 1 || d->B < 1 ||
      (long)d->T * d->B > (1L << 24))
    return snprintf(err, errlen, "dims out of range: V %d, E %d, H %d, L %d, T %d, B %d", d->V, d->E, d->H, d->L, d->T,
                    d->B),
           0;
  return 1;
}

static napi_value number(napi_env env, double x) {
  napi_value r;
  return napi_create_double(env, x, &r) == napi_ok ? r : NULL;
}

static napi_value Supported(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value r;
  CHECK(napi_get_boolean(env, cpu_ok(), &r));
  return r;
}

static napi_value Sizes(napi_env env, napi_callback_info info, int work) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  lstm_dims d;
  char err[160];
  if (argc < 1 || !dims_of(env, argv[0], &d, err, sizeof err)) return fail(env, argc < 1 ? "dims missing" : err);
  return number(env, (double)(work ? lstm_work_floats(&d) : lstm_param_count(&d)));
}
static napi_value ParamCount(napi_env env, napi_callback_info info) { return Sizes(env, info, 0); }
static napi_value WorkFloats(napi_env env, napi_callback_info info) { return Sizes(env, info, 1); }

// The call's arguments, exactly `want` of them, on a CPU the kernels run on; 0 (an exception pending) if not.
static int call_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv, const char *name) {
  size_t argc = want;
  char err[80];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != want)
    return snprintf(err, sizeof err, "%s takes %zu arguments", name, want), fail(env, err), 0;
  if (!cpu_ok()) return fail(env, "this CPU has no AVX2 + FMA"), 0;
  return 1;
}

// A typed array argument of `want` elements (at least, when `at_least`); 0 (an exception pending) if not.
static int array_arg(napi_env env, napi_value v, napi_typedarray_type type, size_t want, int at_least, void **data,
                     const char *what) {
  size_t n;
  if (typed(env, v, type, data, &n) && (at_least ? n >= want : n == want)) return 1;
  char err[160];
  snprintf(err, sizeof err, "%s must be a%s %s of %s%zu", what, type == napi_int32_array ? "n" : "",
           type == napi_int32_array ? "Int32Array" : "Float32Array", at_least ? "at least " : "", want);
  return fail(env, err), 0;
}

static napi_value TrainStep(napi_env env, napi_callback_info info) {
  napi_value argv[9];
  if (!call_args(env, info, 9, argv, "trainStep")) return NULL;
  lstm_dims d;
  char err[200];
  if (!dims_of(env, argv[0], &d, err, sizeof err)) return fail(env, err);
  const size_t P = lstm_param_count(&d), N = (size_t)d.T * d.B, S = (size_t)d.L * d.B * d.H;
  const napi_typedarray_type F = napi_float32_array, I = napi_int32_array;
  float *params, *grads, *h, *c, *work, *masks = NULL;
  int32_t *x, *y;
  if (!d.dropout || d.L < 2) d.dropout = 0;
  if (!array_arg(env, argv[1], F, P, 0, (void **)&params, "params") ||
      !array_arg(env, argv[2], F, P, 0, (void **)&grads, "grads") ||
      !array_arg(env, argv[3], I, N, 0, (void **)&x, "x (ids, T × B)") ||
      !array_arg(env, argv[4], I, N, 0, (void **)&y, "y (ids, T × B)") ||
      !array_arg(env, argv[5], F, S, 0, (void **)&h, "h (L × B × H)") ||
      !array_arg(env, argv[6], F, S, 0, (void **)&c, "c (L × B × H)") ||
      (d.dropout && !array_arg(env, argv[7], F, (size_t)(d.L - 1) * N * d.H, 0, (void **)&masks, "masks ((L-1) × N × H)")) ||
      !array_arg(env, argv[8], F, lstm_work_floats(&d), 1, (void **)&work, "work"))
    return NULL;
  for (size_t i = 0; i < N; i++)
    if (x[i] < 0 || x[i] >= d.V || y[i] < 0 || y[i] >= d.V)
      return snprintf(err, sizeof err, "character id %d at position %zu is outside the vocabulary (size %d)",
                      x[i] < 0 || x[i] >= d.V ? x[i] : y[i], i, d.V),
             fail(env, err);
  return number(env, lstm_train_step(&d, params, grads, x, y, h, c, masks, work));
}

static napi_value Gemm(napi_env env, napi_callback_info info) {
  napi_value argv[12];
  if (!call_args(env, info, 12, argv, "gemm")) return NULL;
  int64_t s[12];
  const int ints[] = {0, 1, 2, 4, 5, 7, 8, 10, 11};
  for (int k = 0; k < 9; k++) CHECK(napi_get_value_int64(env, argv[ints[k]], &s[ints[k]]));
  const int64_t M = s[0], N = s[1], K = s[2];
  float *A, *B, *C;
  size_t an, bn, cn;
  if (!typed(env, argv[3], napi_float32_array, (void **)&A, &an) ||
      !typed(env, argv[6], napi_float32_array, (void **)&B, &bn) ||
      !typed(env, argv[9], napi_float32_array, (void **)&C, &cn))
    return fail(env, "A, B and C must be Float32Arrays");
  if (M < 1 || N < 1 || K < 0 || s[4] < 0 || s[5] < 0 || s[7] < 0 || s[8] < 0 || s[10] < N)
    return fail(env, "gemm: sizes or strides out of range");
  const int64_t lastA = K ? (M - 1) * s[4] + (K - 1) * s[5] : 0, lastB = K ? (K - 1) * s[7] + (N - 1) * s[8] : 0;
  if ((K && (size_t)lastA >= an) || (K && (size_t)lastB >= bn) || (size_t)((M - 1) * s[10] + N) > cn)
    return fail(env, "gemm: a view reaches past its array");
  napi_value ab;
  void *pack;
  CHECK(napi_create_arraybuffer(env, sgemm_pack_floats((int)N) * sizeof(float), &pack, &ab));
  sgemm((int)M, (int)N, (int)K, (view){A, (long)s[4], (long)s[5]}, (view){B, (long)s[7], (long)s[8]}, C, (long)s[10],
        (int)s[11], (float *)pack);
  return NULL;
}

NAPI_MODULE_INIT() {
  const napi_property_descriptor fns[] = {
      {"supported", NULL, Supported, NULL, NULL, NULL, napi_enumerable, NULL},
      {"paramCount", NULL, ParamCount, NULL, NULL, NULL, napi_enumerable, NULL},
      {"workFloats", NULL, WorkFloats, NULL, NULL, NULL, napi_enumerable, NULL},
      {"trainStep", NULL, TrainStep, NULL, NULL, NULL, napi_enumerable, NULL},
      {"gemm", NULL, Gemm, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  if (napi_define_properties(env, exports, sizeof fns / sizeof fns[0], fns) != napi_ok) return NULL;
  return exports;
}
