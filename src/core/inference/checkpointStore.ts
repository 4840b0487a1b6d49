// State checkpoints of a document: the recurrent state (h, c of every layer)
// BEFORE reading the character at `step`, kept every ~N characters so that
// any window, hover or re-run starts from a nearby saved state.
//
// After an edit, checkpoints after the edit keep their old state but are
// marked stale and shifted to the new step numbers: they are never resumed
// from, only compared with the re-run's state to detect that the new
// trajectory has converged back to the old one.

import type { RecurrentState } from './modelRunner';

export interface Checkpoint {
  step: number;
  state: RecurrentState;
  stale: boolean;
}

export class CheckpointStore {
  /** Sorted by step; entry 0 is always step 0, fresh. */
  readonly list: Checkpoint[];

  constructor(initial: RecurrentState) {
    this.list = [{ step: 0, state: initial, stale: false }];
  }

  /** Index of the last checkpoint with step <= s. */
  indexAtOrBefore(s: number): number {
    const a = this.list;
    let lo = 0;
    let hi = a.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (a[mid].step <= s) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Last fresh checkpoint with step <= s. */
  freshAtOrBefore(s: number): Checkpoint {
    for (let i = this.indexAtOrBefore(s); i >= 0; i--) if (!this.list[i].stale) return this.list[i];
    return this.list[0];
  }

  /** First checkpoint with step > s, or undefined. */
  after(s: number): Checkpoint | undefined {
    const i = this.indexAtOrBefore(s);
    return this.list[i].step > s ? this.list[i] : this.list[i + 1];
  }

  /** Last checkpoint with from < step <= to, or undefined. */
  lastWithin(from: number, to: number): Checkpoint | undefined {
    const cp = this.list[this.indexAtOrBefore(to)];
    return cp.step > from ? cp : undefined;
  }

  /** Drops the checkpoints with from < step < to (a re-run went past them). */
  dropBetween(from: number, to: number): void {
    const i = this.indexAtOrBefore(from) + 1;
    let j = i;
    while (j < this.list.length && this.list[j].step < to) j++;
    if (j > i) this.list.splice(i, j - i);
  }

  /** Inserts or replaces the checkpoint at `step` with a fresh state. */
  put(step: number, state: RecurrentState): void {
    const i = this.indexAtOrBefore(step);
    const cp = { step, state, stale: false };
    if (this.list[i].step === step) this.list[i] = cp;
    else this.list.splice(i + 1, 0, cp);
  }

  /**
   * Steps [p, p + oldLen) were replaced by newLen steps. States at steps <= p
   * are unchanged; later ones become stale and move by newLen - oldLen; the
   * ones inside the replaced range are dropped.
   */
  applyEdit(p: number, oldLen: number, newLen: number): void {
    const delta = newLen - oldLen;
    const kept: Checkpoint[] = [];
    for (const cp of this.list) {
      if (cp.step <= p) kept.push(cp);
      else if (cp.step >= p + oldLen) kept.push({ step: cp.step + delta, state: cp.state, stale: true });
    }
    this.list.length = 0;
    this.list.push(...kept);
  }

  /** Marks every checkpoint fresh (the re-run converged onto the old trajectory). */
  freshenAll(): void {
    for (const cp of this.list) cp.stale = false;
  }

  /** Drops checkpoints at steps > T (text got shorter while stale ones remained). */
  truncate(T: number): void {
    while (this.list.length > 1 && this.list[this.list.length - 1].step > T) this.list.pop();
  }
}
