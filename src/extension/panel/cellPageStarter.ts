// Starts one cell page in its own worker thread (dist/cellPageWorker.js) and
// turns its messages (src/protocol/cellPageProtocol.ts) into a progress
// callback and one promise, through the shared job starter
// (workers/jobWorker.ts). No `vscode` import: unit-tested against the
// compiled worker.

import { startJobWorker } from '../workers/jobWorker';
import type { CellProfile } from '../../core/analysis/cellProfile';
import type { CellPageJob, FromCellPageWorker } from '../../protocol/cellPageProtocol';

export type CellPageEnd = { status: 'done'; profile: CellProfile; seconds: number } | { status: 'cancelled' };

export interface CellPageRun {
  readonly done: Promise<CellPageEnd>;
  cancel(): void;
}

export function startCellPage(
  workerPath: string,
  job: CellPageJob,
  onProgress?: (done: number, total: number) => void,
): CellPageRun {
  return startJobWorker<FromCellPageWorker, CellPageEnd>(workerPath, {
    name: 'cell page worker',
    start: { kind: 'start', job },
    cancel: { kind: 'cancel' },
    onMessage: (m) => {
      switch (m.kind) {
        case 'progress':
          onProgress?.(m.done, m.total);
          return undefined;
        case 'done':
          return { result: { status: 'done', profile: m.profile, seconds: m.seconds } };
        case 'cancelled':
          return { result: { status: 'cancelled' } };
        case 'error':
          return { error: new Error(m.error) };
      }
    },
  });
}
