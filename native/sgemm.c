// See sgemm.h. Compiled with -mavx2 -mfma; the caller checks the CPU first.
#include "sgemm.h"

#include <immintrin.h>
#include <string.h>

#define MR SGEMM_MR
#define NR SGEMM_NR
#define KC SGEMM_KC
#define MC SGEMM_MC

static int round_up(int n, int m) { return (n + m - 1) / m * m; }
static int min_int(int a, int b) { return a < b ? a : b; }

size_t sgemm_pack_floats(int N) {
  // One block of packed B (KC × N, rounded to NR) and one of packed A (MC × KC).
  return (size_t)KC * round_up(N, NR) + (size_t)MC * KC;
}

// dst: panels of MR rows, each kc × MR (k-major); rows past mc are zero.
static void pack_a_block(int mc, int kc, view A, float *dst) {
  for (int i0 = 0; i0 < mc; i0 += MR) {
    int mr = min_int(MR, mc - i0);
    for (int k = 0; k < kc; k++) {
      const float *src = A.p + (long)i0 * A.rs + (long)k * A.cs;
      for (int r = 0; r < mr; r++) dst[r] = src[(long)r * A.rs];
      for (int r = mr; r < MR; r++) dst[r] = 0.0f;
      dst += MR;
    }
  }
}

// dst: panels of NR columns, each kc × NR (k-major); columns past nc are zero.
static void pack_b_block(int kc, int nc, view B, float *dst) {
  for (int j0 = 0; j0 < nc; j0 += NR) {
    int nr = min_int(NR, nc - j0);
    for (int k = 0; k < kc; k++) {
      const float *src = B.p + (long)k * B.rs + (long)j0 * B.cs;
      if (B.cs == 1 && nr == NR) {
        memcpy(dst, src, NR * sizeof(float));
      } else {
        for (int j = 0; j < nr; j++) dst[j] = src[(long)j * B.cs];
        for (int j = nr; j < NR; j++) dst[j] = 0.0f;
      }
      dst += NR;
    }
  }
}

// C (mr × nr, mr <= MR, nr <= NR) (+)= a panel (kc × MR) · b panel (kc × NR).
static void kernel(int kc, const float *a, const float *b, float *C, long ldc, int mr, int nr, int accumulate) {
  __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps();
  __m256 c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
  __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps();
  __m256 c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
  __m256 c40 = _mm256_setzero_ps(), c41 = _mm256_setzero_ps();
  __m256 c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();
  for (int k = 0; k < kc; k++) {
    const __m256 b0 = _mm256_loadu_ps(b), b1 = _mm256_loadu_ps(b + 8);
    __m256 av = _mm256_broadcast_ss(a + 0);
    c00 = _mm256_fmadd_ps(av, b0, c00), c01 = _mm256_fmadd_ps(av, b1, c01);
    av = _mm256_broadcast_ss(a + 1);
    c10 = _mm256_fmadd_ps(av, b0, c10), c11 = _mm256_fmadd_ps(av, b1, c11);
    av = _mm256_broadcast_ss(a + 2);
    c20 = _mm256_fmadd_ps(av, b0, c20), c21 = _mm256_fmadd_ps(av, b1, c21);
    av = _mm256_broadcast_ss(a + 3);
    c30 = _mm256_fmadd_ps(av, b0, c30), c31 = _mm256_fmadd_ps(av, b1, c31);
    av = _mm256_broadcast_ss(a + 4);
    c40 = _mm256_fmadd_ps(av, b0, c40), c41 = _mm256_fmadd_ps(av, b1, c41);
    av = _mm256_broadcast_ss(a + 5);
    c50 = _mm256_fmadd_ps(av, b0, c50), c51 = _mm256_fmadd_ps(av, b1, c51);
    a += MR;
    b += NR;
  }
  __m256 acc[MR][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}, {c40, c41}, {c50, c51}};
  if (mr == MR && nr == NR) {
    for (int r = 0; r < MR; r++) {
      float *row = C + (long)r * ldc;
      __m256 v0 = acc[r][0], v1 = acc[r][1];
      if (accumulate) v0 = _mm256_add_ps(v0, _mm256_loadu_ps(row)), v1 = _mm256_add_ps(v1, _mm256_loadu_ps(row + 8));
      _mm256_storeu_ps(row, v0);
      _mm256_storeu_ps(row + 8, v1);
    }
    return;
  }
  float tmp[MR][NR];
  for (int r = 0; r < MR; r++) _mm256_storeu_ps(tmp[r], acc[r][0]), _mm256_storeu_ps(tmp[r] + 8, acc[r][1]);
  for (int r = 0; r < mr; r++) {
    float *row = C + (long)r * ldc;
    for (int j = 0; j < nr; j++) row[j] = accumulate ? row[j] + tmp[r][j] : tmp[r][j];
  }
}

// C (mc × nc) (+)= packed A block (mc × kc) · packed B block (kc × nc).
static void macro(int mc, int nc, int kc, const float *ap, const float *bp, float *C, long ldc, int accumulate) {
  for (int j0 = 0; j0 < nc; j0 += NR) {
    const float *b = bp + (long)j0 * kc;
    int nr = min_int(NR, nc - j0);
    for (int i0 = 0; i0 < mc; i0 += MR)
      kernel(kc, ap + (long)i0 * kc, b, C + (long)i0 * ldc + j0, ldc, min_int(MR, mc - i0), nr, accumulate);
  }
}

static void zero_rows(int M, int N, float *C, long ldc) {
  for (int i = 0; i < M; i++) memset(C + (long)i * ldc, 0, (size_t)N * sizeof(float));
}

void sgemm(int M, int N, int K, view A, view B, float *C, long ldc, int accumulate, float *pack) {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    if (!accumulate) zero_rows(M, N, C, ldc);
    return;
  }
  float *bp = pack, *ap = pack + (size_t)KC * round_up(N, NR);
  for (int pc = 0; pc < K; pc += KC) {
    int kc = min_int(KC, K - pc);
    pack_b_block(kc, N, (view){B.p + (long)pc * B.rs, B.rs, B.cs}, bp);
    for (int ic = 0; ic < M; ic += MC) {
      int mc = min_int(MC, M - ic);
      pack_a_block(mc, kc, (view){A.p + (long)ic * A.rs + (long)pc * A.cs, A.rs, A.cs}, ap);
      macro(mc, N, kc, ap, bp, C + (long)ic * ldc, ldc, accumulate || pc > 0);
    }
  }
}

size_t sgemm_packed_a_floats(int M, int K) { return (size_t)round_up(M, MR) * K; }

void sgemm_pack_a(int M, int K, view A, float *dst) {
  int Mr = round_up(M, MR);
  for (int pc = 0; pc < K; pc += KC) {
    int kc = min_int(KC, K - pc);
    pack_a_block(M, kc, (view){A.p + (long)pc * A.cs, A.rs, A.cs}, dst + (long)pc * Mr);
  }
}

void sgemm_prepacked(int M, int N, int K, const float *Ap, view B, float *C, long ldc, int accumulate, float *pack) {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    if (!accumulate) zero_rows(M, N, C, ldc);
    return;
  }
  int Mr = round_up(M, MR);
  for (int pc = 0; pc < K; pc += KC) {
    int kc = min_int(KC, K - pc);
    pack_b_block(kc, N, (view){B.p + (long)pc * B.rs, B.rs, B.cs}, pack);
    macro(M, N, kc, Ap + (long)pc * Mr, pack, C, ldc, accumulate || pc > 0);
  }
}
