// Worker entry (worker_threads): one cell's page (core/analysis/cellProfile.ts)
// off the extension host thread. Speaks src/protocol/cellPageProtocol.ts; a
// `cancel` aborts between chunks. Stopped by `workerShutdown`
// (src/worker/workerShutdown.ts), never terminated. No `vscode` import.

import { parentPort } from 'worker_threads';
import { profileCell } from '../core/analysis/cellProfile';
import { readModelFile } from '../core/model/modelFile';
import type { CellPageJob, FromCellPageWorker, ToCellPageWorker } from '../protocol/cellPageProtocol';
import { isWorkerControl } from '../protocol/workerControl';
import { serveShutdown } from './workerShutdown';
import { errorMessage } from '../core/util/errors';

if (!parentPort) throw new Error('cellPageWorker must run in a worker_threads Worker');
const port = parentPort;
const abort = new AbortController();
let started = false;
let running: Promise<void> = Promise.resolve();
serveShutdown(port, {
  stop: async () => {
    abort.abort();
    await running;
  },
});

const send = (m: FromCellPageWorker): void => port.postMessage(m);

function checkJob(job: CellPageJob | undefined): CellPageJob {
  if (!job || typeof job.modelPath !== 'string' || !Array.isArray(job.texts) || typeof job.cell !== 'object')
    throw new Error('cell page job needs { modelPath: string, texts: SampleText[], cell: { layer, unit, signal } }');
  for (const t of job.texts) {
    if (typeof t?.name !== 'string' || typeof t.text !== 'string' || typeof t.language !== 'string')
      throw new Error('each sample text needs { name, text, language } strings');
  }
  return job;
}

async function run(raw: CellPageJob): Promise<void> {
  const t0 = Date.now();
  const job = checkJob(raw);
  const model = await readModelFile(job.modelPath);
  let last = 0;
  const profile = await profileCell(
    model,
    job.texts,
    job.cell,
    job.options,
    (done, total) => {
      // A few progress events a second are enough for the page's bar.
      const now = Date.now();
      if (now - last < 150 && done < total) return;
      last = now;
      send({ kind: 'progress', done, total });
    },
    abort.signal,
  );
  send({ kind: 'done', profile, seconds: (Date.now() - t0) / 1000 });
}

port.on('message', (m: ToCellPageWorker) => {
  if (isWorkerControl(m)) return;
  if (m?.kind === 'cancel') return abort.abort();
  if (m?.kind !== 'start') return send({ kind: 'error', error: `unknown message ${JSON.stringify(m)}` });
  if (started) return send({ kind: 'error', error: 'this cell page worker already runs a job' });
  started = true;
  running = run(m.job).catch((err: unknown) =>
    send(abort.signal.aborted ? { kind: 'cancelled' } : { kind: 'error', error: errorMessage(err) }),
  );
});
