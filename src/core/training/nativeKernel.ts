// The native training kernel: native/*.c, a Node-API addon that
// scripts/buildNative.js builds with the system C compiler (npm run compile).
// It is optional. Where it was not built (no x86-64, no compiler) or the CPU
// lacks AVX2 + FMA, loadNativeKernel says why and training runs the ONNX
// graph instead (trainSession.ts).
//
// The addon's functions (native/addon.c checks every argument):
//   trainStep(dims, params, grads, x, y, h, c, masks | null, work) → mean loss, nats per char
//   dims: Int32Array [V, E, H, L, T, B, dropout]; shapes as native/lstmStep.h.

import * as fs from 'fs';
import * as path from 'path';

export interface NativeKernel {
  supported(): boolean;
  paramCount(dims: Int32Array): number;
  workFloats(dims: Int32Array): number;
  trainStep(
    dims: Int32Array,
    params: Float32Array,
    grads: Float32Array,
    x: Int32Array,
    y: Int32Array,
    h: Float32Array,
    c: Float32Array,
    masks: Float32Array | null,
    work: Float32Array,
  ): number;
  /** C (M × N, row stride ldc) (+)= A · B over strided views A(i, k) = A[i*ars + k*acs], B(k, j) = B[k*brs + j*bcs]. */
  gemm(
    M: number,
    N: number,
    K: number,
    A: Float32Array,
    ars: number,
    acs: number,
    B: Float32Array,
    brs: number,
    bcs: number,
    C: Float32Array,
    ldc: number,
    accumulate: 0 | 1,
  ): void;
}

/** Which engine trains: the native kernel where it can (LSTM), the ONNX graph, or the native kernel or an error. */
export type KernelChoice = 'auto' | 'native' | 'onnx';
export const KERNEL_CHOICES: readonly KernelChoice[] = ['auto', 'native', 'onnx'];

export type NativeLoad = { kernel: NativeKernel; file: string } | { kernel?: undefined; why: string };

const FILE = 'lstm_lens_native.node';

// Bundled, the addon is in dist/native next to the bundle; compiled, in
// out/native, three folders up from out/src/core/training.
function candidates(): string[] {
  return [path.join(__dirname, 'native', FILE), path.join(__dirname, '..', '..', '..', 'native', FILE)];
}

let loaded: NativeLoad | undefined;

/** The kernel, loaded once per thread, or why there is none. */
export function loadNativeKernel(): NativeLoad {
  if (loaded) return loaded;
  const file = candidates().find((f) => fs.existsSync(f));
  if (!file) {
    loaded = { why: `the native kernel was not built (no ${FILE}; see scripts/buildNative.js)` };
    return loaded;
  }
  try {
    const m = { exports: {} as NativeKernel };
    process.dlopen(m, file);
    loaded = m.exports.supported() ? { kernel: m.exports, file } : { why: 'this CPU lacks AVX2 + FMA' };
  } catch (e) {
    loaded = { why: `${file} did not load: ${e instanceof Error ? e.message : String(e)}` };
  }
  return loaded;
}
