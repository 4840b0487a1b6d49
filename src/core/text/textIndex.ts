// Characters of a document as the model sees them, and the one mapping
// between model steps and VS Code's UTF-16 offsets.
//
// A step is one Unicode code point, with two exceptions for line ends:
//   - "\r\n" is ONE step whose code point is '\n'; it spans 2 UTF-16 units, so
//     the offsets of both '\r' and '\n' map to that step;
//   - a lone '\r' (old Mac line end) is a step whose code point is '\n'.
// So the model always sees '\n' line ends, whatever the file uses.
// Surrogate pairs are one step spanning 2 units; a lone surrogate is a step of
// its own (its code point is the surrogate, an unknown character). Tabs are
// just characters.

import { spliceTyped } from '../util/spliceTyped';

/** Thrown for text we refuse to analyse; the message says why. */
export class TextInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TextInputError';
  }
}

export interface TextIndex {
  /** Number of steps T. */
  readonly length: number;
  /** Code point of each step, '\r\n' and '\r' already folded to '\n'. (T) */
  readonly codePoints: Int32Array;
  /** UTF-16 offset where each step starts; starts[T] = text.length. (T+1) */
  readonly starts: Uint32Array;
  /** Length of the text in UTF-16 units. */
  readonly utf16Length: number;
}

export interface IndexOptions {
  /** Refuse texts with more steps than this (default 2,000,000). */
  maxChars?: number;
  /** Skip the binary-content check (default false). */
  allowBinary?: boolean;
}

export const DEFAULT_MAX_CHARS = 2_000_000;

export function indexText(text: string, options: IndexOptions = {}): TextIndex {
  const maxChars = options.maxChars ?? DEFAULT_MAX_CHARS;
  // Every step is at most 2 units, so this bound needs no scan.
  if (text.length > 2 * maxChars) {
    throw new TextInputError(
      `text too large: at least ${Math.ceil(text.length / 2)} characters is over the cap of ${maxChars} characters`,
    );
  }
  if (!options.allowBinary) checkNotBinary(text);
  const n = text.length;
  const cps = new Int32Array(n);
  const starts = new Uint32Array(n + 1);
  let T = 0;
  for (let u = 0; u < n;) {
    starts[T] = u;
    const unit = text.charCodeAt(u);
    if (unit === 0x0d) {
      cps[T++] = 0x0a;
      u += u + 1 < n && text.charCodeAt(u + 1) === 0x0a ? 2 : 1;
    } else if (unit >= 0xd800 && unit <= 0xdbff && u + 1 < n) {
      const low = text.charCodeAt(u + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        cps[T++] = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
        u += 2;
      } else {
        cps[T++] = unit;
        u += 1;
      }
    } else {
      cps[T++] = unit;
      u += 1;
    }
  }
  if (T > maxChars) {
    throw new TextInputError(`text too large: ${T} characters is over the cap of ${maxChars} characters`);
  }
  starts[T] = n;
  return { length: T, codePoints: cps.slice(0, T), starts: starts.slice(0, T + 1), utf16Length: n };
}

/** UTF-16 offset where step `step` starts (step = T gives the text length). */
export function stepToOffset(index: TextIndex, step: number): number {
  if (!Number.isInteger(step) || step < 0 || step > index.length) {
    throw new RangeError(`step ${step} is outside 0..${index.length}`);
  }
  return index.starts[step];
}

/**
 * Step containing UTF-16 offset `offset`: the low half of a surrogate pair and
 * the '\n' of "\r\n" map to the same step as their first unit. offset =
 * text length gives T.
 */
export function offsetToStep(index: TextIndex, offset: number): number {
  if (!Number.isInteger(offset) || offset < 0 || offset > index.utf16Length) {
    throw new RangeError(`offset ${offset} is outside 0..${index.utf16Length}`);
  }
  // Largest t with starts[t] <= offset.
  const s = index.starts;
  let lo = 0;
  let hi = index.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (s[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Throws TextInputError for text that looks binary: any NUL, or more than 10%
 * control characters (other than tab, line ends, form feed) in the first
 * 64k units.
 */
export function checkNotBinary(text: string): void {
  const nul = text.indexOf('\0');
  if (nul >= 0) throw new TextInputError(`text looks binary: it contains a NUL character at offset ${nul}`);
  const n = Math.min(text.length, 65536);
  let control = 0;
  for (let u = 0; u < n; u++) {
    const c = text.charCodeAt(u);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || c === 0x7f) control++;
  }
  if (n > 0 && control > 0.1 * n) {
    throw new TextInputError(`text looks binary: ${control} of its first ${n} characters are control characters`);
  }
}

export interface IndexSplice {
  index: TextIndex;
  /** In steps: [p, p + oldLen) of the old index became [p, p + newLen). */
  p: number;
  oldLen: number;
  newLen: number;
}

/**
 * The index of `newText`, which is the old text with UTF-16 [offset, offset +
 * removed) replaced by `inserted` (newText given so no string is rebuilt).
 * Re-scans only the edited region plus one step either side (a step boundary
 * depends only on its neighbouring units: CRLF and surrogate pairs), then
 * moves the rest in place (util/spliceTyped.ts): the old index's arrays are
 * reused, so `old` must not be read afterwards.
 */
export function spliceIndex(
  old: TextIndex,
  newText: string,
  offset: number,
  removed: number,
  inserted: string,
  options: IndexOptions = {},
): IndexSplice {
  if (
    !Number.isInteger(offset) ||
    !Number.isInteger(removed) ||
    offset < 0 ||
    removed < 0 ||
    offset + removed > old.utf16Length
  ) {
    throw new RangeError(`change ${offset}+${removed} is outside the text (length ${old.utf16Length})`);
  }
  const delta = inserted.length - removed;
  if (newText.length !== old.utf16Length + delta)
    throw new RangeError('spliceIndex: newText does not match the change');
  if (!options.allowBinary && inserted.includes('\0')) {
    throw new TextInputError(
      `text looks binary: it contains a NUL character at offset ${offset + inserted.indexOf('\0')}`,
    );
  }
  const p = Math.max(0, offsetToStep(old, offset) - 1);
  const e = Math.min(old.length, offsetToStep(old, offset + removed) + 1); // exclusive end step (old)
  const u0 = old.starts[p];
  const u1 = old.starts[e] + delta; // end of the region in the new text
  const mid = indexText(newText.slice(u0, u1), { allowBinary: true, maxChars: Number.MAX_SAFE_INTEGER });
  const T = old.length - (e - p) + mid.length;
  const maxChars = options.maxChars ?? DEFAULT_MAX_CHARS;
  if (T > maxChars)
    throw new TextInputError(`text too large: ${T} characters is over the cap of ${maxChars} characters`);
  const cps = spliceTyped(old.codePoints, p, e - p, mid.length);
  cps.set(mid.codePoints, p);
  const starts = spliceTyped(old.starts, p, e - p, mid.length); // (T + 1)
  for (let t = 0; t < mid.length; t++) starts[p + t] = u0 + mid.starts[t];
  if (delta !== 0) {
    // Offsets are < 2^31, so the same bits read as int32, whose loop V8 compiles to plain integer adds (2x the uint32 one).
    const s32 = new Int32Array(starts.buffer, starts.byteOffset, T + 1);
    for (let t = p + mid.length; t <= T; t++) s32[t] += delta;
  }
  return {
    index: { length: T, codePoints: cps, starts, utf16Length: newText.length },
    p,
    oldLen: e - p,
    newLen: mid.length,
  };
}

/**
 * The one changed span between two code point sequences, by common prefix
 * and suffix: steps [p, p + oldLen) of `old` became newLen steps of `next`.
 */
export function changedSpan(
  old: ArrayLike<number>,
  next: ArrayLike<number>,
): { p: number; oldLen: number; newLen: number } {
  let p = 0;
  const minLen = Math.min(old.length, next.length);
  while (p < minLen && old[p] === next[p]) p++;
  let s = 0;
  while (s < minLen - p && old[old.length - 1 - s] === next[next.length - 1 - s]) s++;
  return { p, oldLen: old.length - p - s, newLen: next.length - p - s };
}
