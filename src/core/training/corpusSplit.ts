// From files to what the trainer needs: a train / validation split by file
// (seeded), a vocabulary built from the training files, and each side as one
// id sequence (files joined with a newline so no file runs into the next).

import { buildVocabulary, type Vocabulary } from '../model/vocab';
import type { VocabularySpec } from '../model/types';
import { Rng } from '../util/seededRandom';

export interface CorpusFile {
  name: string; // path or label, for the summary
  text: string;
}

export interface CorpusSplit {
  train: CorpusFile[];
  validation: CorpusFile[];
  /** How the validation set was chosen, for the summary and metadata. */
  note: string;
}

/**
 * Holds out whole files for validation, about `fraction` of the characters
 * (at least one file, leaving at least one for training). With a single file
 * the last `fraction` of its text is held out instead, and the note says so.
 */
export function splitByFile(files: CorpusFile[], fraction: number, seed: number): CorpusSplit {
  if (files.length === 0) throw new RangeError('no files to train on');
  if (!(fraction > 0 && fraction < 1)) throw new RangeError(`validation fraction must be in (0, 1), got ${fraction}`);
  if (files.length === 1) {
    const chars = [...files[0].text];
    const cut = Math.floor(chars.length * (1 - fraction));
    return {
      train: [{ name: files[0].name, text: chars.slice(0, cut).join('') }],
      validation: [{ name: `${files[0].name} (last ${Math.round(fraction * 100)}%)`, text: chars.slice(cut).join('') }],
      note: 'single file: validation is its last part',
    };
  }
  const rng = new Rng(seed);
  const order = files.map((_, j) => j);
  for (let j = order.length - 1; j > 0; j--) {
    const k = rng.int(j + 1);
    [order[j], order[k]] = [order[k], order[j]];
  }
  const total = files.reduce((s, f) => s + f.text.length, 0);
  const val = new Set<number>();
  let held = 0;
  for (const j of order) {
    if (val.size > 0 && held >= fraction * total) break;
    if (val.size === files.length - 1) break;
    val.add(j);
    held += files[j].text.length;
  }
  return {
    train: files.filter((_, j) => !val.has(j)),
    validation: files.filter((_, j) => val.has(j)),
    note: `${val.size} of ${files.length} files held out`,
  };
}

/** Code point counts over the files. */
export function countChars(files: CorpusFile[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const f of files)
    for (const ch of f.text) {
      const cp = ch.codePointAt(0)!;
      counts.set(cp, (counts.get(cp) ?? 0) + 1);
    }
  return counts;
}

/** All files as one id sequence, a newline between files that lack one. */
export function encodeFiles(files: CorpusFile[], vocab: Vocabulary): Int32Array {
  const parts: Int32Array[] = [];
  const nl = Int32Array.of(vocab.idOf(0x0a));
  for (const f of files) {
    parts.push(vocab.encode(f.text));
    if (!f.text.endsWith('\n')) parts.push(nl);
  }
  const out = new Int32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function vocabularyFor(train: CorpusFile[], maxSize: number, minCount: number): VocabularySpec {
  return buildVocabulary(countChars(train), { maxSize, minCount });
}
