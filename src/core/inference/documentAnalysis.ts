// The analysis of one document with one model: a chunked pass that keeps only
// checkpoints and the selected cells' values, incremental re-runs after
// edits, and on-demand windows / next-character guesses (windowQueries.ts).
//
// Positions are steps (code points, see text/textIndex.ts).
// Validity: values at step t are current iff store.valid[t] && t < stateFrontier.
// Checkpoints at steps <= stateFrontier are fresh; later ones may be stale.
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

import type { CharModel } from '../model/types';
import { Vocabulary } from '../model/vocab';
import type { TextIndex } from '../text/textIndex';
import { indexText, spliceIndex } from '../text/textIndex';
import type { Selection } from './cellSelection';
import { EMPTY_SELECTION, seriesKey, validateSelection } from './cellSelection';
import { CheckpointStore } from './checkpointStore';
import type { Checkpoint } from './checkpointStore';
import { deriveSignals } from './deriveGates';
import type { Lane, RecurrentState, RowSelection, SegmentOutput } from './modelRunner';
import { ModelRunner, copyState, selectRows, stateDistance, zeroState } from './modelRunner';
import { LN2, logProbsFromTop, surprisalBits } from './nextChar';
import { ValueStore } from './valueStore';
import { spliceTyped } from '../util/spliceTyped';

export interface AnalysisOptions {
  /** Characters between checkpoints (default 256). */
  checkpointEvery?: number;
  /** Checkpoint intervals per onnxruntime run in long passes (default 8; see bench/inferenceOverhead.ts). */
  partsPerRun?: number;
  /** Max abs state difference that counts as converged (default 1e-6). */
  tolerance?: number;
  maxChars?: number;
  intraOpThreads?: number;
  /** Threads for the runs the visible range waits for (see RunnerOptions.urgentThreads). */
  urgentThreads?: number;
}

/** Thrown by a query or pass that a newer document version made obsolete. */
export class CancelledError extends Error {
  constructor(version: number) {
    super(`cancelled: document version ${version} was replaced`);
    this.name = 'CancelledError';
  }
}

/** Thrown by a query for a position the pass has not reached yet; retry after progress. */
export class NotReadyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotReadyError';
  }
}

/** Longest re-run an on-demand query may do (characters). */
export const MAX_RECOMPUTE = 8192;

/**
 * Longest stretch the urgent lane (2 spinning threads) runs to bring the
 * visible range up to date: an edit's re-run or a scroll near the pass. A
 * farther jump waits for the background pass rather than holding both cores
 * (the editor and language servers share them) for seconds.
 */
export const URGENT_SPAN = 8192;

/** An edit-point checkpoint goes in only if it saves at least this many characters of the next re-run. */
const MIN_SPLIT = 32;

export interface ProgressEvent {
  version: number;
  /** Steps whose values were just written, [from, to). */
  from: number;
  to: number;
  stateFrontier: number;
  total: number;
}

export class DocumentAnalysis {
  readonly vocab: Vocabulary;
  readonly runner: ModelRunner;
  readonly N: number;
  readonly M: number;
  readonly tolerance: number;
  private readonly maxChars?: number;
  text = '';
  index: TextIndex = indexText('');
  ids = new Int32Array(0);
  version = 0;
  checkpoints: CheckpointStore;
  store: ValueStore;
  stateFrontier = 0;
  /** End (new steps) of the text edited since the state frontier. */
  private editEnd = 0;
  private selection: Selection = EMPTY_SELECTION;
  private rows: RowSelection[];
  private readonly emptyRows: RowSelection[];
  /** Steps on screen: made current first, on the urgent lane. */
  visible: [number, number] = [0, 0];
  /** Steps near the screen (a scroll margin, contains `visible`): made current next. */
  near: [number, number] = [0, 0];
  onProgress?: (e: ProgressEvent) => void;
  onError?: (e: Error) => void;
  /** Called when all work for the current version and selection is done. */
  onIdle?: (version: number) => void;
  lastError?: Error;
  private job: Promise<void> = Promise.resolve();
  private jobToken = 0;

  constructor(
    readonly model: CharModel,
    options: AnalysisOptions = {},
  ) {
    this.vocab = new Vocabulary(model.vocab);
    this.runner = new ModelRunner(model, {
      intraOpThreads: options.intraOpThreads,
      urgentThreads: options.urgentThreads,
    });
    this.N = options.checkpointEvery ?? 256;
    if (!Number.isInteger(this.N) || this.N < 1)
      throw new RangeError(`checkpointEvery must be a positive integer, got ${this.N}`);
    this.M = options.partsPerRun ?? 8;
    if (!Number.isInteger(this.M) || this.M < 1)
      throw new RangeError(`partsPerRun must be a positive integer, got ${this.M}`);
    this.tolerance = options.tolerance ?? 1e-6;
    this.maxChars = options.maxChars;
    this.checkpoints = new CheckpointStore(zeroState(model));
    this.store = new ValueStore(0, EMPTY_SELECTION);
    this.emptyRows = model.layers.map((_, l) => selectRows(model, l, []));
    this.rows = this.emptyRows;
  }

  /**
   * New text for the document (whole text; the change is found by common
   * prefix/suffix of code points). Starts the re-run; returns when the
   * bookkeeping is done (use `idle()` to wait for values).
   */
  setText(text: string, version: number): void {
    const index = indexText(text, { maxChars: this.maxChars });
    const old = this.index.codePoints;
    const cps = index.codePoints;
    let p = 0;
    const minLen = Math.min(old.length, cps.length);
    while (p < minLen && old[p] === cps[p]) p++;
    let s = 0;
    while (s < minLen - p && old[old.length - 1 - s] === cps[cps.length - 1 - s]) s++;
    const oldLen = old.length - p - s;
    const newLen = cps.length - p - s;
    this.commit(text, index, p, oldLen, newLen, version);
  }

  /**
   * One change as an editor reports it: UTF-16 [offset, offset + removed)
   * replaced by `inserted`. Cheaper than setText on big documents: only the
   * edited region is re-indexed.
   */
  applyChange(offset: number, removed: number, inserted: string, version: number): void {
    const text = this.text.slice(0, offset) + inserted + this.text.slice(offset + removed);
    const sp = spliceIndex(this.index, text, offset, removed, inserted, { maxChars: this.maxChars });
    this.commit(text, sp.index, sp.p, sp.oldLen, sp.newLen, version);
  }

  /** Steps [p, p + oldLen) of the old text became [p, p + newLen) of `index`. */
  private commit(text: string, index: TextIndex, p: number, oldLen: number, newLen: number, version: number): void {
    const cps = index.codePoints;
    // In place (util/spliceTyped.ts): a run still reading the old ids is
    // cancelled by the version change and its results are dropped.
    const ids = spliceTyped(this.ids, p, oldLen, newLen);
    for (let t = p; t < p + newLen; t++) ids[t] = this.vocab.idOf(cps[t]);
    this.text = text;
    this.index = index;
    this.version = version;
    this.ids = ids;
    if (oldLen !== 0 || newLen !== 0) {
      this.checkpoints.applyEdit(p, oldLen, newLen);
      this.checkpoints.truncate(cps.length);
      this.store.applyEdit(p, oldLen, newLen);
      const shift = (e: number): number => (e <= p ? e : Math.max(e + newLen - oldLen, p + newLen));
      this.editEnd = this.stateFrontier > p ? p + newLen : Math.max(shift(this.editEnd), p + newLen);
      this.stateFrontier = Math.min(this.stateFrontier, p);
      // The ranges on screen move with the text, until the editor says otherwise.
      const move = (v: number): number => (v <= p ? v : Math.max(p, v + newLen - oldLen));
      this.visible = [move(this.visible[0]), move(this.visible[1])];
      this.near = [move(this.near[0]), move(this.near[1])];
    }
    this.restart();
  }

  /** Chooses the series to keep; values are recomputed from the checkpoints. */
  setSelection(selection: Selection): void {
    const perLayer = validateSelection(this.model, selection);
    this.selection = selection;
    this.rows = perLayer.map((cells, l) => selectRows(this.model, l, cells));
    this.store = new ValueStore(this.ids.length, selection);
    this.restart();
  }

  /**
   * Visible steps [from, to): computed first. `near` (default: the same), a
   * wider range around them such as a scroll margin: computed next. A new
   * range that is not current yet re-orders the work at once (a jump to the
   * end of a file does not wait for the pass to get there); the same range
   * again (the editor re-sends it after every edit) changes nothing.
   */
  setVisible(from: number, to: number, near: [number, number] = [from, to]): void {
    const T = this.ids.length;
    const clamp = (v: number): number => Math.max(0, Math.min(T, v));
    const visible: [number, number] = [clamp(from), clamp(to)];
    const wide: [number, number] = [Math.min(clamp(near[0]), visible[0]), Math.max(clamp(near[1]), visible[1])];
    const same =
      visible[0] === this.visible[0] &&
      visible[1] === this.visible[1] &&
      wide[0] === this.near[0] &&
      wide[1] === this.near[1];
    this.visible = visible;
    this.near = wide;
    if (!same && !this.isReady(wide[0], wide[1])) this.restart();
  }

  /** Creates the onnxruntime sessions the pass will use (plain and M-part runs, both lanes). */
  async warmUp(): Promise<void> {
    const logp = this.selection.surprisal;
    for (const lane of ['urgent', 'background'] as const) {
      await this.runner.warmUp([
        { logp, lane },
        ...(this.M > 1 ? [{ logp, parts: this.M, partLength: this.N, lane }] : []),
      ]);
    }
  }

  /** Resolves when the current work has finished (or was cancelled); rejects with a pass error. */
  async idle(): Promise<void> {
    await this.job;
    if (this.lastError) throw this.lastError;
  }

  /** True when values at every step in [from, to) are current. */
  isReady(from: number, to: number): boolean {
    return to <= this.stateFrontier && this.store.firstInvalid(from, to) < 0;
  }

  private restart(): void {
    this.lastError = undefined;
    const token = ++this.jobToken;
    const prev = this.job;
    this.job = prev
      .then(() => this.work(token))
      .catch((e) => {
        // Kept, not thrown: nobody may be awaiting this promise.
        if (!(e instanceof CancelledError)) {
          this.lastError = e instanceof Error ? e : new Error(String(e));
          this.onError?.(this.lastError);
        }
      });
  }

  private checkToken(token: number): void {
    if (token !== this.jobToken) throw new CancelledError(this.version);
  }

  private async work(token: number): Promise<void> {
    this.checkToken(token);
    const T = this.ids.length;
    const [v0, v1] = this.visible;
    // The visible range first, on the urgent lane when the pass is close to it.
    const lane: Lane = v1 - this.stateFrontier <= URGENT_SPAN ? 'urgent' : 'background';
    await this.fill(token, v0, Math.min(v1, this.stateFrontier), lane);
    await this.repair(token, v1, lane);
    await this.fill(token, v0, v1, lane);
    const [n0, n1] = this.near;
    await this.repair(token, n1, 'background');
    await this.fill(token, n0, n1, 'background');
    await this.repair(token, T, 'background');
    await this.fill(token, 0, T, 'background');
    this.checkToken(token);
    this.onIdle?.(this.version);
  }

  /**
   * Sequential re-run from the state frontier until step `until` (or the end,
   * or convergence onto the old trajectory).
   */
  private async repair(token: number, until: number, lane: Lane): Promise<void> {
    const T = this.ids.length;
    while (this.stateFrontier < Math.min(until, T)) {
      const cp = this.checkpoints.freshAtOrBefore(this.stateFrontier);
      const a = cp.step;
      const split = this.editSplit(a, this.stateFrontier);
      if (split > a) {
        // An edit's re-run: first a checkpoint at the start of the edited line,
        // so the next keystroke on it re-runs from there, not from up to N back.
        const out = await this.run(token, a, split, cp.state, lane);
        this.write(a, split, cp.state, out);
        this.checkpoints.put(split, out.final);
        this.emit(a, split);
        continue;
      }
      const next = this.checkpoints.after(a);
      const span = this.M * this.N;
      if (this.M > 1 && a + span <= T && (!next || next.step > a + span)) {
        // Long stretch with nothing to compare against: M checkpoints per run.
        await this.runParts(token, a, cp.state, lane);
        this.stateFrontier = a + span;
        this.emit(a, a + span);
        continue;
      }
      // About N characters, ending on the last checkpoint within 5N/4 (a stale
      // one to compare with): edits leave checkpoints off the grid, and
      // stopping at each of them would make short runs, each a whole
      // onnxruntime call (~0.5 ms). Checkpoints run past are dropped.
      const end = this.runEnd(a, T);
      // Stop where the visible range ends: the rest can wait for the background lane.
      const b = Math.min(end, until);
      this.checkpoints.dropBetween(a, b);
      const atB = this.checkpoints.lastWithin(b - 1, b);
      const out = await this.run(token, a, b, cp.state, lane);
      this.write(a, b, cp.state, out);
      // (b can fall short of the frontier on a line longer than N after an edit.)
      this.stateFrontier = Math.max(this.stateFrontier, b);
      if (b < T || atB) {
        if (atB && atB.stale && b >= this.editEnd && stateDistance(atB.state, out.final) <= this.tolerance) {
          this.checkpoints.freshenAll();
          this.stateFrontier = T;
        } else {
          this.checkpoints.put(b, out.final);
        }
      }
      this.emit(a, b);
    }
    if (this.stateFrontier >= T) this.editEnd = 0;
  }

  /**
   * End of a run from step a: the last checkpoint in (a, a + 5N/4], unless
   * it is a fresh one closer than N/2 (nothing to gain from stopping there);
   * else a + N (at most T). A stale one always ends the run, however close:
   * comparing with it is how a re-run finds it has converged.
   */
  private runEnd(a: number, T: number): number {
    const cp = this.checkpoints.lastWithin(a, Math.min(T, a + this.N + (this.N >> 2)));
    return cp && (cp.stale || cp.step - a >= this.N >> 1) ? cp.step : Math.min(a + this.N, T);
  }

  /**
   * Where to split a re-run from checkpoint `a` when the state frontier f
   * sits inside its interval (only after an edit at f): the start of f's
   * line; f itself when `a` is inside that line (a long line); `a` for no
   * split. Splits are >= MIN_SPLIT apart, which bounds the extra checkpoints.
   */
  private editSplit(a: number, f: number): number {
    if (f - a < MIN_SPLIT) return a;
    const nl = this.vocab.idOf(10);
    let s = f;
    while (s > a && this.ids[s - 1] !== nl) s--;
    if (s === a) s = a > 0 && this.ids[a - 1] === nl ? a : f;
    return s - a >= MIN_SPLIT ? s : a;
  }

  /** Recomputes values in checkpoint intervals overlapping [from, to) that have invalid steps. */
  private async fill(token: number, from: number, to: number, lane: Lane): Promise<void> {
    let t = from;
    while (t < to) {
      const bad = this.store.firstInvalid(t, to);
      if (bad < 0 || bad >= this.stateFrontier) return;
      const cp = this.checkpoints.freshAtOrBefore(bad);
      const span = this.M * this.N;
      if (this.M > 1 && cp.step + span <= this.stateFrontier && to - cp.step >= span) {
        await this.runParts(token, cp.step, cp.state, lane);
        this.emit(cp.step, cp.step + span);
        t = cp.step + span;
        continue;
      }
      // Fresh checkpoints run past stay: they hold the right states.
      const b = Math.min(this.runEnd(cp.step, this.ids.length), this.stateFrontier);
      const out = await this.run(token, cp.step, b, cp.state, lane);
      this.write(cp.step, b, cp.state, out);
      if (!this.checkpoints.lastWithin(b - 1, b)) this.checkpoints.put(b, out.final);
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

  /** Runs M N characters from step a in one call, storing values and a checkpoint every N. */
  private async runParts(token: number, a: number, state: RecurrentState, lane: Lane): Promise<void> {
    await this.yieldBeforeRun(token);
    const b = a + this.M * this.N;
    const nextId = b < this.ids.length ? this.ids[b] : 0;
    const out = await this.runner.runSegment(this.ids.subarray(a, b), state, this.rows, {
      logp: this.selection.surprisal,
      nextId,
      parts: this.M,
      lane,
    });
    this.checkToken(token);
    this.write(a, b, state, out);
    out.states!.forEach((s, m) => this.checkpoints.put(a + (m + 1) * this.N, s));
  }

  private async run(token: number, a: number, b: number, state: RecurrentState, lane: Lane): Promise<SegmentOutput> {
    await this.yieldBeforeRun(token);
    const ids = this.ids.subarray(a, b);
    const nextId = b < this.ids.length ? this.ids[b] : 0;
    const out = await this.runner.runSegment(ids, state, this.rows, { logp: this.selection.surprisal, nextId, lane });
    this.checkToken(token);
    return out;
  }

  /** Stores the selected series and surprisal for steps [a, b) run from `state`. */
  private write(a: number, b: number, state: RecurrentState, out: SegmentOutput): void {
    const T = b - a;
    this.model.layers.forEach((layer, l) => {
      const rows = this.rows[l];
      const k = rows.cells.length;
      if (k === 0) return;
      const c0 = state[l].c ? Float32Array.from(rows.cells, (j) => state[l].c![j]) : null;
      const sig = deriveSignals(layer.kind, layer.kind === 'gru' && layer.linearBeforeReset, T, k, out.layers[l], c0);
      for (const req of this.selection.cells) {
        if (req.layer !== l) continue;
        const m = rows.cells.indexOf(req.cell);
        for (const s of req.signals) {
          const dst = this.store.series.get(seriesKey(l, req.cell, s))!;
          const src = sig[s]!;
          for (let t = 0; t < T; t++) dst[a + t] = src[t * k + m];
        }
      }
    });
    const sur = this.store.surprisal;
    if (sur && out.logp) {
      const top = state[state.length - 1].h;
      sur[a] = surprisalBits(logProbsFromTop(this.model, top), this.ids[a]);
      for (let t = 0; t + 1 < T; t++) sur[a + 1 + t] = -out.logp[t] / LN2;
    }
    this.store.valid.fill(1, a, b);
  }

  private emit(from: number, to: number): void {
    this.onProgress?.({ version: this.version, from, to, stateFrontier: this.stateFrontier, total: this.ids.length });
  }

  /**
   * State before reading step `s` (0 <= s <= T), run from the nearest fresh
   * checkpoint. Throws CancelledError if the text changes meanwhile.
   */
  async stateAt(s: number): Promise<RecurrentState> {
    if (!Number.isInteger(s) || s < 0 || s > this.ids.length)
      throw new RangeError(`step ${s} is outside 0..${this.ids.length}`);
    const version = this.version;
    const cp = this.startFor(s);
    if (cp.step === s) return copyState(cp.state);
    const out = await this.runner.runSegment(this.ids.subarray(cp.step, s), cp.state, this.emptyRows);
    if (version !== this.version) throw new CancelledError(version);
    return out.final;
  }

  /**
   * The checkpoint an on-demand query at step s starts from. Throws
   * NotReadyError when that would mean re-running more than MAX_RECOMPUTE
   * characters (the pass has not reached s yet): queries stay short so they
   * never hold up edits.
   */
  startFor(s: number): Checkpoint {
    const cp = this.checkpoints.freshAtOrBefore(Math.min(s, this.stateFrontier));
    if (s - cp.step > MAX_RECOMPUTE) {
      throw new NotReadyError(
        `still analysing: characters up to ${this.stateFrontier} of ${this.ids.length} are done, ${s} is not reached yet`,
      );
    }
    return cp;
  }

  async dispose(): Promise<void> {
    this.jobToken++;
    await this.job;
    await this.runner.dispose();
  }
}
