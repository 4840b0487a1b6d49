// See lstmStep.h. Compiled with -mavx2 -mfma; the caller checks the CPU first.
//
// Inside, every per-step tensor is feature-major: a row per unit (or gate
// row), a column per character n = t*B + b, so step t is the B columns from
// t*B. Per layer:
//   G  (4H, N)  gate pre-activations, then the gate values i, o, f, g, then
//               (backward, in place) d loss / d pre-activation
//   Cs, TCs, Hs (H, N)  c_t, tanh(c_t), h_t
//   Xm (H, N)   the layer's input after its dropout mask (layers >= 1)
//   h0, c0 (H, B)  the carried state, transposed
// Forward: G = W x + Wb + Rb for all N at once (layer 0: a column of
// W · embedding^T per character, gathered, no product over N), then per step
// G_t += R h_{t-1} and one fused loop for the cell. Backward per step: one
// fused loop gives d G_t from d h_t and the running d c, then
// d h_{t-1} += R^T d G_t; the weight gradients are one product each over N.
#include "lstmStep.h"

#include <math.h>
#include <string.h>

#include "sgemm.h"
#include "vecmath.h"

typedef struct {
  long emb, W[3], R[3], B[3], outW, outB, total;
} offsets;

static offsets offsets_of(const lstm_dims *d) {
  offsets o;
  long off = 0;
  const long H = d->H, G = 4 * H;
  o.emb = off;
  if (d->E > 0) off += (long)d->V * d->E;
  for (int k = 0; k < d->L; k++) {
    const long I = k == 0 ? (d->E > 0 ? d->E : d->V) : H;
    o.W[k] = off, off += G * I;
    o.R[k] = off, off += G * H;
    o.B[k] = off, off += 2 * G;
  }
  o.outW = off, off += (long)d->V * H;
  o.outB = off, off += d->V;
  o.total = off;
  return o;
}

size_t lstm_param_count(const lstm_dims *d) { return (size_t)offsets_of(d).total; }

static int max_int(int a, int b) { return a > b ? a : b; }

// The scratch areas, carved out of `work` in this order.
typedef struct {
  float *G[3], *Cs[3], *TCs[3], *Hs[3], *Xm[3], *h0[3], *c0[3];
  float *dH, *dHb, *dcRun, *Z, *WV, *scatter, *RpF, *RpB, *pack;
  size_t total;
} areas;

static areas areas_of(const lstm_dims *d, float *work) {
  areas a;
  const size_t H = d->H, N = (size_t)d->T * d->B, B = d->B, V = d->V;
  size_t at = 0;
#define TAKE(n) (work ? work + (at += (n)) - (n) : (at += (n), (float *)0))
  for (int k = 0; k < d->L; k++) {
    a.G[k] = TAKE(4 * H * N);
    a.Cs[k] = TAKE(H * N);
    a.TCs[k] = TAKE(H * N);
    a.Hs[k] = TAKE(H * N);
    a.Xm[k] = k > 0 && d->dropout ? TAKE(H * N) : 0;
    a.h0[k] = TAKE(H * B);
    a.c0[k] = TAKE(H * B);
  }
  a.dH = TAKE(H * N);
  a.dHb = TAKE(H * N);
  a.dcRun = TAKE(H * B);
  a.Z = TAKE(N * V);
  a.WV = TAKE(4 * H * V);
  a.scatter = TAKE(4 * V);
  a.RpF = TAKE(sgemm_packed_a_floats(4 * d->H, d->H));
  a.RpB = TAKE(sgemm_packed_a_floats(d->H, 4 * d->H));
  const int widest = max_int(max_int((int)N, d->V), max_int(4 * d->H, max_int(d->E, d->B)));
  a.pack = TAKE(sgemm_pack_floats(widest));
#undef TAKE
  a.total = at;
  return a;
}

size_t lstm_work_floats(const lstm_dims *d) { return areas_of(d, 0).total; }

static inline view V_(const float *p, long rs, long cs) { return (view){p, rs, cs}; }

// One step of the cell over the B columns at n0: G holds the pre-activations,
// becomes the gate values; c_t, tanh(c_t), h_t are written.
static void cell_forward(int H, int B, long N, long n0, float *G, const float *cp, long cps, float *Cs, float *TCs,
                         float *Hs) {
  for (int j = 0; j < H; j++) {
    float *gi = G + (long)j * N + n0, *go = gi + H * N, *gf = go + H * N, *gg = gf + H * N;
    const float *cpj = cp + (long)j * cps;
    float *cj = Cs + (long)j * N + n0, *tcj = TCs + (long)j * N + n0, *hj = Hs + (long)j * N + n0;
    int b = 0;
    for (; b + 8 <= B; b += 8) {
      const __m256 i = sigmoid8(_mm256_loadu_ps(gi + b)), o = sigmoid8(_mm256_loadu_ps(go + b));
      const __m256 f = sigmoid8(_mm256_loadu_ps(gf + b)), g = tanh8(_mm256_loadu_ps(gg + b));
      const __m256 c = _mm256_fmadd_ps(f, _mm256_loadu_ps(cpj + b), _mm256_mul_ps(i, g));
      const __m256 tc = tanh8(c);
      _mm256_storeu_ps(gi + b, i), _mm256_storeu_ps(go + b, o), _mm256_storeu_ps(gf + b, f);
      _mm256_storeu_ps(gg + b, g), _mm256_storeu_ps(cj + b, c), _mm256_storeu_ps(tcj + b, tc);
      _mm256_storeu_ps(hj + b, _mm256_mul_ps(o, tc));
    }
    for (; b < B; b++) {
      const float i = sigmoid1(gi[b]), o = sigmoid1(go[b]), f = sigmoid1(gf[b]), g = tanh1(gg[b]);
      const float c = f * cpj[b] + i * g, tc = tanh1(c);
      gi[b] = i, go[b] = o, gf[b] = f, gg[b] = g, cj[b] = c, tcj[b] = tc, hj[b] = o * tc;
    }
  }
}

// Backward through the cell at n0: dh = d loss / d h_t (all paths), dcRun =
// d c_t through step t+1 on entry, d c_{t-1} through step t on exit. The gate
// values in G become d loss / d pre-activation:
//   dc = dh o (1 - tanh² c) + dcRun
//   di = dc g i(1-i)   do = dh tanh(c) o(1-o)   df = dc c_{t-1} f(1-f)   dg = dc i (1-g²)
static void cell_backward(int H, int B, long N, long n0, float *G, const float *cp, long cps, const float *TCs,
                          const float *dH, float *dcRun) {
  const __m256 one = _mm256_set1_ps(1.0f);
  for (int j = 0; j < H; j++) {
    float *gi = G + (long)j * N + n0, *go = gi + H * N, *gf = go + H * N, *gg = gf + H * N;
    const float *cpj = cp + (long)j * cps, *tcj = TCs + (long)j * N + n0, *dhj = dH + (long)j * N + n0;
    float *dcj = dcRun + (long)j * B;
    int b = 0;
    for (; b + 8 <= B; b += 8) {
      const __m256 i = _mm256_loadu_ps(gi + b), o = _mm256_loadu_ps(go + b), f = _mm256_loadu_ps(gf + b);
      const __m256 g = _mm256_loadu_ps(gg + b), tc = _mm256_loadu_ps(tcj + b), dh = _mm256_loadu_ps(dhj + b);
      const __m256 dc = _mm256_fmadd_ps(_mm256_mul_ps(dh, o), _mm256_fnmadd_ps(tc, tc, one), _mm256_loadu_ps(dcj + b));
      const __m256 di = _mm256_mul_ps(_mm256_mul_ps(dc, g), _mm256_fnmadd_ps(i, i, i));
      const __m256 dO = _mm256_mul_ps(_mm256_mul_ps(dh, tc), _mm256_fnmadd_ps(o, o, o));
      const __m256 df = _mm256_mul_ps(_mm256_mul_ps(dc, _mm256_loadu_ps(cpj + b)), _mm256_fnmadd_ps(f, f, f));
      const __m256 dg = _mm256_mul_ps(_mm256_mul_ps(dc, i), _mm256_fnmadd_ps(g, g, one));
      _mm256_storeu_ps(dcj + b, _mm256_mul_ps(dc, f));
      _mm256_storeu_ps(gi + b, di), _mm256_storeu_ps(go + b, dO), _mm256_storeu_ps(gf + b, df);
      _mm256_storeu_ps(gg + b, dg);
    }
    for (; b < B; b++) {
      const float i = gi[b], o = go[b], f = gf[b], g = gg[b], tc = tcj[b], dh = dhj[b];
      const float dc = dh * o * (1 - tc * tc) + dcj[b];
      dcj[b] = dc * f;
      gi[b] = dc * g * (i - i * i), go[b] = dh * tc * (o - o * o), gf[b] = dc * cpj[b] * (f - f * f);
      gg[b] = dc * i * (1 - g * g);
    }
  }
}

// Sum of n floats, in 32 lanes (no chain of dependent adds).
static float sum_of(const float *p, long n) {
  __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
  long i = 0;
  for (; i + 32 <= n; i += 32) {
    s0 = _mm256_add_ps(s0, _mm256_loadu_ps(p + i)), s1 = _mm256_add_ps(s1, _mm256_loadu_ps(p + i + 8));
    s2 = _mm256_add_ps(s2, _mm256_loadu_ps(p + i + 16)), s3 = _mm256_add_ps(s3, _mm256_loadu_ps(p + i + 24));
  }
  float lanes[8], s = 0;
  _mm256_storeu_ps(lanes, _mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
  for (int k = 0; k < 8; k++) s += lanes[k];
  for (; i < n; i++) s += p[i];
  return s;
}

// Mean cross-entropy of rows of logits Z (N, V) against y; Z becomes
// d loss / d logits = (softmax - onehot(y)) / N.
static double softmax_loss(long N, int V, float *Z, const int *y) {
  double loss = 0;
  const float scale = 1.0f / (float)N;
  for (long n = 0; n < N; n++) {
    float *z = Z + n * V;
    float m = z[0];
    for (int v = 1; v < V; v++) m = z[v] > m ? z[v] : m;
    const float target = z[y[n]] - m; // log-softmax of the target is target - log(s)
    float s = 0;
    int v = 0;
    const __m256 mv = _mm256_set1_ps(m);
    __m256 sv = _mm256_setzero_ps();
    for (; v + 8 <= V; v += 8) {
      const __m256 e = exp8(_mm256_sub_ps(_mm256_loadu_ps(z + v), mv));
      _mm256_storeu_ps(z + v, e);
      sv = _mm256_add_ps(sv, e);
    }
    float lanes[8];
    _mm256_storeu_ps(lanes, sv);
    for (int k = 0; k < 8; k++) s += lanes[k];
    for (; v < V; v++) s += (z[v] = expf(z[v] - m));
    loss += log((double)s) - (double)target;
    const float k = scale / s;
    for (v = 0; v < V; v++) z[v] *= k;
    z[y[n]] -= scale;
  }
  return loss / (double)N;
}

double lstm_train_step(const lstm_dims *d, const float *params, float *grads, const int *x, const int *y, float *h,
                       float *c, const float *masks, float *work) {
  const offsets o = offsets_of(d);
  const areas a = areas_of(d, work);
  const int H = d->H, B = d->B, V = d->V, E = d->E, L = d->L, G4 = 4 * d->H;
  const long N = (long)d->T * B;
  float *pack = a.pack;

  // ---- forward ----
  for (int k = 0; k < L; k++) {
    float *G = a.G[k];
    const float *W = params + o.W[k], *R = params + o.R[k], *Wb = params + o.B[k], *Rb = Wb + G4;
    if (k == 0) {
      // Column x_n of W · embedding^T (4H, V), or of W itself for one-hot input.
      const float *WE = W;
      if (E > 0) {
        sgemm(G4, V, E, V_(W, E, 1), V_(params + o.emb, 1, E), a.WV, V, 0, pack);
        WE = a.WV;
      }
      for (int g = 0; g < G4; g++) {
        const float bias = Wb[g] + Rb[g], *src = WE + (long)g * V;
        float *row = G + g * N;
        for (long n = 0; n < N; n++) row[n] = src[x[n]] + bias;
      }
    } else {
      const float *in = a.Hs[k - 1];
      if (d->dropout) {
        const float *mask = masks + (size_t)(k - 1) * N * H;
        for (int j = 0; j < H; j++)
          for (long n = 0; n < N; n++) a.Xm[k][j * N + n] = in[j * N + n] * mask[n * H + j];
        in = a.Xm[k];
      }
      for (int g = 0; g < G4; g++) {
        const float bias = Wb[g] + Rb[g];
        float *row = G + g * N;
        for (long n = 0; n < N; n++) row[n] = bias;
      }
      sgemm(G4, N, H, V_(W, H, 1), V_(in, N, 1), G, N, 1, pack);
    }
    float *hk = h + (size_t)k * B * H, *ck = c + (size_t)k * B * H;
    for (int b = 0; b < B; b++)
      for (int j = 0; j < H; j++) a.h0[k][j * B + b] = hk[b * H + j], a.c0[k][j * B + b] = ck[b * H + j];
    sgemm_pack_a(G4, H, V_(R, H, 1), a.RpF);
    for (int t = 0; t < d->T; t++) {
      const long n0 = (long)t * B;
      const float *hp = t ? a.Hs[k] + n0 - B : a.h0[k], *cp = t ? a.Cs[k] + n0 - B : a.c0[k];
      const long ps = t ? N : B;
      sgemm_prepacked(G4, B, H, a.RpF, V_(hp, ps, 1), G + n0, N, 1, pack);
      cell_forward(H, B, N, n0, G, cp, ps, a.Cs[k], a.TCs[k], a.Hs[k]);
    }
    const long last = N - B;
    for (int b = 0; b < B; b++)
      for (int j = 0; j < H; j++) hk[b * H + j] = a.Hs[k][j * N + last + b], ck[b * H + j] = a.Cs[k][j * N + last + b];
  }
  const float *top = a.Hs[L - 1], *outW = params + o.outW, *outB = params + o.outB;
  for (long n = 0; n < N; n++) memcpy(a.Z + n * V, outB, (size_t)V * sizeof(float));
  sgemm(N, V, H, V_(top, 1, N), V_(outW, 1, H), a.Z, V, 1, pack);
  const double loss = softmax_loss(N, V, a.Z, y);

  // ---- backward ----
  sgemm(V, H, N, V_(a.Z, 1, V), V_(top, 1, N), grads + o.outW, H, 0, pack);
  float *gOutB = grads + o.outB;
  memset(gOutB, 0, (size_t)V * sizeof(float));
  for (long n = 0; n < N; n++)
    for (int v = 0; v < V; v++) gOutB[v] += a.Z[n * V + v];
  float *dH = a.dH, *dHb = a.dHb;
  sgemm(H, N, V, V_(outW, 1, H), V_(a.Z, 1, V), dH, N, 0, pack);
  for (int k = L - 1; k >= 0; k--) {
    float *G = a.G[k];
    const float *W = params + o.W[k], *R = params + o.R[k];
    sgemm_pack_a(H, G4, V_(R, 1, H), a.RpB);
    memset(a.dcRun, 0, (size_t)H * B * sizeof(float));
    for (int t = d->T - 1; t >= 0; t--) {
      const long n0 = (long)t * B;
      const float *cp = t ? a.Cs[k] + n0 - B : a.c0[k];
      cell_backward(H, B, N, n0, G, cp, t ? N : B, a.TCs[k], dH, a.dcRun);
      if (t > 0) sgemm_prepacked(H, B, G4, a.RpB, V_(G + n0, N, 1), dH + n0 - B, N, 1, pack);
    }
    float *gB = grads + o.B[k];
    for (int g = 0; g < G4; g++) gB[g] = gB[G4 + g] = sum_of(G + g * N, N);
    // dR = dG · h_{t-1}^T: the first step's h_{t-1} is the carried state.
    sgemm(G4, H, (int)(N - B), V_(G + B, N, 1), V_(a.Hs[k], 1, N), grads + o.R[k], H, 0, pack);
    sgemm(G4, H, B, V_(G, N, 1), V_(a.h0[k], 1, B), grads + o.R[k], H, 1, pack);
    if (k > 0) {
      const float *in = d->dropout ? a.Xm[k] : a.Hs[k - 1];
      sgemm(G4, H, N, V_(G, N, 1), V_(in, 1, N), grads + o.W[k], H, 0, pack);
      sgemm(H, N, G4, V_(W, 1, H), V_(G, N, 1), dHb, N, 0, pack);
      if (d->dropout) {
        const float *mask = masks + (size_t)(k - 1) * N * H;
        for (int j = 0; j < H; j++)
          for (long n = 0; n < N; n++) dHb[j * N + n] *= mask[n * H + j];
      }
      float *swap = dH;
      dH = dHb, dHb = swap;
    } else {
      // Layer 0 reads column x_n of W (· embedding^T): scatter dG by character.
      // Four partial rows, so that a run of one character is no chain of dependent adds.
      float *Gv = a.WV, *part = a.scatter;
      for (int g = 0; g < G4; g++) {
        const float *row = G + g * N;
        memset(part, 0, 4 * (size_t)V * sizeof(float));
        long n = 0;
        for (; n + 4 <= N; n += 4) {
          part[x[n]] += row[n], part[V + x[n + 1]] += row[n + 1];
          part[2 * V + x[n + 2]] += row[n + 2], part[3 * V + x[n + 3]] += row[n + 3];
        }
        for (; n < N; n++) part[x[n]] += row[n];
        float *gv = Gv + (long)g * V;
        for (int v = 0; v < V; v++) gv[v] = part[v] + part[V + v] + part[2 * V + v] + part[3 * V + v];
      }
      if (E > 0) {
        sgemm(G4, E, V, V_(Gv, V, 1), V_(params + o.emb, E, 1), grads + o.W[0], E, 0, pack);
        sgemm(V, E, G4, V_(Gv, 1, V), V_(W, E, 1), grads + o.emb, E, 0, pack);
      } else {
        memcpy(grads + o.W[0], Gv, (size_t)G4 * V * sizeof(float));
      }
    }
  }
  return loss;
}
