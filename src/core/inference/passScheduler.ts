// Decides what to run next for one document (documentState.ts) and runs it:
// the visible range first (on the urgent lane when the pass is close to it),
// then its scroll margin, then the rest of the file in the background. Each
// change of text, selection or screen restarts the work; an older run is
// cancelled between onnxruntime calls (CancelledError).
//
// Incremental soundness: after an edit the re-run starts at the last fresh
// checkpoint before the edit. At each stale checkpoint past the edited text it
// compares the new state with the old one; when they agree to `tolerance`
// (max abs diff, default 1e-6, about float32 rounding of values near 1), the
// old trajectory is reused from there. The recurrence is a fixed function of
// (state, next characters) and both runs see the same characters afterwards,
// so the remaining difference is the checkpoint difference propagated by the
// network: for the contracting dynamics of trained LSTMs it shrinks, and a
// 1e-6 perturbation is below what the 1e-4 display tolerance can see.

import type { DocumentState } from './documentState';
import type { Lane, ModelRunner, RecurrentState, SegmentOutput } from './modelRunner';
import { copyState, stateDistance } from './modelRunner';

/**
 * Longest stretch the urgent lane (2 spinning threads) runs to bring the
 * visible range up to date: an edit's re-run or a scroll near the pass. A
 * farther jump waits for the background pass rather than holding both cores
 * (the editor and language servers share them) for seconds.
 */
export const URGENT_SPAN = 8192;

/** An edit-point checkpoint goes in only if it saves at least this many characters of the next re-run. */
const MIN_SPLIT = 32;

/**
 * While the user types (an edit less than TYPING_QUIET_MS ago), background
 * re-runs read at most TYPING_SLICE characters per onnxruntime call (~1.5 ms
 * on one thread for 1 × 256): a run blocks this thread, so the next keystroke
 * waits for at most one slice, not for a 256-character run or a multi-part
 * run of thousands. The state is carried from slice to slice without a
 * checkpoint at each.
 */
export const TYPING_QUIET_MS = 1000;
export const TYPING_SLICE = 64;

/**
 * Draft first paint: when the urgent lane must re-run at least DRAFT_MIN
 * characters to bring the screen up to date (after an edit, once its line is
 * exact; the whole screen of a file just opened), it first runs them once
 * through the int8 draft graph (passGraph.ts, about 2× the float op's speed
 * at H = 256 here, bench/editLatencyBench.ts) and keeps the values as the
 * document's draft (documentState.ts): the screen is repainted with the
 * edit's effect at once, and the exact values that follow take the draft's
 * place step by step. A draft never moves the state frontier, a checkpoint
 * or an exact value, so what the pass ends with is what it was without
 * drafts.
 */
export const DRAFT_MIN = 128;

/** Thrown by a query or pass that a newer document version made obsolete. */
export class CancelledError extends Error {
  constructor(version: number) {
    super(`cancelled: document version ${version} was replaced`);
    this.name = 'CancelledError';
  }
}

export interface ProgressEvent {
  version: number;
  /** Steps whose values were just written, [from, to). */
  from: number;
  to: number;
  stateFrontier: number;
  total: number;
  /** The values written are the document's draft, not exact. */
  draft?: boolean;
}

export interface SchedulerOptions {
  /** Characters between checkpoints. */
  checkpointEvery: number;
  /** Checkpoint intervals per onnxruntime run in long passes. */
  partsPerRun: number;
  /** Max abs state difference that counts as converged. */
  tolerance: number;
  /** Longest background run while the user types (default TYPING_SLICE; 0: never sliced). */
  typingSlice?: number;
  /** Shortest urgent re-run that is drafted first (default DRAFT_MIN; 0: never draft). */
  draftMin?: number;
}

export class PassScheduler {
  onProgress?: (e: ProgressEvent) => void;
  onError?: (e: Error) => void;
  /** Called when all work for the current version and selection is done. */
  onIdle?: (version: number) => void;
  private failure?: Error;
  private job: Promise<void> = Promise.resolve();
  private jobToken = 0;
  private lastEdit = -Infinity;
  /**
   * State at the end of the last slice of a background run, where no
   * checkpoint was put, and where that run ends (a checkpoint position).
   */
  private carry?: { step: number; version: number; state: RecurrentState; end: number };

  constructor(
    private readonly doc: DocumentState,
    private readonly runner: ModelRunner,
    private readonly options: SchedulerOptions,
  ) {}

  /** The error of the last pass, if it failed (cleared by the next restart). */
  get lastError(): Error | undefined {
    return this.failure;
  }

  /** An edit happened now: background runs are sliced for a while (TYPING_SLICE). */
  noteEdit(): void {
    this.lastEdit = performance.now();
  }

  /** Drops the current work (at its next check) and starts over from what the document state says. */
  restart(): void {
    this.failure = undefined;
    const token = ++this.jobToken;
    this.job = this.job
      .then(() => this.work(token))
      .catch((e) => {
        // Kept, not thrown: nobody may be awaiting this promise.
        if (!(e instanceof CancelledError)) {
          this.failure = e instanceof Error ? e : new Error(String(e));
          this.onError?.(this.failure);
        }
      });
  }

  /** Resolves when the current work has finished (or was cancelled); rejects with a pass error. */
  async idle(): Promise<void> {
    await this.job;
    if (this.failure) throw this.failure;
  }

  /** Creates the onnxruntime sessions the pass will use (plain and multi-part runs, both lanes, the draft). */
  async warmUp(): Promise<void> {
    const logp = this.doc.selection.surprisal;
    const { partsPerRun, checkpointEvery } = this.options;
    if ((this.options.draftMin ?? DRAFT_MIN) > 0) await this.runner.warmUpDraft(logp);
    for (const lane of ['urgent', 'background'] as const) {
      await this.runner.warmUp([
        { logp, lane },
        ...(partsPerRun > 1 ? [{ logp, parts: partsPerRun, partLength: checkpointEvery, lane }] : []),
      ]);
    }
  }

  /**
   * State before reading step `s` (0 <= s <= T), run from the nearest fresh
   * checkpoint. Throws CancelledError if the text changes meanwhile.
   */
  async stateAt(s: number): Promise<RecurrentState> {
    const doc = this.doc;
    if (!Number.isInteger(s) || s < 0 || s > doc.length) throw new RangeError(`step ${s} is outside 0..${doc.length}`);
    const version = doc.version;
    const cp = doc.startFor(s);
    if (cp.step === s) return copyState(cp.state);
    const out = await this.runner.runSegment(doc.ids.subarray(cp.step, s), cp.state, doc.emptyRows, {
      from: cp.step,
    });
    if (version !== doc.version) throw new CancelledError(version);
    return out.final;
  }

  /** Cancels the work and waits for it to stop. */
  async stop(): Promise<void> {
    this.jobToken++;
    await this.job;
  }

  private checkToken(token: number): void {
    if (token !== this.jobToken) throw new CancelledError(this.doc.version);
  }

  private async work(token: number): Promise<void> {
    this.checkToken(token);
    const doc = this.doc;
    const T = doc.length;
    const [v0, v1] = doc.visible;
    // The visible range first, on the urgent lane when the pass is close to it.
    const lane: Lane = v1 - doc.stateFrontier <= URGENT_SPAN ? 'urgent' : 'background';
    await this.fill(token, v0, Math.min(v1, doc.stateFrontier), lane);
    await this.repair(token, v1, lane);
    await this.fill(token, v0, v1, lane);
    const [n0, n1] = doc.near;
    await this.repair(token, n1, 'background');
    await this.fill(token, n0, n1, 'background');
    await this.repair(token, T, 'background');
    await this.fill(token, 0, T, 'background');
    this.checkToken(token);
    this.onIdle?.(doc.version);
  }

  /**
   * Sequential re-run from the state frontier until step `until` (or the end,
   * or convergence onto the old trajectory).
   */
  private async repair(token: number, until: number, lane: Lane): Promise<void> {
    const doc = this.doc;
    const { checkpointEvery, partsPerRun, tolerance } = this.options;
    const T = doc.length;
    while (doc.stateFrontier < Math.min(until, T)) {
      if (lane === 'urgent' && this.wantsDraft(Math.min(until, T)) && (await this.runner.draftFaithful()))
        await this.draft(token, Math.min(until, T));
      const slice = this.options.typingSlice ?? TYPING_SLICE;
      const sliced = slice > 0 && lane === 'background' && performance.now() - this.lastEdit < TYPING_QUIET_MS;
      const carry =
        this.carry && this.carry.version === doc.version && this.carry.step === doc.stateFrontier
          ? this.carry
          : undefined;
      this.carry = undefined;
      const cp = carry ?? doc.checkpoints.freshAtOrBefore(doc.stateFrontier);
      const a = cp.step;
      const split = this.editSplit(a, doc.stateFrontier);
      if (split > a) {
        // An edit's re-run: first a checkpoint at the start of the edited line,
        // so the next keystroke on it re-runs from there, not from up to
        // checkpointEvery back.
        const out = await this.run(token, a, split, cp.state, lane);
        doc.record(a, split, cp.state, out);
        doc.checkpoints.put(split, out.final);
        this.emit(a, split);
        continue;
      }
      const next = doc.checkpoints.after(a);
      const span = partsPerRun * checkpointEvery;
      if (!sliced && partsPerRun > 1 && a + span <= T && (!next || next.step > a + span)) {
        // Long stretch with nothing to compare against: partsPerRun checkpoints per run.
        await this.runParts(token, a, cp.state, lane);
        doc.advanceFrontier(a + span);
        this.emit(a, a + span);
        continue;
      }
      // About checkpointEvery characters, ending on the last checkpoint within
      // 5/4 of that (a stale one to compare with): edits leave checkpoints off
      // the grid, and stopping at each of them would make short runs, each a
      // whole onnxruntime call (~0.5 ms). Checkpoints run past are dropped.
      const end = this.runEnd(a, T);
      // Stop where the visible range ends: the rest can wait for the background lane.
      // On the urgent lane, an edit's line comes first: it is painted before the rest of the screen.
      // A sliced run goes on to the end it had.
      const whole =
        carry?.end ?? (lane === 'urgent' ? this.editedLineEnd(a, Math.min(end, until)) : Math.min(end, until));
      const b = sliced ? Math.min(whole, a + slice) : whole;
      doc.checkpoints.dropBetween(a, b);
      const atB = doc.checkpoints.lastWithin(b - 1, b);
      const out = await this.run(token, a, b, cp.state, lane);
      doc.record(a, b, cp.state, out);
      // (b can fall short of the frontier on a line longer than checkpointEvery after an edit.)
      doc.advanceFrontier(b);
      if (b < whole && !atB) {
        this.carry = { step: b, version: doc.version, state: out.final, end: whole };
      } else if (b < T || atB) {
        if (atB && atB.stale && b >= doc.editEnd && stateDistance(atB.state, out.final) <= tolerance) {
          doc.convergedToEnd();
        } else {
          doc.checkpoints.put(b, out.final);
        }
      }
      this.emit(a, b);
    }
    doc.settleEdits();
  }

  /**
   * Whether to draft [stateFrontier, until) now (if the draft is faithful to
   * the model, ModelRunner.draftFaithful): the runner can, something
   * is selected, the edited text is read exactly (its line was painted
   * first), the stretch is at least draftMin long, and no draft of this
   * text and selection covers it yet.
   */
  private wantsDraft(until: number): boolean {
    const doc = this.doc;
    const min = this.options.draftMin ?? DRAFT_MIN;
    const d = doc.draft;
    return (
      min > 0 &&
      this.runner.canDraft &&
      (doc.selection.surprisal || doc.rows.some((r) => r.cells.length > 0)) &&
      doc.stateFrontier >= this.editedLineDone(until) &&
      until - doc.stateFrontier >= min &&
      !(d && d.from <= doc.stateFrontier && d.to >= until)
    );
  }

  /**
   * Where the state must be before a draft: past the newline that ends the
   * edited text's line (at most `until`). 0 when no edit is pending, and when
   * the edited text runs to `until` or past it (a newly opened file, a
   * document switched to): then no line of it is the one being typed on, and
   * the draft paints the whole stretch first.
   */
  private editedLineDone(until: number): number {
    const doc = this.doc;
    if (doc.editEnd === 0 || doc.editEnd >= until) return 0;
    const nl = doc.vocab.idOf(10);
    for (let t = Math.max(0, doc.editEnd - 1); t < until; t++) if (doc.ids[t] === nl) return t + 1;
    return until;
  }

  /** One draft run over [stateFrontier, until), from the carried state or the last fresh checkpoint. */
  private async draft(token: number, until: number): Promise<void> {
    const doc = this.doc;
    const f = doc.stateFrontier;
    const carry = this.carry && this.carry.version === doc.version && this.carry.step === f ? this.carry : undefined;
    const cp = carry ?? doc.checkpoints.freshAtOrBefore(f);
    await this.yieldBeforeRun(token);
    const out = await this.runner.runSegment(doc.ids.subarray(cp.step, until), cp.state, doc.rows, {
      logp: doc.selection.surprisal,
      nextId: until < doc.length ? doc.ids[until] : 0,
      lane: 'urgent',
      from: cp.step,
      draft: true,
    });
    this.checkToken(token);
    doc.recordDraft(cp.step, f, until, cp.state, out);
    this.emit(f, until, true);
  }

  /**
   * End of a run from step a: the last checkpoint in (a, a + 5/4 checkpointEvery],
   * unless it is a fresh one closer than half of checkpointEvery (nothing to
   * gain from stopping there); else a + checkpointEvery (at most T). A stale
   * one always ends the run, however close: comparing with it is how a re-run
   * finds it has converged.
   */
  private runEnd(a: number, T: number): number {
    const every = this.options.checkpointEvery;
    const cp = this.doc.checkpoints.lastWithin(a, Math.min(T, a + every + (every >> 2)));
    return cp && (cp.stale || cp.step - a >= every >> 1) ? cp.step : Math.min(a + every, T);
  }

  /**
   * Where to split a re-run from checkpoint `a` when the state frontier f
   * sits inside its interval (only after an edit at f): the start of f's
   * line; f itself when `a` is inside that line (a long line); `a` for no
   * split. Splits are >= MIN_SPLIT apart, which bounds the extra checkpoints.
   */
  private editSplit(a: number, f: number): number {
    if (f - a < MIN_SPLIT) return a;
    const ids = this.doc.ids;
    const nl = this.doc.vocab.idOf(10);
    let s = f;
    while (s > a && ids[s - 1] !== nl) s--;
    if (s === a) s = a > 0 && ids[a - 1] === nl ? a : f;
    return s - a >= MIN_SPLIT ? s : a;
  }

  /**
   * End of a run [a, b) that re-reads an edit: just past the newline that
   * ends the edited line, when the edited text ends after a and that newline
   * comes before b (at least MIN_SPLIT after a); else b.
   */
  private editedLineEnd(a: number, b: number): number {
    const doc = this.doc;
    if (doc.editEnd <= a) return b;
    const nl = doc.vocab.idOf(10);
    const ids = doc.ids;
    for (let t = Math.max(a, doc.stateFrontier, doc.editEnd - 1); t < b - 1; t++) {
      if (ids[t] === nl) return t + 1 - a >= MIN_SPLIT ? t + 1 : b;
    }
    return b;
  }

  /** Recomputes values in checkpoint intervals overlapping [from, to) that have invalid steps. */
  private async fill(token: number, from: number, to: number, lane: Lane): Promise<void> {
    const doc = this.doc;
    const span = this.options.partsPerRun * this.options.checkpointEvery;
    let t = from;
    while (t < to) {
      const bad = doc.store.firstInvalid(t, to);
      if (bad < 0 || bad >= doc.stateFrontier) return;
      const cp = doc.checkpoints.freshAtOrBefore(bad);
      if (this.options.partsPerRun > 1 && cp.step + span <= doc.stateFrontier && to - cp.step >= span) {
        await this.runParts(token, cp.step, cp.state, lane);
        this.emit(cp.step, cp.step + span);
        t = cp.step + span;
        continue;
      }
      // Fresh checkpoints run past stay: they hold the right states.
      const b = Math.min(this.runEnd(cp.step, doc.length), doc.stateFrontier);
      const out = await this.run(token, cp.step, b, cp.state, lane);
      doc.record(cp.step, b, cp.state, out);
      if (!doc.checkpoints.lastWithin(b - 1, b)) doc.checkpoints.put(b, out.final);
      this.emit(cp.step, b);
      t = b;
    }
  }

  /**
   * Lets messages that arrived during the previous run (an edit, a scroll)
   * be handled before the next run starts, then checks this work is still
   * wanted. onnxruntime-node runs synchronously on this thread, so without
   * this turn a keystroke that arrived mid-run waited for one more whole run,
   * of text it was about to invalidate.
   */
  private async yieldBeforeRun(token: number): Promise<void> {
    await new Promise<void>((res) => setImmediate(res));
    this.checkToken(token);
  }

  /** Runs partsPerRun × checkpointEvery characters from step a in one call, storing values and a checkpoint every checkpointEvery. */
  private async runParts(token: number, a: number, state: RecurrentState, lane: Lane): Promise<void> {
    await this.yieldBeforeRun(token);
    const doc = this.doc;
    const { checkpointEvery, partsPerRun } = this.options;
    const b = a + partsPerRun * checkpointEvery;
    const nextId = b < doc.length ? doc.ids[b] : 0;
    const out = await this.runner.runSegment(doc.ids.subarray(a, b), state, doc.rows, {
      logp: doc.selection.surprisal,
      nextId,
      parts: partsPerRun,
      lane,
      from: a,
    });
    this.checkToken(token);
    doc.record(a, b, state, out);
    out.states!.forEach((s, m) => doc.checkpoints.put(a + (m + 1) * checkpointEvery, s));
  }

  private async run(token: number, a: number, b: number, state: RecurrentState, lane: Lane): Promise<SegmentOutput> {
    await this.yieldBeforeRun(token);
    const doc = this.doc;
    const nextId = b < doc.length ? doc.ids[b] : 0;
    const out = await this.runner.runSegment(doc.ids.subarray(a, b), state, doc.rows, {
      logp: doc.selection.surprisal,
      nextId,
      lane,
      from: a,
    });
    this.checkToken(token);
    return out;
  }

  private emit(from: number, to: number, draft = false): void {
    const doc = this.doc;
    this.onProgress?.({
      version: doc.version,
      from,
      to,
      stateFrontier: doc.stateFrontier,
      total: doc.length,
      ...(draft ? { draft } : {}),
    });
  }
}
