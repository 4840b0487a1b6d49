// Messages of the cell-page worker (src/worker/cellPageWorker.ts), started by
// src/extension/panel/cellPageStarter.ts: one `start`, optionally one
// `cancel`; the worker answers with `progress` events and then exactly one of
// `done` / `cancelled` / `error`, after which the starter ends it.

import type { SampleText } from '../core/analysis/cacheKey';
import type { CellRef } from '../core/analysis/cellLabels';
import type { CellProfile, CellProfileOptions } from '../core/analysis/cellProfile';

export interface CellPageJob {
  modelPath: string;
  texts: SampleText[];
  cell: CellRef;
  options?: CellProfileOptions;
}

export type ToCellPageWorker = { kind: 'start'; job: CellPageJob } | { kind: 'cancel' };

export type FromCellPageWorker =
  | { kind: 'progress'; done: number; total: number }
  | { kind: 'done'; profile: CellProfile; seconds: number }
  | { kind: 'cancelled' }
  | { kind: 'error'; error: string };
