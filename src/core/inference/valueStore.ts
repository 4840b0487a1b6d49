// The per-character values the view needs, for the whole document: one
// Float32Array (T) per selected (layer, cell, signal) series, optionally the
// surprisal (bits) of every character, and a validity byte per character.
// Never every gate of every cell: that is what windows are for.

import type { Selection } from './cellSelection';
import { seriesKey } from './cellSelection';
import { spliceTyped } from '../util/spliceTyped';

export class ValueStore {
  readonly series = new Map<string, Float32Array>(); // (T) each
  surprisal: Float32Array | null = null; // (T) bits of char t given chars < t
  valid: Uint8Array; // (T) 1 = the values at this step are computed for the current selection

  constructor(
    public length: number,
    readonly selection: Selection,
  ) {
    for (const c of selection.cells)
      for (const s of c.signals) this.series.set(seriesKey(c.layer, c.cell, s), new Float32Array(length));
    if (selection.surprisal) this.surprisal = new Float32Array(length);
    this.valid = new Uint8Array(length);
  }

  /** Steps [p, p + oldLen) became newLen new steps (values there invalid). In place where there is room. */
  applyEdit(p: number, oldLen: number, newLen: number): void {
    const T = this.length - oldLen + newLen;
    for (const [k, v] of this.series) this.series.set(k, spliceTyped(v, p, oldLen, newLen).fill(0, p, p + newLen));
    if (this.surprisal) this.surprisal = spliceTyped(this.surprisal, p, oldLen, newLen).fill(0, p, p + newLen);
    this.valid = spliceTyped(this.valid, p, oldLen, newLen).fill(0, p, p + newLen);
    this.length = T;
  }

  /** First step in [from, to) whose values are not valid, or -1. */
  firstInvalid(from: number, to: number): number {
    for (let t = from; t < to; t++) if (!this.valid[t]) return t;
    return -1;
  }

  /** Bytes held, for memory reports. */
  get bytes(): number {
    let n = this.valid.byteLength + (this.surprisal?.byteLength ?? 0);
    for (const v of this.series.values()) n += v.byteLength;
    return n;
  }
}
