// The shape of a worker that runs exactly one cancellable job: it answers
// `start` once (a second is an error), `cancel` aborts the job's signal, a
// stop from the host (workerShutdown.ts) cancels and waits for it. The job's
// end message is posted when it resolves; a rejection is `cancelled` after a
// cancel, else `error` with its message. Used by the discovery and cell-page
// workers. No `vscode` import.

import type { MessagePort } from 'worker_threads';
import { errorMessage } from '../core/util/errors';
import { isWorkerControl } from '../protocol/workerControl';
import { serveShutdown } from './workerShutdown';

type Ended = { kind: 'cancelled' } | { kind: 'error'; error: string };

export function serveOneJob<Job, Out>(
  port: MessagePort,
  name: string,
  run: (job: Job, signal: AbortSignal, send: (m: Out | Ended) => void) => Promise<Out>,
): void {
  const abort = new AbortController();
  let started = false;
  let running: Promise<void> = Promise.resolve();
  const send = (m: Out | Ended): void => port.postMessage(m);
  serveShutdown(port, {
    stop: async () => {
      abort.abort();
      await running;
    },
  });
  port.on('message', (m: { kind?: unknown; job?: Job } | undefined) => {
    if (isWorkerControl(m)) return;
    if (m?.kind === 'cancel') return abort.abort();
    if (m?.kind !== 'start' || m.job === undefined)
      return send({ kind: 'error', error: `unknown message ${JSON.stringify(m)}` });
    if (started) return send({ kind: 'error', error: `this ${name} already runs a job` });
    started = true;
    running = run(m.job, abort.signal, send).then(send, (err: unknown) =>
      send(abort.signal.aborted ? { kind: 'cancelled' } : { kind: 'error', error: errorMessage(err) }),
    );
  });
}
