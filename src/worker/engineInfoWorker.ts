// Worker entry (dist/engineInfoWorker.js): runs the engine probe off the
// extension host thread and posts one message back, then exits.
// Message: { ok: true, info: EngineInfo } | { ok: false, error: string }.

import { parentPort } from 'worker_threads';
import { probeEngine } from './engineProbe';

if (!parentPort) throw new Error('engineInfoWorker must run in a worker_threads Worker');
const port = parentPort;

probeEngine().then(
  (info) => port.postMessage({ ok: true, info }),
  (err: unknown) => port.postMessage({ ok: false, error: err instanceof Error ? err.stack ?? err.message : String(err) }),
);
