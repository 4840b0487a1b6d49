// Worker entry (worker_threads): one shard of a data-parallel training step
// (src/core/training/shardedSession.ts). Owns a one-thread training session
// (trainSession.ts: the native kernel or the ONNX graph) over its B_w streams and their carried state; per step it copies the shared
// parameters in, runs forward + BPTT, and writes its gradient into its row of
// the shared gradient buffer. Started by the trainer, in whatever thread runs
// it (the training worker, the CLI, a benchmark); it inherits that thread's
// priority. No `vscode`.

import { parentPort, workerData } from 'worker_threads';
import { createTrainSession } from '../core/training/trainSession';
import type { ShardInit, ShardReply, ShardStep } from '../core/training/shardedSession';
import { errorMessage } from '../core/util/errors';
import { isWorkerControl } from '../protocol/workerControl';
import type { WorkerControlMessage } from '../protocol/workerControl';
import { serveShutdown } from './workerShutdown';

if (!parentPort) throw new Error('trainShardWorker must run in a worker_threads Worker');
const port = parentPort;
// Stopped by ShardedSession.release() between steps: the session is released and the worker exits by itself.
serveShutdown(port);
const init = workerData as ShardInit;
const post = (m: ShardReply): void => port.postMessage(m);

async function start(): Promise<void> {
  const shared = new Float32Array(init.params);
  const params = Float32Array.from(shared); // onnxruntime reads only non-shared memory
  const P = params.length;
  const gradRow = new Float32Array(init.grads, init.row * P * 4, P);
  const { session, engine } = await createTrainSession(init.shape, init.T, init.B, params, {
    threads: init.threads,
    dropout: init.dropout,
    kernel: init.kernel,
  });
  port.on('message', (m: ShardStep | WorkerControlMessage) => {
    if (isWorkerControl(m)) return;
    void (async (): Promise<ShardReply> => {
      if (m?.kind !== 'step') throw new Error(`unknown message ${JSON.stringify(m)}`);
      params.set(shared);
      for (const b of m.resets) session.resetStream(b);
      const r = await session.run(m.x, m.y, m.masks);
      gradRow.set(r.grads!);
      return { kind: 'done', loss: r.loss };
    })().then(post, (e: unknown) => post({ kind: 'error', error: errorMessage(e) }));
  });
  post({ kind: 'ready', engine });
}

start().catch((e: unknown) => post({ kind: 'error', error: errorMessage(e) }));
