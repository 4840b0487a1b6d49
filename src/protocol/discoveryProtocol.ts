// Messages of the cell-discovery worker (src/worker/discoveryWorker.ts),
// started by src/extension/discovery/discoveryStarter.ts: one `start`, optionally one
// `cancel`; the worker answers with `progress` events and then exactly one of
// `done` / `cancelled` / `error`, after which the starter ends it.
// Everything is plain JSON-safe data (the stored form of discoveryStore.ts).

import type { SampleText } from '../core/analysis/cacheKey';
import type { LabelOptions } from '../core/analysis/cellLabels';
import type { DiscoverProgress } from '../core/analysis/discoverCells';
import type { StoredDiscovery } from '../core/analysis/discoveryStore';
import type { ProbeOptions } from '../core/analysis/probes';

export interface DiscoveryJob {
  modelPath: string;
  texts: SampleText[];
  /** Folder of the JSON cache (discoveryStore.ts): a result with the same key is returned without running the model. */
  storeDir: string;
  /** Characters scored at most (default of discoverCells). */
  maxChars?: number;
  label?: LabelOptions;
  /** Linear probes per feature and layer (core/analysis/probes.ts), with the random-model floor when `floor`. */
  probes?: ProbeOptions & { floor?: boolean };
}

export interface DiscoveryOutcome {
  stored: StoredDiscovery;
  /** True when the result came from the cache. */
  cached: boolean;
  /** The cache file holding the result. */
  file: string;
  seconds: number;
}

export type ToDiscoveryWorker = { kind: 'start'; job: DiscoveryJob } | { kind: 'cancel' };

export type FromDiscoveryWorker =
  | { kind: 'progress'; progress: DiscoverProgress }
  | { kind: 'done'; outcome: DiscoveryOutcome }
  | { kind: 'cancelled' }
  | { kind: 'error'; error: string };
