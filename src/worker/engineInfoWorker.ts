// Worker entry (dist/engineInfoWorker.js): runs the engine probe off the
// extension host thread, posts one message back, then stops itself
// (src/worker/workerShutdown.ts: sessions released, port closed, exit).
// Message: { ok: true, info: EngineInfo } | { ok: false, error: string }.

import { parentPort } from 'worker_threads';
import { probeEngine } from './engineProbe';
import { serveShutdown } from './workerShutdown';

if (!parentPort) throw new Error('engineInfoWorker must run in a worker_threads Worker');
const port = parentPort;

const probe = probeEngine().then(
  (info) => port.postMessage({ ok: true, info }),
  (err: unknown) =>
    port.postMessage({ ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
);
// Installed after the probe has required onnxruntime-node, so its elapsedMs still includes loading it.
const stopper = serveShutdown(port, { stop: () => probe });
void probe.then(() => stopper.shutdown());
