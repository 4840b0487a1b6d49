// Worker entry (worker_threads): cell discovery (src/core/analysis/
// discoverCells.ts) off the extension host thread. Speaks
// src/protocol/discoveryProtocol.ts: on `start` it reads the model, looks the
// (model hash, sample hash) key up in the JSON cache, and on a miss scores
// every cell with progress events, then stores the result; `cancel` aborts
// between chunks. Stopped by `workerShutdown` (src/worker/workerShutdown.ts),
// never terminated. No `vscode` import.

import * as path from 'path';
import { parentPort } from 'worker_threads';
import { discoverCells, discoveryKeyFor } from '../core/analysis/discoverCells';
import { loadDiscovery, saveDiscovery, toStored } from '../core/analysis/discoveryStore';
import { readModelFile } from '../core/model/modelFile';
import type {
  DiscoveryJob,
  DiscoveryOutcome,
  FromDiscoveryWorker,
  ToDiscoveryWorker,
} from '../protocol/discoveryProtocol';
import { isWorkerControl } from '../protocol/workerControl';
import { serveShutdown } from './workerShutdown';
import { lowerThreadPriority } from './backgroundPriority';
import { errorMessage } from '../core/util/errors';

if (!parentPort) throw new Error('discoveryWorker must run in a worker_threads Worker');
const port = parentPort;
lowerThreadPriority();
const abort = new AbortController();
let started = false;
let running: Promise<void> = Promise.resolve();
serveShutdown(port, {
  stop: async () => {
    abort.abort();
    await running;
  },
});

const send = (m: FromDiscoveryWorker): void => port.postMessage(m);

function checkJob(job: DiscoveryJob | undefined): DiscoveryJob {
  if (!job || typeof job.modelPath !== 'string' || typeof job.storeDir !== 'string' || !Array.isArray(job.texts)) {
    throw new Error('discovery job needs { modelPath: string, storeDir: string, texts: SampleText[] }');
  }
  for (const t of job.texts) {
    if (typeof t?.name !== 'string' || typeof t.text !== 'string' || typeof t.language !== 'string') {
      throw new Error('each sample text needs { name, text, language } strings');
    }
  }
  return job;
}

async function run(raw: DiscoveryJob): Promise<DiscoveryOutcome> {
  const t0 = Date.now();
  const job = checkJob(raw);
  const model = await readModelFile(job.modelPath);
  const options = { maxChars: job.maxChars, label: job.label };
  const { cacheKey } = discoveryKeyFor(model, job.texts, options);
  const file = path.join(job.storeDir, `${cacheKey}.json`);
  const hit = await loadDiscovery(job.storeDir, cacheKey);
  // The label threshold is not in the key (labels are cheap to redo from the
  // table, but the table is not stored): a hit made with another threshold is recomputed.
  if (hit && hit.discovery.minAbsR === (job.label?.minAbsR ?? 0.6)) {
    return { stored: hit, cached: true, file, seconds: (Date.now() - t0) / 1000 };
  }
  const result = await discoverCells(
    model,
    job.texts,
    options,
    (progress) => send({ kind: 'progress', progress }),
    abort.signal,
  );
  const stored = toStored(result);
  const written = await saveDiscovery(job.storeDir, stored);
  return { stored, cached: false, file: written, seconds: (Date.now() - t0) / 1000 };
}

port.on('message', (m: ToDiscoveryWorker) => {
  if (isWorkerControl(m)) return;
  if (m?.kind === 'cancel') return abort.abort();
  if (m?.kind !== 'start') return send({ kind: 'error', error: `unknown message ${JSON.stringify(m)}` });
  if (started) return send({ kind: 'error', error: 'this discovery worker already runs a job' });
  started = true;
  running = run(m.job).then(
    (outcome) => send({ kind: 'done', outcome }),
    (err: unknown) => send(abort.signal.aborted ? { kind: 'cancelled' } : { kind: 'error', error: errorMessage(err) }),
  );
});
