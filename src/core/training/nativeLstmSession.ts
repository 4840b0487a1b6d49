// A training session over the native kernel (nativeKernel.ts) for LSTM
// models: the same contract as a GraphSession in train mode (forward +
// BPTT, loss and the flat gradient in ParamLayout order, the recurrent
// state carried from run to run), in one call per step on this thread.
// `params` is read on every run, so Adam updating it in place is all a step
// needs. The gradient returned is this session's buffer, overwritten by the
// next run.

import type { StepResult } from './graphSession';
import type { ModelShape } from './modelParams';
import { ParamLayout } from './modelParams';
import type { NativeKernel } from './nativeKernel';

export class NativeLstmSession {
  readonly layout: ParamLayout;
  readonly h: Float32Array[]; // L × (B, H), views of one (L, B, H) buffer
  readonly c: Float32Array[]; // L × (B, H)
  private readonly hAll: Float32Array;
  private readonly cAll: Float32Array;
  private readonly dims: Int32Array;
  private readonly grads: Float32Array;
  private readonly work: Float32Array;
  private readonly masks: Float32Array | null; // (L-1, T*B, H)

  constructor(
    private readonly kernel: NativeKernel,
    shape: ModelShape,
    readonly T: number,
    readonly B: number,
    private readonly params: Float32Array,
    dropout: boolean,
  ) {
    if (shape.kind !== 'lstm') throw new RangeError(`the native kernel trains LSTM models, not ${shape.kind}`);
    this.layout = new ParamLayout(shape);
    const { vocabSize: V, embeddingSize: E, hiddenSize: H, layers: L } = shape;
    if (params.length !== this.layout.total)
      throw new RangeError(`parameter buffer has ${params.length} values, the model needs ${this.layout.total}`);
    const withMasks = dropout && L > 1;
    this.dims = Int32Array.from([V, E, H, L, T, B, withMasks ? 1 : 0]);
    if (kernel.paramCount(this.dims) !== this.layout.total)
      throw new Error(
        `native kernel counts ${kernel.paramCount(this.dims)} parameters, ParamLayout ${this.layout.total}`,
      );
    this.grads = new Float32Array(this.layout.total);
    this.work = new Float32Array(kernel.workFloats(this.dims));
    this.hAll = new Float32Array(L * B * H);
    this.cAll = new Float32Array(L * B * H);
    this.h = Array.from({ length: L }, (_, k) => this.hAll.subarray(k * B * H, (k + 1) * B * H));
    this.c = Array.from({ length: L }, (_, k) => this.cAll.subarray(k * B * H, (k + 1) * B * H));
    this.masks = withMasks ? new Float32Array((L - 1) * T * B * H) : null;
  }

  resetState(): void {
    this.hAll.fill(0);
    this.cAll.fill(0);
  }

  /** Zeroes the state of one stream b (e.g. when it jumps to a new place in the corpus). */
  resetStream(b: number): void {
    if (!(b >= 0 && b < this.B)) throw new RangeError(`stream ${b} is outside the batch (B = ${this.B})`);
    const H = this.layout.shape.hiddenSize;
    for (const a of [...this.h, ...this.c]) a.fill(0, b * H, (b + 1) * H);
  }

  /** One step. xIds, yIds: (T*B) time-major ids; masks: (L-1) × (T*B, H) when built with dropout. */
  run(xIds: Int32Array, yIds?: Int32Array, masks?: Float32Array[]): Promise<StepResult> {
    const N = this.T * this.B;
    if (xIds.length !== N)
      throw new RangeError(`expected ${N} input ids (T=${this.T} × B=${this.B}), got ${xIds.length}`);
    if (!yIds || yIds.length !== N) throw new RangeError(`expected ${N} target ids, got ${yIds?.length ?? 'none'}`);
    if (this.masks) {
      const L = this.layout.shape.layers;
      const size = N * this.layout.shape.hiddenSize;
      if (!masks || masks.length !== L - 1 || masks.some((m) => m.length !== size))
        throw new RangeError(`the session needs ${L - 1} dropout masks of ${size} values`);
      masks.forEach((m, k) => this.masks!.set(m, k * size));
    }
    const loss = this.kernel.trainStep(
      this.dims,
      this.params,
      this.grads,
      xIds,
      yIds,
      this.hAll,
      this.cAll,
      this.masks,
      this.work,
    );
    return Promise.resolve({ loss, grads: this.grads });
  }

  release(): Promise<void> {
    return Promise.resolve();
  }
}
