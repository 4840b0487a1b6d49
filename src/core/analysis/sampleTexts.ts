// Picks the text sample for cell discovery from many candidate files (e.g.
// the workspace's): the language with the fewest characters so far draws the
// next file, so one big language does not crowd out the others, files are drawn in a seeded shuffle, and each contributes
// at most `maxPerFile` characters cut at a line end. Deterministic for a
// given seed, so the sample (and with it the cache key) is stable.

import { Rng } from '../util/seededRandom';
import type { SampleText } from './cacheKey';

export interface SampleOptions {
  /** Characters in the whole sample at most (default 200 000). */
  maxChars?: number;
  /** Characters taken from one file at most (default 20 000). */
  maxPerFile?: number;
  seed?: number;
}

/** The head of `text` with at most `max` UTF-16 units, cut after its last whole line (a hard cut only when there is no newline). */
export function headAtLineEnd(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  // Do not split a surrogate pair.
  if (end > 0 && text.charCodeAt(end - 1) >= 0xd800 && text.charCodeAt(end - 1) <= 0xdbff) end--;
  const nl = text.lastIndexOf('\n', end - 1);
  return text.slice(0, nl >= 0 ? nl + 1 : end);
}

export function pickSample(files: readonly SampleText[], options: SampleOptions = {}): SampleText[] {
  const maxChars = options.maxChars ?? 200_000;
  const maxPerFile = options.maxPerFile ?? 20_000;
  if (!(maxChars >= 1 && maxPerFile >= 1))
    throw new Error(`maxChars and maxPerFile must be at least 1, got ${maxChars} and ${maxPerFile}`);
  const rng = new Rng(options.seed ?? 1);
  const groups = new Map<string, SampleText[]>();
  for (const f of [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (f.text.length === 0) continue;
    const g = groups.get(f.language) ?? [];
    g.push(f);
    groups.set(f.language, g);
  }
  const queues = [...groups.keys()].sort().map((lang) => {
    const g = groups.get(lang)!;
    for (let i = g.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [g[i], g[j]] = [g[j], g[i]];
    }
    return g;
  });
  // The language with the fewest characters so far draws next, so languages
  // with small files are not outweighed by those with big ones.
  const taken = queues.map(() => 0);
  const out: SampleText[] = [];
  let left = maxChars;
  for (;;) {
    let q = -1;
    for (let i = 0; i < queues.length; i++) if (queues[i].length > 0 && (q < 0 || taken[i] < taken[q])) q = i;
    if (q < 0 || left <= 0) break;
    const f = queues[q].shift()!;
    const text = headAtLineEnd(f.text, Math.min(maxPerFile, left));
    if (text.length === 0 || (text.length < f.text.length && !text.endsWith('\n'))) continue; // not even one whole line fits
    out.push({ name: f.name, language: f.language, text });
    left -= text.length;
    taken[q] += text.length;
  }
  return out;
}
