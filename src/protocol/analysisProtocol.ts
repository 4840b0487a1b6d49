// Messages between the extension host and the analysis worker
// (src/worker/analysisWorker.ts). Positions crossing this boundary are
// VS Code UTF-16 offsets; the worker maps them to code point steps.
// Large results are typed arrays, transferred (not copied).
//
// Flow: loadModel → select → setDocument (then edit / setVisible as the user
// types and scrolls). The worker pushes `progress` events while it runs and a
// `values` event for the visible range as soon as that range is current.
// Every document-bound request names the version it was made for; a request
// for an older version is answered with { ok: false, cancelled: true }; a
// query for a position the pass has not reached yet with { notReady: true }
// (retry after the next progress message). The host side of the channel is
// src/extension/workers/analysisClient.ts.

import type { RecurrentKind, Signal } from '../core/model/types';

export interface CellRequest {
  layer: number;
  cell: number;
  signals: Signal[];
}

export interface SelectionSpec {
  cells: CellRequest[];
  surprisal: boolean;
}

export interface EngineOptions {
  checkpointEvery?: number;
  intraOpThreads?: number;
  /** Threads for the on-screen re-run after an edit (default 2 on 2+ cores). */
  urgentThreads?: number;
  maxChars?: number;
}

/** A change as VS Code reports it: replace [offset, offset + length) by text. */
export interface TextChange {
  offset: number;
  length: number;
  text: string;
}

export interface RequestMap {
  loadModel: { path: string; options?: EngineOptions };
  select: { selection: SelectionSpec };
  setDocument: { text: string; version: number };
  /** Changes of one version, each against the text of the previous version, in any order (non-overlapping). */
  edit: { version: number; changes: TextChange[] };
  /**
   * [start, end): the range to keep coloured (screen plus a scroll margin).
   * [viewStart, viewEnd) inside it, when given: what is on screen, made
   * current first and pushed as soon as it is (the margin follows).
   */
  setVisible: { version: number; start: number; end: number; viewStart?: number; viewEnd?: number };
  getValues: { version: number; start: number; end: number };
  getWindow: { version: number; layer: number; start: number; end: number };
  getNext: { version: number; offset: number; k?: number };
  sample: { prime?: string; length: number; temperature: number; seed?: number };
  dispose: Record<string, never>;
}

export interface ModelInfo {
  layers: { kind: RecurrentKind; hiddenSize: number; inputSize: number }[];
  vocabSize: number;
  vocab: string[];
  metadata: Record<string, string>;
  threads: number;
}

export interface SeriesValues {
  layer: number;
  cell: number;
  signal: Signal;
  values: Float32Array; // (n) one per step in the range
}

export interface ValuesResult {
  version: number;
  /** UTF-16 start offset of each step in the range, plus the end. (n + 1) */
  offsets: Uint32Array;
  series: SeriesValues[];
  surprisal: Float32Array | null; // (n) bits
  /** 1 where the values are current (the pass may still be running elsewhere). (n) */
  valid: Uint8Array;
}

export interface WindowResult {
  version: number;
  layer: number;
  hiddenSize: number;
  offsets: Uint32Array; // (n + 1)
  /** Every signal of the layer for every cell, (n, H) row-major. */
  signals: Partial<Record<Signal, Float32Array>>;
}

export interface NextResult {
  version: number;
  /** Offset of the character whose state this is (-1 = before the text). */
  offset: number;
  top: { char: string; p: number }[];
  surprisalBits: number | null;
}

export interface ResultMap {
  loadModel: ModelInfo;
  select: { ok: true };
  setDocument: { version: number; steps: number };
  edit: { version: number; steps: number };
  setVisible: { ok: true };
  getValues: ValuesResult;
  getWindow: WindowResult;
  getNext: NextResult;
  sample: { text: string };
  dispose: { ok: true };
}

export type RequestType = keyof RequestMap;

export type AnalysisRequest = {
  [K in RequestType]: { kind: 'request'; id: number; type: K } & RequestMap[K];
}[RequestType];

export type AnalysisResponse =
  | { kind: 'response'; id: number; ok: true; result: ResultMap[RequestType] }
  | { kind: 'response'; id: number; ok: false; error: string; cancelled: boolean; notReady: boolean };

export interface ProgressMessage {
  kind: 'progress';
  version: number;
  /** Characters whose values are current, and the total, in steps. */
  done: number;
  total: number;
  /** UTF-16 range just recomputed. */
  start: number;
  end: number;
  /** True on the last message of a version/selection: everything is current. */
  finished: boolean;
}

/**
 * Values of the whole visible range [start, end), pushed when its on-screen
 * part becomes current (the margin may still be invalid: see `valid`) and
 * again when all of it is, for each version and selection.
 */
export interface VisibleValuesMessage {
  kind: 'values';
  values: ValuesResult;
}

export interface ErrorMessage {
  kind: 'error';
  version: number;
  error: string;
}

export type FromAnalysisWorker = AnalysisResponse | ProgressMessage | VisibleValuesMessage | ErrorMessage;
export type ToAnalysisWorker = AnalysisRequest;
