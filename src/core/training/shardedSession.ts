// Data-parallel training step on one machine: the B streams of a batch are
// split into W contiguous shards, each trained by its own worker thread with
// a one-thread session (trainSession.ts: the native kernel, or onnxruntime
// over the training graph) at batch B_w. The per-step recurrent MatMuls are
// small (B × H by H × 4H), so one core per shard beats one session with W
// intra-op threads that must meet after every tiny op. The gradient is the same: each shard returns
// d(mean loss over its rows)/dθ, and the whole batch's is their average
// weighted by rows.
//
// Memory shared with the workers (SharedArrayBuffer, onnxruntime cannot read
// it directly, so each side copies in and out of its own buffers):
//   params  (P)      written here before every step, read by every shard
//   grads   (W, P)   row w written by shard w, summed here
// Per step each shard gets its slice of the time-major ids (T × B_w), its
// dropout masks (T × B_w × H per layer above the first) and the streams it
// must reset.

import * as fs from 'fs';
import * as path from 'path';
import type { ModelShape } from './modelParams';
import type { StepResult } from './graphSession';
import type { KernelChoice } from './nativeKernel';
import type { TrainEngine } from './trainSession';
import { isWorkerControl } from '../../protocol/workerControl';
import type { WorkerControlMessage } from '../../protocol/workerControl';
import { WorkerHandle } from '../../worker/workerHandle';

/** What a shard worker is started with (workerData). */
export interface ShardInit {
  shape: ModelShape;
  T: number;
  B: number; // this shard's streams
  threads: number; // onnxruntime intra-op threads of this shard
  dropout: boolean;
  kernel: KernelChoice;
  params: SharedArrayBuffer; // (P) float32
  grads: SharedArrayBuffer; // (W, P) float32, all shards'
  row: number; // w: this shard's row of grads
}

/** One training step for a shard. */
export interface ShardStep {
  kind: 'step';
  x: Int32Array; // (T*B_w) time-major
  y: Int32Array; // (T*B_w)
  masks?: Float32Array[]; // (L-1) × (T*B_w, H)
  resets: number[]; // stream indices within the shard
}

export type ShardReply =
  { kind: 'ready'; engine: TrainEngine } | { kind: 'done'; loss: number } | { kind: 'error'; error: string };

/** Streams [from, from + size) of the batch, trained by one worker. */
interface Shard {
  handle: WorkerHandle;
  from: number;
  size: number;
  pending?: { resolve: (r: ShardReply) => void; reject: (e: Error) => void };
  /** Settles when the last request does (its step has left onnxruntime). */
  settled: Promise<void>;
  failure?: Error;
}

/** How long release() waits for a stopped shard to exit by itself before terminating it (WorkerHandle.stop). */
const SHARD_EXIT_MS = 10_000;

// The worker entry sits in src/worker; compiled, it is next to this file's
// bundle (dist/) or two folders up from it (out/src/core/training → out/src/worker).
function defaultWorkerFile(): string {
  const candidates = [
    path.join(__dirname, 'trainShardWorker.js'),
    path.join(__dirname, '..', '..', 'worker', 'trainShardWorker.js'),
  ];
  const found = candidates.find((f) => fs.existsSync(f));
  if (!found) throw new Error(`training shard worker not found (looked for ${candidates.join(', ')})`);
  return found;
}

/** Contiguous shard sizes of B streams over W workers, the larger first. */
export function shardSizes(B: number, W: number): number[] {
  if (!Number.isInteger(W) || W < 1) throw new RangeError(`shards must be an integer >= 1, got ${W}`);
  if (W > B) throw new RangeError(`cannot split a batch of ${B} streams into ${W} shards`);
  return Array.from({ length: W }, (_, w) => Math.floor(B / W) + (w < B % W ? 1 : 0));
}

export class ShardedSession {
  private readonly sharedParams: Float32Array; // (P)
  private readonly sharedGrads: Float32Array; // (W * P)
  private readonly grads: Float32Array; // (P) the batch's gradient, returned by run
  private readonly steps: ShardStep[]; // reused per shard
  private shardEngine: TrainEngine = 'onnx';

  private constructor(
    private readonly shards: Shard[],
    paramsBuffer: SharedArrayBuffer,
    gradsBuffer: SharedArrayBuffer,
    private readonly params: Float32Array,
    readonly T: number,
    readonly B: number,
    private readonly H: number,
  ) {
    this.sharedParams = new Float32Array(paramsBuffer);
    this.sharedGrads = new Float32Array(gradsBuffer);
    this.grads = new Float32Array(params.length);
    this.steps = shards.map((s) => ({
      kind: 'step',
      x: new Int32Array(T * s.size),
      y: new Int32Array(T * s.size),
      resets: [],
    }));
  }

  /**
   * Starts W workers over the train graph of `shape`. `params` is read before
   * every run, so updating it in place (Adam) is all a step needs.
   */
  static async create(
    shape: ModelShape,
    T: number,
    B: number,
    params: Float32Array,
    options: {
      shards: number;
      threadsPerShard?: number;
      dropout?: boolean;
      kernel?: KernelChoice;
      workerFile?: string;
    },
  ): Promise<ShardedSession> {
    const sizes = shardSizes(B, options.shards);
    const P = params.length;
    const paramsBuffer = new SharedArrayBuffer(P * 4);
    const gradsBuffer = new SharedArrayBuffer(sizes.length * P * 4);
    const file = options.workerFile ?? defaultWorkerFile();
    const shards: Shard[] = [];
    let from = 0;
    for (const [w, size] of sizes.entries()) {
      const init: ShardInit = {
        shape,
        T,
        B: size,
        threads: options.threadsPerShard ?? 1,
        dropout: !!options.dropout,
        kernel: options.kernel ?? 'auto',
        params: paramsBuffer,
        grads: gradsBuffer,
        row: w,
      };
      shards.push({
        handle: new WorkerHandle(file, { workerData: init }),
        from,
        size,
        settled: Promise.resolve(),
      });
      from += size;
    }
    const session = new ShardedSession(shards, paramsBuffer, gradsBuffer, params, T, B, shape.hiddenSize);
    try {
      const engines = await Promise.all(shards.map((s) => session.listen(s)));
      session.shardEngine = engines[0];
    } catch (e) {
      await session.release();
      throw e;
    }
    return session;
  }

  /** What the shards train with (all the same: one machine, one choice). */
  get engine(): TrainEngine {
    return this.shardEngine;
  }

  // Wires a shard's messages to its pending request; resolves on 'ready' with the shard's engine.
  private listen(s: Shard): Promise<TrainEngine> {
    const fail = (e: Error): void => {
      s.failure ??= e;
      const p = s.pending;
      s.pending = undefined;
      p?.reject(e);
    };
    const worker = s.handle.worker;
    worker.on('message', (m: ShardReply | WorkerControlMessage) => {
      if (isWorkerControl(m)) return;
      const p = s.pending;
      s.pending = undefined;
      if (m.kind === 'error') p?.reject(new Error(`training shard ${s.from}..${s.from + s.size - 1}: ${m.error}`));
      else p?.resolve(m);
    });
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`training shard worker exited (code ${code})`)));
    return this.request(s, undefined).then((r) => (r.kind === 'ready' ? r.engine : 'onnx'));
  }

  // Posts `msg` (or only waits, for the first 'ready') and resolves with the reply.
  private request(s: Shard, msg: ShardStep | undefined): Promise<ShardReply> {
    if (s.failure) return Promise.reject(s.failure);
    if (s.pending) return Promise.reject(new Error('a training shard got a second request while busy'));
    const reply = new Promise<ShardReply>((resolve, reject) => {
      s.pending = { resolve, reject };
      if (msg) s.handle.post(msg);
    });
    s.settled = reply.then(
      () => undefined,
      () => undefined,
    );
    return reply;
  }

  private readonly toReset = new Set<number>();

  /** Zeroes the state of stream b before the next run. */
  resetStream(b: number): void {
    if (!(b >= 0 && b < this.B)) throw new RangeError(`stream ${b} is outside the batch (B = ${this.B})`);
    this.toReset.add(b);
  }

  /** One step over the batch: xIds, yIds (T*B) time-major; masks (L-1) × (T*B, H). */
  async run(xIds: Int32Array, yIds: Int32Array, masks?: Float32Array[]): Promise<StepResult> {
    const { T, B, H } = this;
    const N = T * B;
    if (xIds.length !== N || yIds.length !== N)
      throw new RangeError(
        `expected ${N} input and target ids (T=${T} × B=${B}), got ${xIds.length} and ${yIds.length}`,
      );
    this.sharedParams.set(this.params);
    const replies = this.shards.map((s, w) => {
      const step = this.steps[w];
      for (let t = 0; t < T; t++) {
        step.x.set(xIds.subarray(t * B + s.from, t * B + s.from + s.size), t * s.size);
        step.y.set(yIds.subarray(t * B + s.from, t * B + s.from + s.size), t * s.size);
      }
      step.masks = masks?.map((m) => {
        const part = new Float32Array(T * s.size * H);
        for (let t = 0; t < T; t++)
          part.set(m.subarray((t * B + s.from) * H, (t * B + s.from + s.size) * H), t * s.size * H);
        return part;
      });
      step.resets = [...this.toReset].filter((b) => b >= s.from && b < s.from + s.size).map((b) => b - s.from);
      return this.request(s, step);
    });
    this.toReset.clear();
    const done = await Promise.all(replies);
    const P = this.grads.length;
    let loss = 0;
    this.grads.fill(0);
    this.shards.forEach((s, w) => {
      const share = s.size / B;
      const reply = done[w];
      if (reply.kind !== 'done') throw new Error(`training shard answered '${reply.kind}' to a step`);
      loss += share * reply.loss;
      const row = this.sharedGrads.subarray(w * P, (w + 1) * P);
      for (let i = 0; i < P; i++) this.grads[i] += share * row[i];
    });
    return { loss, grads: this.grads };
  }

  /**
   * Stops every shard the safe way (src/worker/workerShutdown.ts): after its
   * step in flight has returned (a step that failed in one shard may still
   * run in another), the shard releases its session and exits by itself.
   * Worker.terminate() during an onnxruntime call aborts the whole process;
   * WorkerHandle uses it only on a shard that said it stopped and then did
   * not exit.
   */
  async release(): Promise<void> {
    await Promise.all(
      this.shards.map(async (s) => {
        await s.settled;
        await s.handle.stop({ terminateAfterMs: SHARD_EXIT_MS, waitMs: 2 * SHARD_EXIT_MS });
      }),
    );
  }
}
