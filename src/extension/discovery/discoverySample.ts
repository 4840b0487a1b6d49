// The text sample of Discover Interpretable Cells, as plain functions: the
// open file alone, or a seeded, language-balanced sample of workspace files
// (core/analysis/sampleTexts.ts) of about SAMPLE_CHARS characters.

import type { SampleText } from '../../core/analysis/cacheKey';
import { languageFromId, languageFromPath } from '../../core/analysis/languages';
import { pickSample } from '../../core/analysis/sampleTexts';

/** Characters of the workspace sample ("~200 kB"). */
export const SAMPLE_CHARS = 200_000;
/** Characters taken from one workspace file at most. */
export const SAMPLE_PER_FILE = 20_000;
/** Bytes of workspace files read to draw the sample from (a fixed pseudo-random subset when the workspace is larger). */
export const SAMPLE_READ_BYTES = 4 * 1024 * 1024;

/** The open document as the sample; throws when it has no text. */
export function openFileSample(name: string, text: string, languageId: string): SampleText[] {
  if (text.length === 0) throw new Error(`${name} is empty: open a file with some code in it`);
  return [{ name, text, language: languageFromId(languageId).name }];
}

/**
 * Workspace files (name = relative path) as a sample: files in a language the
 * feature lexer knows are preferred; the others are used only when there are
 * no such files. Throws when nothing is left.
 */
export function workspaceSample(
  files: readonly { name: string; text: string }[],
  maxChars = SAMPLE_CHARS,
): SampleText[] {
  const all = files
    .filter((f) => f.text.length > 0)
    .map((f) => ({ name: f.name, text: f.text, language: languageFromPath(f.name).name }));
  const known = all.filter((f) => f.language !== 'generic');
  const texts = pickSample(known.length > 0 ? known : all, { maxChars, maxPerFile: SAMPLE_PER_FILE });
  if (texts.length === 0)
    throw new Error('no workspace file with text to sample (check lstmLens.training.include and the excludes)');
  return texts;
}
