// The analysis of one document with one model: a chunked pass that keeps only
// checkpoints and the selected cells' values, incremental re-runs after
// edits, and on-demand windows / next-character guesses (windowQueries.ts).
// Two parts: what is known (documentState.ts: text, checkpoints, values, the
// ranges on screen) and what to run next (passScheduler.ts). This class ties
// them to one ModelRunner and is what the worker, the CLI and tests use.
//
// Positions are steps (code points, see text/textIndex.ts).

import type { CharModel } from '../model/types';
import type { Vocabulary } from '../model/vocab';
import type { TextIndex } from '../text/textIndex';
import { changedSpan, indexText, spliceIndex } from '../text/textIndex';
import type { Selection } from './cellSelection';
import type { Checkpoint, CheckpointStore } from './checkpointStore';
import { DocumentState } from './documentState';
import type { DraftValues, StepRange } from './documentState';
import { ModelRunner } from './modelRunner';
import type { DraftCheck, RecurrentState } from './modelRunner';
import { PassScheduler } from './passScheduler';
import type { ProgressEvent } from './passScheduler';
import type { ValueStore } from './valueStore';
import type { InterventionPlan } from './intervention';

export interface AnalysisOptions {
  /** Characters between checkpoints (default 256). */
  checkpointEvery?: number;
  /** Checkpoint intervals per onnxruntime run in long passes (default 8; see bench/inferenceOverhead.ts). */
  partsPerRun?: number;
  /** Max abs state difference that counts as converged (default 1e-6). */
  tolerance?: number;
  /** Longest background run while the user types (see passScheduler.ts TYPING_SLICE; 0: off). */
  typingSlice?: number;
  maxChars?: number;
  intraOpThreads?: number;
  /** Threads for the runs the visible range waits for (see RunnerOptions.urgentThreads). */
  urgentThreads?: number;
  /** Analyse the model with these cells clamped (see intervention.ts). */
  intervention?: InterventionPlan;
  /** Shortest urgent re-run painted first from the int8 draft (passScheduler.ts DRAFT_MIN; 0: never). */
  draftMin?: number;
}

export class DocumentAnalysis {
  readonly runner: ModelRunner;
  /** Characters between checkpoints. */
  readonly checkpointEvery: number;
  /** Checkpoint intervals per onnxruntime run in long passes. */
  readonly partsPerRun: number;
  private readonly maxChars?: number;
  private readonly draftMin?: number;
  private readonly doc: DocumentState;
  private readonly scheduler: PassScheduler;

  constructor(
    readonly model: CharModel,
    options: AnalysisOptions = {},
  ) {
    this.runner = new ModelRunner(model, {
      intraOpThreads: options.intraOpThreads,
      urgentThreads: options.urgentThreads,
      intervention: options.intervention,
    });
    this.checkpointEvery = options.checkpointEvery ?? 256;
    if (!Number.isInteger(this.checkpointEvery) || this.checkpointEvery < 1)
      throw new RangeError(`checkpointEvery must be a positive integer, got ${this.checkpointEvery}`);
    this.partsPerRun = options.partsPerRun ?? 8;
    if (!Number.isInteger(this.partsPerRun) || this.partsPerRun < 1)
      throw new RangeError(`partsPerRun must be a positive integer, got ${this.partsPerRun}`);
    this.maxChars = options.maxChars;
    this.draftMin = options.draftMin;
    this.doc = new DocumentState(model);
    this.scheduler = new PassScheduler(this.doc, this.runner, {
      checkpointEvery: this.checkpointEvery,
      partsPerRun: this.partsPerRun,
      tolerance: options.tolerance ?? 1e-6,
      typingSlice: options.typingSlice,
      draftMin: options.draftMin,
    });
  }

  get vocab(): Vocabulary {
    return this.doc.vocab;
  }
  get text(): string {
    return this.doc.text;
  }
  get index(): TextIndex {
    return this.doc.index;
  }
  /** (T) vocabulary id of every step. */
  get ids(): Int32Array {
    return this.doc.ids;
  }
  get version(): number {
    return this.doc.version;
  }
  get stateFrontier(): number {
    return this.doc.stateFrontier;
  }
  get checkpoints(): CheckpointStore {
    return this.doc.checkpoints;
  }
  get store(): ValueStore {
    return this.doc.store;
  }
  /** Approximate values past the state frontier, from the int8 draft (passScheduler.ts). */
  get draft(): DraftValues | undefined {
    return this.doc.draft;
  }
  get visible(): StepRange {
    return this.doc.visible;
  }
  get near(): StepRange {
    return this.doc.near;
  }
  get lastError(): Error | undefined {
    return this.scheduler.lastError;
  }

  set onProgress(f: ((e: ProgressEvent) => void) | undefined) {
    this.scheduler.onProgress = f;
  }
  get onProgress(): ((e: ProgressEvent) => void) | undefined {
    return this.scheduler.onProgress;
  }
  set onError(f: ((e: Error) => void) | undefined) {
    this.scheduler.onError = f;
  }
  get onError(): ((e: Error) => void) | undefined {
    return this.scheduler.onError;
  }
  /** Called when all work for the current version and selection is done. */
  set onIdle(f: ((version: number) => void) | undefined) {
    this.scheduler.onIdle = f;
  }
  get onIdle(): ((version: number) => void) | undefined {
    return this.scheduler.onIdle;
  }

  /**
   * New text for the document (whole text; the change is found by common
   * prefix/suffix of code points). Starts the re-run; returns when the
   * bookkeeping is done (use `idle()` to wait for values).
   */
  setText(text: string, version: number): void {
    const index = indexText(text, { maxChars: this.maxChars });
    const { p, oldLen, newLen } = changedSpan(this.doc.index.codePoints, index.codePoints);
    this.doc.replaceText(text, index, p, oldLen, newLen, version);
    this.scheduler.restart();
  }

  /**
   * One change as an editor reports it: UTF-16 [offset, offset + removed)
   * replaced by `inserted`. Cheaper than setText on big documents: only the
   * edited region is re-indexed.
   */
  applyChange(offset: number, removed: number, inserted: string, version: number): void {
    const old = this.doc.text;
    const text = old.slice(0, offset) + inserted + old.slice(offset + removed);
    const sp = spliceIndex(this.doc.index, text, offset, removed, inserted, { maxChars: this.maxChars });
    this.doc.replaceText(text, sp.index, sp.p, sp.oldLen, sp.newLen, version);
    this.scheduler.noteEdit();
    this.scheduler.restart();
  }

  /** Chooses the series to keep; values are recomputed from the checkpoints. */
  setSelection(selection: Selection): void {
    this.doc.select(selection);
    this.scheduler.restart();
  }

  /**
   * Visible steps [from, to): computed first. `near` (default: the same), a
   * wider range around them such as a scroll margin: computed next. A new
   * range that is not current yet re-orders the work at once (a jump to the
   * end of a file does not wait for the pass to get there); the same range
   * again (the editor re-sends it after every edit) changes nothing.
   */
  setVisible(from: number, to: number, near: StepRange = [from, to]): void {
    const changed = this.doc.show(from, to, near);
    const [n0, n1] = this.doc.near;
    if (changed && !this.doc.isReady(n0, n1)) this.scheduler.restart();
  }

  /** Creates the onnxruntime sessions the pass will use (plain and multi-part runs, both lanes). */
  warmUp(): Promise<void> {
    return this.scheduler.warmUp();
  }

  /** Resolves when the current work has finished (or was cancelled); rejects with a pass error. */
  idle(): Promise<void> {
    return this.scheduler.idle();
  }

  /** True when values at every step in [from, to) are current. */
  isReady(from: number, to: number): boolean {
    return this.doc.isReady(from, to);
  }

  /** True when every step in [from, to) has current values or a draft of them (passScheduler.ts). */
  isDrafted(from: number, to: number): boolean {
    return this.doc.isDrafted(from, to);
  }

  /** Whether edits are painted from a draft first, and why (passScheduler.ts, ModelRunner.draftCheck). */
  async draftInfo(): Promise<DraftCheck> {
    if (this.draftMin === 0) return { faithful: false, reason: 'turned off' };
    return this.runner.draftCheck();
  }

  /** State before reading step `s` (0 <= s <= T); see PassScheduler.stateAt. */
  stateAt(s: number): Promise<RecurrentState> {
    return this.scheduler.stateAt(s);
  }

  /** The checkpoint an on-demand query at step s starts from; see DocumentState.startFor. */
  startFor(s: number): Checkpoint {
    return this.doc.startFor(s);
  }

  async dispose(): Promise<void> {
    await this.scheduler.stop();
    await this.runner.dispose();
  }
}
