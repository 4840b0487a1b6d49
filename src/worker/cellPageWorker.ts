// Worker entry (worker_threads): one cell's page (core/analysis/cellProfile.ts)
// off the extension host thread. Speaks src/protocol/cellPageProtocol.ts; a
// `cancel` aborts between chunks (oneJob.ts). No `vscode` import.

import { parentPort } from 'worker_threads';
import { profileCell } from '../core/analysis/cellProfile';
import { readModelFile } from '../core/model/modelFile';
import type { CellPageJob, FromCellPageWorker } from '../protocol/cellPageProtocol';
import { checkSampleTexts } from '../protocol/sampleTextCheck';
import { serveOneJob } from './oneJob';

if (!parentPort) throw new Error('cellPageWorker must run in a worker_threads Worker');

function checkJob(job: CellPageJob | undefined): CellPageJob {
  if (!job || typeof job.modelPath !== 'string' || !Array.isArray(job.texts) || typeof job.cell !== 'object')
    throw new Error('cell page job needs { modelPath: string, texts: SampleText[], cell: { layer, unit, signal } }');
  checkSampleTexts(job.texts);
  return job;
}

serveOneJob<CellPageJob, FromCellPageWorker>(parentPort, 'cell page worker', async (raw, signal, send) => {
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
    signal,
  );
  return { kind: 'done', profile, seconds: (Date.now() - t0) / 1000 };
});
