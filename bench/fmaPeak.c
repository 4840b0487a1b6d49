// FMA peak of this machine, measured: each thread runs independent chains of
// vector fused multiply-adds (enough chains to cover the FMA latency on every
// FMA port) and the total is FLOP/s over all threads. Built and run by
// bench/fmaPeak.ts with the widest vectors the CPU has:
//   cc -O2 -mavx2 -mfma (8 floats) or -mavx512f (16 floats) -pthread
// Prints one JSON line {"threads", "gflops"}.
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#if defined(__AVX512F__)
typedef __m512 vec;
#define LANES 16
#define SET1 _mm512_set1_ps
#define FMA _mm512_fmadd_ps
#define ADD _mm512_add_ps
#define SUM(v) _mm512_reduce_add_ps(v)
#else
typedef __m256 vec;
#define LANES 8
#define SET1 _mm256_set1_ps
#define FMA _mm256_fmadd_ps
#define ADD _mm256_add_ps
static float SUM(__m256 v) {
  float f[8];
  _mm256_storeu_ps(f, v);
  return f[0] + f[1] + f[2] + f[3] + f[4] + f[5] + f[6] + f[7];
}
#endif
// Twelve named accumulators, so that they stay in registers.
#define CHAINS 12
#define ITERS 50000000L
#define STEP(k) acc##k = FMA(acc##k, a, b)

static void *run(void *out) {
  vec a = SET1(0.999999f), b = SET1(1e-7f);
  vec acc0 = SET1(0), acc1 = SET1(1), acc2 = SET1(2), acc3 = SET1(3), acc4 = SET1(4), acc5 = SET1(5);
  vec acc6 = SET1(6), acc7 = SET1(7), acc8 = SET1(8), acc9 = SET1(9), acc10 = SET1(10), acc11 = SET1(11);
  for (long i = 0; i < ITERS; i++) {
    STEP(0); STEP(1); STEP(2); STEP(3); STEP(4); STEP(5);
    STEP(6); STEP(7); STEP(8); STEP(9); STEP(10); STEP(11);
  }
  vec s = ADD(ADD(ADD(acc0, acc1), ADD(acc2, acc3)), ADD(ADD(acc4, acc5), ADD(acc6, acc7)));
  s = ADD(s, ADD(ADD(acc8, acc9), ADD(acc10, acc11)));
  *(float *)out = SUM(s); // keeps the loop from being optimised away
  return NULL;
}

int main(int argc, char **argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 1;
  pthread_t ids[256];
  float sinks[256];
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (int t = 0; t < threads; t++) pthread_create(&ids[t], NULL, run, &sinks[t]);
  for (int t = 0; t < threads; t++) pthread_join(ids[t], NULL);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double s = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
  double flops = 2.0 * LANES * CHAINS * (double)ITERS * threads;
  printf("{\"threads\": %d, \"gflops\": %.1f, \"sink\": %g}\n", threads, flops / s / 1e9, sinks[0]);
  return 0;
}
