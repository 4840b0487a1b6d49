// The character vocabulary: id <-> Unicode code point.
//
// Unknown characters: a model may name an unknown id (`unknownId`). If it
// does not, `idOf` falls back to the id of ' ' when the vocabulary has one,
// else to id 0, and `hasUnknown` is false so callers can warn.
// `buildVocabulary` always adds an unknown entry, the replacement character
// U+FFFD, so models we train always have one.

import { ModelFormatError } from './types';
import type { VocabularySpec } from './types';

/** The character our trainer uses as the vocabulary's unknown entry. */
export const UNKNOWN_CHAR = '\uFFFD';

export class Vocabulary {
  readonly size: number;
  readonly hasUnknown: boolean;
  /** Id returned for characters not in the vocabulary. */
  readonly unknownId: number;
  private readonly ids = new Map<number, number>(); // code point -> id

  constructor(readonly spec: VocabularySpec) {
    validateVocabulary(spec);
    this.size = spec.chars.length;
    spec.chars.forEach((ch, id) => this.ids.set(ch.codePointAt(0)!, id));
    this.hasUnknown = spec.unknownId !== undefined;
    this.unknownId = spec.unknownId ?? this.ids.get(0x20) ?? 0;
  }

  idOf(codePoint: number): number {
    return this.ids.get(codePoint) ?? this.unknownId;
  }

  /** True when the code point has its own entry (not mapped to unknown). */
  has(codePoint: number): boolean {
    return this.ids.has(codePoint);
  }

  charOf(id: number): string {
    if (!Number.isInteger(id) || id < 0 || id >= this.size) {
      throw new RangeError(`character id ${id} is outside the vocabulary (size ${this.size})`);
    }
    return this.spec.chars[id];
  }

  /** Ids of every code point of `text` (unknowns mapped as idOf does). */
  encode(text: string): Int32Array {
    const out: number[] = [];
    for (const ch of text) out.push(this.idOf(ch.codePointAt(0)!));
    return Int32Array.from(out);
  }
}

/** Throws ModelFormatError naming the first problem: empty, not one code point, duplicate, bad unknown id. */
export function validateVocabulary(spec: VocabularySpec): void {
  if (!Array.isArray(spec.chars) || spec.chars.length === 0) {
    throw new ModelFormatError('vocab is empty: expected a non-empty array of one-character strings');
  }
  const seen = new Map<string, number>();
  spec.chars.forEach((ch, id) => {
    if (typeof ch !== 'string' || [...ch].length !== 1) {
      throw new ModelFormatError(`vocab entry ${id} is ${JSON.stringify(ch)}, not a single character (one code point)`);
    }
    const prev = seen.get(ch);
    if (prev !== undefined) {
      throw new ModelFormatError(`vocab has a duplicate character ${JSON.stringify(ch)} at ids ${prev} and ${id}`);
    }
    seen.set(ch, id);
  });
  const u = spec.unknownId;
  if (u !== undefined && (!Number.isInteger(u) || u < 0 || u >= spec.chars.length)) {
    throw new ModelFormatError(`vocab unknown id ${u} is outside the vocabulary (size ${spec.chars.length})`);
  }
}

/**
 * Vocabulary for the trainer from code point counts: the most frequent code
 * points (count >= minCount, at most maxSize entries in all), always '\n' and
 * ' ', plus the unknown entry U+FFFD. Ids are in code point order, so the same
 * counts always give the same ids.
 */
export function buildVocabulary(
  counts: Map<number, number>,
  options: { maxSize?: number; minCount?: number } = {},
): VocabularySpec {
  const minCount = options.minCount ?? 1;
  const maxSize = options.maxSize ?? Infinity;
  const always = [0x0a, 0x20, UNKNOWN_CHAR.codePointAt(0)!];
  if (maxSize < always.length) {
    throw new RangeError(`vocabulary maxSize ${maxSize} is below ${always.length} ('\\n', ' ' and the unknown entry)`);
  }
  const chosen = new Set<number>(always);
  // Most frequent first; ties broken by code point for determinism.
  const ranked = [...counts.entries()]
    .filter(
      ([cp, n]) => n >= minCount && !chosen.has(cp) && cp >= 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff),
    )
    .sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  for (const [cp] of ranked) {
    if (chosen.size >= maxSize) break;
    chosen.add(cp);
  }
  const chars = [...chosen].sort((a, b) => a - b).map((cp) => String.fromCodePoint(cp));
  return { chars, unknownId: chars.indexOf(UNKNOWN_CHAR) };
}
