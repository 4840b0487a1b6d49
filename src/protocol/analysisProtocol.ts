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
  /** Characters back the gradient flow at the cursor covers (default 400). */
  saliencyWindow?: number;
  /**
   * Shortest on-screen re-run painted first from the int8 draft of an LSTM
   * model, exact values following (default 128; 0: never draft).
   */
  draftMin?: number;
}

/** A change as VS Code reports it: replace [offset, offset + length) by text. */
export interface TextChange {
  offset: number;
  length: number;
  text: string;
}

/**
 * A clamp or ablation as the host asks for it (see core/inference/intervention.ts),
 * its range in UTF-16 offsets [start, end) of the document (absent: all of it).
 */
export interface InterventionRequest {
  layer: number;
  unit: number;
  mode: 'zero' | 'mean' | 'value' | 'flip';
  value?: number;
  start?: number;
  end?: number;
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
  /** With `intervened`, the current intervention's cells are clamped over the whole sample (steering). */
  sample: { prime?: string; length: number; temperature: number; seed?: number; intervened?: boolean };
  /** Starts analysing the document with these cells clamped too (replacing any intervention). */
  intervene: { version: number; interventions: InterventionRequest[] };
  /** The surprisal of every character without and with the intervention, once both are current. */
  getIntervention: { version: number };
  /** Next-character guesses after the character at `offset`, without and with the intervention. */
  getInterventionNext: { version: number; offset: number; k?: number };
  clearIntervention: Record<string, never>;
  /** Gradient flow of the prediction made after the character before UTF-16 `offset` (the cursor). */
  saliency: { version: number; offset: number };
  /** Starts analysing the document with a second model too (replacing any comparison). */
  compare: { version: number; path: string; name: string };
  /** Surprisal of every character by the model (before) and the second model (after). */
  getComparison: { version: number };
  getComparisonNext: { version: number; offset: number; k?: number };
  /** For each cell of the model, the most correlated cell of the second model over the first `limit` characters. */
  matchCells: { version: number; cells: { layer: number; cell: number; signal: Signal }[]; limit?: number };
  clearComparison: Record<string, never>;
  dispose: Record<string, never>;
}

export interface ModelInfo {
  layers: { kind: RecurrentKind; hiddenSize: number; inputSize: number }[];
  vocabSize: number;
  vocab: string[];
  metadata: Record<string, string>;
  threads: number;
  /** Whether edits are painted from an int8 draft first, and why (mean |Δh| when measured). */
  draft: { used: boolean; error?: number; reason: string };
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
  /**
   * Per step: VALUE_CURRENT where the values are current (the pass may still
   * be running elsewhere); VALUE_STALE where they are from before an edit
   * that the pass has not re-read up to here yet (right place, maybe not the
   * right value: shown until replaced, so an edit repaints without blanking
   * the screen below it); VALUE_DRAFT where they come from the int8 draft
   * pass over the current text (approximate, replaced by exact ones soon);
   * 0 where there is no value. (n)
   */
  valid: Uint8Array;
}

export const VALUE_CURRENT = 1;
export const VALUE_STALE = 2;
export const VALUE_DRAFT = 3;

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

export interface InterventionResult {
  version: number;
  /** What was done, one line per intervention ("L0 h,c[19] := 0 over 120–400"; steps). */
  described: string[];
  /** UTF-16 start of every step, plus the end. (n + 1) */
  offsets: Uint32Array;
  /** Surprisal (bits) of every character given the ones before it, without and with. (n) each */
  before: Float32Array;
  after: Float32Array;
}

export interface InterventionNextResult {
  version: number;
  offset: number;
  before: NextResult;
  after: NextResult;
}

export interface SaliencyResultMessage {
  version: number;
  /** UTF-16 offset of the character after which the prediction is made. */
  at: number;
  /** UTF-16 starts of the steps covered (from `at` − window to `at`), plus the end. (n + 1) */
  offsets: Uint32Array;
  /** ‖∂ ln p / ∂ x_t‖ of each covered step, oldest first. (n) */
  saliency: Float32Array;
  /** Per layer ‖∂ ln p / ∂ h_t‖ and (LSTM) ‖∂ ln p / ∂ c_t‖, (n) each. */
  layers: { h: Float32Array; c: Float32Array | null }[];
  target: string;
  targetIsGuess: boolean;
  p: number;
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
  intervene: { version: number; described: string[] };
  getIntervention: InterventionResult;
  getInterventionNext: InterventionNextResult;
  clearIntervention: { ok: true };
  saliency: SaliencyResultMessage;
  compare: { version: number; described: string[] };
  getComparison: InterventionResult;
  getComparisonNext: InterventionNextResult;
  matchCells: {
    version: number;
    matches: {
      layer: number;
      cell: number;
      signal: Signal;
      match: { layer: number; cell: number; signal: Signal; r: number } | null;
    }[];
  };
  clearComparison: { ok: true };
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
