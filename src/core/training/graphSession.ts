// Owns one onnxruntime session over a graph from buildTrainingGraph and the
// feeds it needs. The contract (names, shapes) is the header of
// trainingGraph.ts. Parameters are fed as tensors over views of the one
// flat parameter buffer, created once: Adam updates the buffer in place and
// the next run reads the new values without a copy.
// Carries the recurrent state (h, c per layer) from run to run for truncated
// BPTT; resetState() zeroes it.

import * as ort from 'onnxruntime-node';
import { buildTrainingGraph } from './trainingGraph';
import type { BuiltGraph, GraphMode } from './trainingGraph';
import type { ModelShape, ParamLayout } from './modelParams';

export interface StepResult {
  loss: number; // mean nats per char (train, eval)
  grads?: Float32Array; // (P) train mode
  logits?: Float32Array; // (T*B, V) infer mode
}

export class GraphSession {
  readonly layout: ParamLayout;
  readonly h: Float32Array[]; // L × (B, H)
  readonly c: Float32Array[]; // L × (B, H), LSTM only
  private readonly xOneHot: Float32Array; // (T*B, V)
  private readonly yOneHot: Float32Array; // (T*B, V)
  private readonly paramFeeds: Record<string, ort.Tensor> = {};
  private readonly params: Float32Array;
  private readonly transposed: { name: string; r: string; buf: Float32Array; rows: number; cols: number }[];

  private constructor(
    private readonly session: ort.InferenceSession,
    readonly built: BuiltGraph,
    readonly T: number,
    readonly B: number,
    readonly mode: GraphMode,
    params: Float32Array,
  ) {
    this.layout = built.layout;
    const { vocabSize: V, hiddenSize: H, layers: L, kind } = this.layout.shape;
    if (params.length !== this.layout.total) {
      throw new RangeError(`parameter buffer has ${params.length} values, the graph needs ${this.layout.total}`);
    }
    for (const s of this.layout.specs) {
      this.paramFeeds[s.name] = new ort.Tensor('float32', this.layout.view(params, s.name), s.dims);
    }
    this.params = params;
    this.transposed = built.rtNames.map((name) => {
      const r = name.slice(0, -1); // l{k}.R
      const [rows, cols] = this.layout.specs.find((s) => s.name === r)!.dims; // (4H, H)
      const buf = new Float32Array(rows * cols);
      this.paramFeeds[name] = new ort.Tensor('float32', buf, [cols, rows]);
      return { name, r, buf, rows, cols };
    });
    this.h = Array.from({ length: L }, () => new Float32Array(B * H));
    this.c = kind === 'lstm' ? Array.from({ length: L }, () => new Float32Array(B * H)) : [];
    this.xOneHot = new Float32Array(T * B * V);
    this.yOneHot = new Float32Array(T * B * V);
  }

  static async create(
    shape: ModelShape,
    T: number,
    B: number,
    mode: GraphMode,
    params: Float32Array,
    options: { threads?: number; dropout?: boolean } = {},
  ): Promise<GraphSession> {
    const built = buildTrainingGraph({ shape, T, B, mode, dropout: options.dropout });
    const session = await ort.InferenceSession.create(built.bytes, {
      intraOpNumThreads: options.threads ?? 2,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      // An eval or sampling session idles between its runs while training
      // goes on; a spinning pool would hold a core the whole time.
      ...(mode === 'train' ? {} : { extra: { session: { intra_op: { allow_spinning: '0' } } } }),
    });
    return new GraphSession(session, built, T, B, mode, params);
  }

  resetState(): void {
    for (const a of this.h) a.fill(0);
    for (const a of this.c) a.fill(0);
  }

  /** Zeroes the state of one stream b (e.g. when it jumps to a new place in the corpus). */
  resetStream(b: number): void {
    const H = this.layout.shape.hiddenSize;
    for (const a of this.h) a.fill(0, b * H, (b + 1) * H);
    for (const a of this.c) a.fill(0, b * H, (b + 1) * H);
  }

  /**
   * One run. xIds, yIds: (T*B) time-major ids (row t*B + b). masks: dropout
   * masks for layers 1..L-1, each (T*B, H), when the graph was built with dropout.
   */
  async run(xIds: Int32Array, yIds?: Int32Array, masks?: Float32Array[]): Promise<StepResult> {
    const { vocabSize: V, hiddenSize: H, layers: L } = this.layout.shape;
    const N = this.T * this.B;
    if (xIds.length !== N)
      throw new RangeError(`expected ${N} input ids (T=${this.T} × B=${this.B}), got ${xIds.length}`);
    // R transposed, from the parameters as they are now: (cols, rows) ← (rows, cols).
    for (const t of this.transposed) {
      const src = this.layout.view(this.params, t.r);
      for (let i = 0; i < t.rows; i++) for (let j = 0; j < t.cols; j++) t.buf[j * t.rows + i] = src[i * t.cols + j];
    }
    const feeds: Record<string, ort.Tensor> = { ...this.paramFeeds };
    feeds.x = new ort.Tensor('float32', oneHot(this.xOneHot, xIds, V), [N, V]);
    if (this.mode !== 'infer') {
      if (!yIds || yIds.length !== N) throw new RangeError(`expected ${N} target ids, got ${yIds?.length ?? 'none'}`);
      feeds.y = new ort.Tensor('float32', oneHot(this.yOneHot, yIds, V), [N, V]);
    }
    for (let k = 0; k < L; k++) {
      feeds[`h0.${k}`] = new ort.Tensor('float32', this.h[k], [this.B, H]);
      if (this.c.length) feeds[`c0.${k}`] = new ort.Tensor('float32', this.c[k], [this.B, H]);
    }
    const maskNames = this.built.maskNames;
    if (maskNames.length) {
      if (!masks || masks.length !== maskNames.length)
        throw new RangeError(`graph needs ${maskNames.length} dropout masks`);
      maskNames.forEach((name, j) => (feeds[name] = new ort.Tensor('float32', masks[j], [N, H])));
    }
    const out = await this.session.run(feeds);
    for (let k = 0; k < L; k++) {
      this.h[k].set(out[`hT.${k}`].data as Float32Array);
      if (this.c.length) this.c[k].set(out[`cT.${k}`].data as Float32Array);
    }
    return {
      loss: out.loss ? (out.loss.data as Float32Array)[0] : NaN,
      grads: out.grads ? (out.grads.data as Float32Array) : undefined,
      logits: out.logits ? (out.logits.data as Float32Array) : undefined,
    };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

function oneHot(buf: Float32Array, ids: Int32Array, V: number): Float32Array {
  buf.fill(0);
  for (let n = 0; n < ids.length; n++) {
    const id = ids[n];
    if (!(id >= 0 && id < V))
      throw new RangeError(`character id ${id} at position ${n} is outside the vocabulary (size ${V})`);
    buf[n * V + id] = 1;
  }
  return buf;
}
