// Worker entry (worker_threads): cell discovery (src/core/analysis/
// discoverCells.ts) off the extension host thread. Speaks
// src/protocol/discoveryProtocol.ts: on `start` it reads the model, looks the
// (model hash, sample hash) key up in the JSON cache, and on a miss scores
// every cell with progress events, then stores the result; `cancel` aborts
// between chunks (oneJob.ts). No `vscode` import.

import * as path from 'path';
import { parentPort } from 'worker_threads';
import { discoverCells, discoveryKeyFor } from '../core/analysis/discoverCells';
import { loadDiscovery, saveDiscovery, toStored } from '../core/analysis/discoveryStore';
import { readModelFile } from '../core/model/modelFile';
import type { DiscoveryJob, FromDiscoveryWorker } from '../protocol/discoveryProtocol';
import { checkSampleTexts } from '../protocol/sampleTextCheck';
import { serveOneJob } from './oneJob';
import { lowerThreadPriority } from './backgroundPriority';

if (!parentPort) throw new Error('discoveryWorker must run in a worker_threads Worker');
lowerThreadPriority();

function checkJob(job: DiscoveryJob | undefined): DiscoveryJob {
  if (!job || typeof job.modelPath !== 'string' || typeof job.storeDir !== 'string' || !Array.isArray(job.texts)) {
    throw new Error('discovery job needs { modelPath: string, storeDir: string, texts: SampleText[] }');
  }
  checkSampleTexts(job.texts);
  return job;
}

async function run(
  raw: DiscoveryJob,
  signal: AbortSignal,
  send: (m: FromDiscoveryWorker) => void,
): Promise<FromDiscoveryWorker> {
  const t0 = Date.now();
  const job = checkJob(raw);
  const model = await readModelFile(job.modelPath);
  const options = { maxChars: job.maxChars, label: job.label, probes: job.probes };
  const { cacheKey } = discoveryKeyFor(model, job.texts, options);
  const file = path.join(job.storeDir, `${cacheKey}.json`);
  const hit = await loadDiscovery(job.storeDir, cacheKey);
  // The label threshold is not in the key (labels are cheap to redo from the
  // table, but the table is not stored): a hit made with another threshold is recomputed.
  if (hit && hit.discovery.minAbsR === (job.label?.minAbsR ?? 0.6) && (!job.probes || hit.probes !== undefined)) {
    return { kind: 'done', outcome: { stored: hit, cached: true, file, seconds: (Date.now() - t0) / 1000 } };
  }
  const result = await discoverCells(
    model,
    job.texts,
    options,
    (progress) => send({ kind: 'progress', progress }),
    signal,
  );
  const stored = toStored(result);
  const written = await saveDiscovery(job.storeDir, stored);
  return { kind: 'done', outcome: { stored, cached: false, file: written, seconds: (Date.now() - t0) / 1000 } };
}

serveOneJob<DiscoveryJob, FromDiscoveryWorker>(parentPort, 'discovery worker', run);
