// Starts one cell discovery in its own worker thread (dist/discoveryWorker.js)
// and turns the worker's messages (src/protocol/discoveryProtocol.ts) into a
// progress callback and one promise, through the shared job starter
// (workers/jobWorker.ts). No `vscode` import: unit-tested against the
// compiled worker.

import { startJobWorker } from '../workers/jobWorker';
import type { DiscoverProgress } from '../../core/analysis/discoverCells';
import type { DiscoveryJob, DiscoveryOutcome, FromDiscoveryWorker } from '../../protocol/discoveryProtocol';

export type DiscoveryEnd = { status: 'done'; outcome: DiscoveryOutcome } | { status: 'cancelled' };

export interface DiscoveryRun {
  /** Resolves with the outcome or `cancelled`; rejects with the discovery's or the worker's error. */
  readonly done: Promise<DiscoveryEnd>;
  /** Asks the worker to stop after the current chunk. */
  cancel(): void;
}

export function startDiscovery(
  workerPath: string,
  job: DiscoveryJob,
  onProgress?: (p: DiscoverProgress) => void,
): DiscoveryRun {
  return startJobWorker<FromDiscoveryWorker, DiscoveryEnd>(workerPath, {
    name: 'discovery worker',
    start: { kind: 'start', job },
    cancel: { kind: 'cancel' },
    onMessage: (m) => {
      switch (m.kind) {
        case 'progress':
          onProgress?.(m.progress);
          return undefined;
        case 'done':
          return { result: { status: 'done', outcome: m.outcome } };
        case 'cancelled':
          return { result: { status: 'cancelled' } };
        case 'error':
          return { error: new Error(m.error) };
      }
    },
  });
}
