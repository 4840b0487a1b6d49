// Single-precision matrix product for the training kernel, packed and
// register-blocked for AVX2 + FMA (the BLIS scheme: panels of MR rows of A
// and NR columns of B, a 6 × 16 micro-kernel in 12 registers).
//
// Every operand is a strided view, so transposes cost nothing to describe:
//   A(i, k) = A[i*ars + k*acs]   (M × K)
//   B(k, j) = B[k*brs + j*bcs]   (K × N)
//   C(i, j) = C[i*ldc + j]       (M × N), row stride ldc
//   C = A · B            (accumulate = 0)
//   C = C + A · B        (accumulate = 1)
// `pack` is scratch space of sgemm_pack_floats(N) floats.
#ifndef LSTM_LENS_SGEMM_H
#define LSTM_LENS_SGEMM_H

#include <stddef.h>

#define SGEMM_MR 6
#define SGEMM_NR 16
#define SGEMM_KC 256
#define SGEMM_MC 96

typedef struct {
  const float *p;
  long rs, cs;
} view;

size_t sgemm_pack_floats(int N);
void sgemm(int M, int N, int K, view A, view B, float *C, long ldc, int accumulate, float *pack);

// A packed once, for products repeated with the same A (the recurrent
// weights, once per step of the sequence). Layout: for each block of KC
// columns of A, all of its rows in MR-row panels.
size_t sgemm_packed_a_floats(int M, int K);
void sgemm_pack_a(int M, int K, view A, float *dst);
void sgemm_prepacked(int M, int N, int K, const float *Ap, view B, float *C, long ldc, int accumulate, float *pack);

#endif
