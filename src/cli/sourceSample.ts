// The sample `label` and `cell` read from PATHS: files in a language the
// code-feature lexer knows (folders are walked, skipping vendored, build,
// generated, minified, binary and .gitignored files), drawn language by
// language in a seeded order, each cut at a line end; a note on stderr for
// files that were not UTF-8.

import type { CliIo } from './cliCommand';
import { UsageError } from './cliCommand';
import type { SampleText } from '../core/analysis/cacheKey';
import { languageFromPath } from '../core/analysis/languages';
import { pickSample } from '../core/analysis/sampleTexts';
import { gatherDiskFiles } from '../core/corpus/diskCorpus';

export function readSourceSample(
  paths: readonly string[],
  io: CliIo,
  options: { maxChars: number; maxPerFile: number },
): SampleText[] {
  const gathered = gatherDiskFiles([...paths], { accept: (rel) => languageFromPath(rel).name !== 'generic' });
  const found: SampleText[] = gathered.files.map((f) => ({
    name: f.name,
    text: f.text,
    language: languageFromPath(f.name).name,
  }));
  if (found.length === 0) throw new Error(`no source files found in ${paths.join(', ')}`);
  const notUtf8 = gathered.summary.notUtf8;
  if (notUtf8 > 0) io.err(`note: ${notUtf8} file${notUtf8 === 1 ? '' : 's'} not UTF-8, read as Latin-1 or UTF-16`);
  return pickSample(found, options);
}

/** A numeric option: its default when absent, a usage error naming it when `check` fails. */
export function numberOption(
  value: string | undefined,
  name: string,
  fallback: number,
  check: (x: number) => boolean,
): number {
  if (value === undefined) return fallback;
  const x = Number(value);
  if (!check(x)) throw new UsageError(`--${name} ${value} is not valid`);
  return x;
}
