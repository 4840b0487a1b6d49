// What is known about one document under one model: its text and character
// ids, the checkpoints (model state every `checkpointEvery` characters), the
// selected cells' values, how far the state is current, and the ranges on
// screen. Outside the engine it is read through getters and a few queries;
// the pass scheduler (passScheduler.ts) and DocumentAnalysis change it
// through the update methods below.
//
// Positions are steps (code points, see text/textIndex.ts).
// Validity: values at step t are current iff store.valid[t] && t < stateFrontier.
// A draft (passScheduler.ts) holds approximate values for a stretch past the
// state frontier, kept apart from the store so that it never replaces an
// exact value; any edit or new selection drops it.
// Checkpoints at steps <= stateFrontier are fresh; later ones may be stale.

import type { CharModel } from '../model/types';
import { Vocabulary } from '../model/vocab';
import type { TextIndex } from '../text/textIndex';
import { indexText } from '../text/textIndex';
import { spliceTyped } from '../util/spliceTyped';
import type { Selection } from './cellSelection';
import { EMPTY_SELECTION, seriesKey, validateSelection } from './cellSelection';
import { CheckpointStore } from './checkpointStore';
import type { Checkpoint } from './checkpointStore';
import { deriveSignals } from './deriveGates';
import type { RecurrentState, RowSelection, SegmentOutput } from './modelRunner';
import { selectRows, zeroState } from './modelRunner';
import { LN2, logProbsFromTop, surprisalBits } from './nextChar';
import { ValueStore } from './valueStore';

/** Longest re-run an on-demand query may do (characters). */
export const MAX_RECOMPUTE = 8192;

/** Thrown by a query for a position the pass has not reached yet; retry after progress. */
export class NotReadyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotReadyError';
  }
}

/**
 * Where position v goes when [at, at + removed) is replaced by `inserted`
 * units: unchanged before the edit, shifted after it, and a position inside
 * the removed text lands at the edit. Steps here; the analysis worker moves
 * its UTF-16 screen ranges by the same rule.
 */
export function movedByEdit(v: number, at: number, removed: number, inserted: number): number {
  return v <= at ? v : Math.max(at, v + inserted - removed);
}

/** Approximate values of the selected series over steps [from, to) of one text version. */
export interface DraftValues {
  from: number;
  to: number;
  series: Map<string, Float32Array>; // (to - from) each, keys as the store's
  surprisal: Float32Array | null; // (to - from)
}

/** A range of steps [from, to). */
export type StepRange = readonly [number, number];

export class DocumentState {
  readonly vocab: Vocabulary;
  private textNow = '';
  private indexNow: TextIndex = indexText('');
  private idsNow = new Int32Array(0); // (T) vocabulary id of every step
  private versionNow = 0;
  private readonly checkpointStore: CheckpointStore;
  private values: ValueStore;
  private frontier = 0;
  /** End (new steps) of the text edited since the state frontier. */
  private editEndNow = 0;
  private selectionNow: Selection = EMPTY_SELECTION;
  private rowsNow: RowSelection[];
  /** No cell of any layer: for runs that only need the state. */
  readonly emptyRows: RowSelection[];
  private draftNow: DraftValues | undefined;
  private visibleNow: StepRange = [0, 0];
  private nearNow: StepRange = [0, 0];

  constructor(readonly model: CharModel) {
    this.vocab = new Vocabulary(model.vocab);
    this.checkpointStore = new CheckpointStore(zeroState(model));
    this.values = new ValueStore(0, EMPTY_SELECTION);
    this.emptyRows = model.layers.map((_, l) => selectRows(model, l, []));
    this.rowsNow = this.emptyRows;
  }

  get text(): string {
    return this.textNow;
  }
  get index(): TextIndex {
    return this.indexNow;
  }
  /** (T) vocabulary id of every step; replaced in place by edits. */
  get ids(): Int32Array {
    return this.idsNow;
  }
  get length(): number {
    return this.idsNow.length;
  }
  get version(): number {
    return this.versionNow;
  }
  /** Steps before this have current state (and checkpoints); values may still be missing there. */
  get stateFrontier(): number {
    return this.frontier;
  }
  /** End of the text edited since the state frontier (0 when none). */
  get editEnd(): number {
    return this.editEndNow;
  }
  get checkpoints(): CheckpointStore {
    return this.checkpointStore;
  }
  /** The selected series and surprisal, per step. */
  get store(): ValueStore {
    return this.values;
  }
  get selection(): Selection {
    return this.selectionNow;
  }
  /** Per layer: the rows of the selected cells (modelRunner.ts). */
  get rows(): RowSelection[] {
    return this.rowsNow;
  }
  /** The draft of the current text and selection, if any. */
  get draft(): DraftValues | undefined {
    return this.draftNow;
  }
  /** Steps on screen: made current first, on the urgent lane. */
  get visible(): StepRange {
    return this.visibleNow;
  }
  /** Steps near the screen (a scroll margin, contains `visible`): made current next. */
  get near(): StepRange {
    return this.nearNow;
  }

  /** True when values at every step in [from, to) are current. */
  isReady(from: number, to: number): boolean {
    return to <= this.frontier && this.values.firstInvalid(from, to) < 0;
  }

  /** True when every step in [from, to) has current values or a draft of them. */
  isDrafted(from: number, to: number): boolean {
    const d = this.draftNow;
    const valid = this.values.valid;
    for (let t = from; t < to; t++) {
      if (t < this.frontier ? valid[t] : d && t >= d.from && t < d.to) continue;
      return false;
    }
    return true;
  }

  /**
   * The checkpoint an on-demand query at step s starts from. Throws
   * NotReadyError when that would mean re-running more than MAX_RECOMPUTE
   * characters (the pass has not reached s yet): queries stay short so they
   * never hold up edits.
   */
  startFor(s: number): Checkpoint {
    const cp = this.checkpointStore.freshAtOrBefore(Math.min(s, this.frontier));
    if (s - cp.step > MAX_RECOMPUTE) {
      throw new NotReadyError(
        `still analysing: characters up to ${this.frontier} of ${this.length} are done, ${s} is not reached yet`,
      );
    }
    return cp;
  }

  /** New text: steps [p, p + oldLen) of the old text became [p, p + newLen) of `index`. */
  replaceText(text: string, index: TextIndex, p: number, oldLen: number, newLen: number, version: number): void {
    const cps = index.codePoints;
    // In place (util/spliceTyped.ts): a run still reading the old ids is
    // cancelled by the version change and its results are dropped.
    const ids = spliceTyped(this.idsNow, p, oldLen, newLen);
    for (let t = p; t < p + newLen; t++) ids[t] = this.vocab.idOf(cps[t]);
    this.textNow = text;
    this.indexNow = index;
    this.versionNow = version;
    this.idsNow = ids;
    if (oldLen === 0 && newLen === 0) return;
    this.draftNow = undefined;
    this.checkpointStore.applyEdit(p, oldLen, newLen);
    this.checkpointStore.truncate(cps.length);
    this.values.applyEdit(p, oldLen, newLen);
    const shift = (e: number): number => (e <= p ? e : Math.max(e + newLen - oldLen, p + newLen));
    this.editEndNow = this.frontier > p ? p + newLen : Math.max(shift(this.editEndNow), p + newLen);
    this.frontier = Math.min(this.frontier, p);
    // The ranges on screen move with the text, until the editor says otherwise.
    const move = (v: number): number => movedByEdit(v, p, oldLen, newLen);
    this.visibleNow = [move(this.visibleNow[0]), move(this.visibleNow[1])];
    this.nearNow = [move(this.nearNow[0]), move(this.nearNow[1])];
  }

  /** Chooses the series to keep; their values start empty (the pass recomputes them from the checkpoints). */
  select(selection: Selection): void {
    const perLayer = validateSelection(this.model, selection);
    this.selectionNow = selection;
    this.rowsNow = perLayer.map((cells, l) => selectRows(this.model, l, cells));
    this.values = new ValueStore(this.length, selection);
    this.draftNow = undefined;
  }

  /**
   * Sets the visible range and its margin, clamped to the text (the margin
   * contains the visible range). Returns whether either changed.
   */
  show(from: number, to: number, near: StepRange): boolean {
    const clamp = (v: number): number => Math.max(0, Math.min(this.length, v));
    const visible: StepRange = [clamp(from), clamp(to)];
    const wide: StepRange = [Math.min(clamp(near[0]), visible[0]), Math.max(clamp(near[1]), visible[1])];
    const same =
      visible[0] === this.visibleNow[0] &&
      visible[1] === this.visibleNow[1] &&
      wide[0] === this.nearNow[0] &&
      wide[1] === this.nearNow[1];
    this.visibleNow = visible;
    this.nearNow = wide;
    return !same;
  }

  /** The state is current up to step `s` (never moves it back). */
  advanceFrontier(s: number): void {
    this.frontier = Math.max(this.frontier, s);
  }

  /** After a re-run: once the state is current to the end, no edit is pending. */
  settleEdits(): void {
    if (this.frontier >= this.length) this.editEndNow = 0;
  }

  /** Every stale checkpoint is right again: a re-run met the old trajectory. */
  convergedToEnd(): void {
    this.checkpointStore.freshenAll();
    this.advanceFrontier(this.length);
  }

  /** Stores the selected series and surprisal for steps [a, b), run from `state` (before step a). */
  record(a: number, b: number, state: RecurrentState, out: SegmentOutput): void {
    this.write(a, b, state, out, a, this.values.series, this.values.surprisal, 0);
    this.values.valid.fill(1, a, b);
  }

  /** Keeps steps [from, b) of a draft run over [a, b) (from `state`, before step a) as the draft. */
  recordDraft(a: number, from: number, b: number, state: RecurrentState, out: SegmentOutput): void {
    const n = b - from;
    const series = new Map<string, Float32Array>();
    for (const key of this.values.series.keys()) series.set(key, new Float32Array(n));
    const draft: DraftValues = { from, to: b, series, surprisal: this.values.surprisal ? new Float32Array(n) : null };
    this.write(a, b, state, out, from, series, draft.surprisal, from);
    this.draftNow = draft;
  }

  /**
   * Writes steps [from, b) of a run over [a, b) from `state` into series
   * (and surprisal) indexed by step - base.
   */
  private write(
    a: number,
    b: number,
    state: RecurrentState,
    out: SegmentOutput,
    from: number,
    series: Map<string, Float32Array>,
    surprisal: Float32Array | null,
    base: number,
  ): void {
    const T = b - a;
    const t0 = from - a; // first row of the run written
    this.model.layers.forEach((layer, l) => {
      const rows = this.rowsNow[l];
      const k = rows.cells.length;
      if (k === 0) return;
      const c0 = state[l].c ? Float32Array.from(rows.cells, (j) => state[l].c![j]) : null;
      const sig = deriveSignals(layer.kind, layer.kind === 'gru' && layer.linearBeforeReset, T, k, out.layers[l], c0);
      for (const req of this.selectionNow.cells) {
        if (req.layer !== l) continue;
        const m = rows.cells.indexOf(req.cell);
        for (const s of req.signals) {
          const dst = series.get(seriesKey(l, req.cell, s))!;
          const src = sig[s]!; // (T, k)
          for (let t = t0; t < T; t++) dst[a + t - base] = src[t * k + m];
        }
      }
    });
    if (surprisal && out.logp) {
      // Step a from the state before the run; step a + 1 + t from row t of logp.
      if (t0 === 0)
        surprisal[a - base] = surprisalBits(logProbsFromTop(this.model, state[state.length - 1].h), this.idsNow[a]);
      for (let t = Math.max(0, t0 - 1); t + 1 < T; t++) surprisal[a + 1 + t - base] = -out.logp[t] / LN2;
    }
  }
}
