// The session that runs a training step in this thread: the native kernel
// (nativeLstmSession.ts) for an LSTM on one thread where it is built and the
// CPU has AVX2 + FMA, else the ONNX training graph (graphSession.ts). Both
// give the same loss and gradient up to float rounding (the unit tests
// compare them). ShardedSession's workers each make one of these.

import { GraphSession } from './graphSession';
import type { StepResult } from './graphSession';
import type { ModelShape } from './modelParams';
import { loadNativeKernel } from './nativeKernel';
import type { KernelChoice } from './nativeKernel';
import { NativeLstmSession } from './nativeLstmSession';

export type TrainEngine = 'native' | 'onnx';

export interface TrainSession {
  run(xIds: Int32Array, yIds: Int32Array, masks?: Float32Array[]): Promise<StepResult>;
  resetStream(b: number): void;
  release(): Promise<void>;
}

export async function createTrainSession(
  shape: ModelShape,
  T: number,
  B: number,
  params: Float32Array,
  options: { threads: number; dropout: boolean; kernel: KernelChoice },
): Promise<{ session: TrainSession; engine: TrainEngine }> {
  // 'auto' takes the kernel only where it replaces a one-thread graph session.
  const asked = options.kernel === 'native';
  if (asked && shape.kind !== 'lstm')
    throw new RangeError(`kernel 'native' trains LSTM models only, not ${shape.kind}`);
  if (asked || (options.kernel === 'auto' && shape.kind === 'lstm' && options.threads === 1)) {
    const native = loadNativeKernel();
    if (native.kernel)
      return { session: new NativeLstmSession(native.kernel, shape, T, B, params, options.dropout), engine: 'native' };
    if (asked) throw new Error(`kernel 'native' asked for, but ${native.why}`);
  }
  const session = await GraphSession.create(shape, T, B, 'train', params, {
    threads: options.threads,
    dropout: options.dropout,
  });
  return { session, engine: 'onnx' };
}
