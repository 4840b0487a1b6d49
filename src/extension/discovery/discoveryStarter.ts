// Starts one cell discovery in its own worker thread (dist/discoveryWorker.js)
// and turns the worker's messages (src/protocol/discoveryProtocol.ts) into a
// progress callback and one promise. No `vscode` import: unit-tested against
// the compiled worker. The worker is asked to stop when the run ends, fails, or
// is cancelled, and exits on its own (never terminated: workerHandle.ts); a
// crash rejects with the exit code named.

import { WorkerHandle } from '../workers/workerHandle';
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
  const handle = new WorkerHandle(workerPath);
  const worker = handle.worker;
  let finished = false;
  const done = new Promise<DiscoveryEnd>((resolve, reject) => {
    const end = (f: () => void): void => {
      if (finished) return;
      finished = true;
      void handle.stop(); // never terminate(): src/extension/workers/workerHandle.ts
      f();
    };
    worker.on('message', (m: FromDiscoveryWorker) => {
      try {
        switch (m.kind) {
          case 'progress':
            return onProgress?.(m.progress);
          case 'done':
            return end(() => resolve({ status: 'done', outcome: m.outcome }));
          case 'cancelled':
            return end(() => resolve({ status: 'cancelled' }));
          case 'error':
            return end(() => reject(new Error(m.error)));
        }
      } catch (err) {
        // A listener's bug must not leave the worker running unseen.
        end(() => reject(err instanceof Error ? err : new Error(String(err))));
      }
    });
    worker.on('error', (err) => end(() => reject(new Error(`discovery worker ${workerPath} failed: ${err.message}`))));
    worker.on('exit', (code) =>
      end(() => reject(new Error(`discovery worker ${workerPath} exited with code ${code} before finishing`))),
    );
  });
  worker.postMessage({ kind: 'start', job });
  return {
    done,
    cancel: () => {
      if (!finished) worker.postMessage({ kind: 'cancel' });
    },
  };
}
