// Reads the --file of `run` and `saliency`: the corpus's one decoding policy
// (UTF-8, UTF-16 with a BOM, else Latin-1; never U+FFFD for bad bytes), a
// note when it was not UTF-8, and a refusal above --max-chars.

import * as fs from 'fs';
import type { CliIo } from './cliCommand';
import { decodeText } from '../core/corpus/corpusFilter';
import { errorMessage } from '../core/util/errors';

/** The characters the model reads: code points, with CRLF and CR read as one "\n" (as text/textIndex.ts steps). */
export function asRead(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

export function readTextFile(file: string, io: CliIo, maxChars: number): string {
  let text: string;
  try {
    const decoded = decodeText(fs.readFileSync(file));
    text = decoded.text;
    if (decoded.encoding !== 'utf-8') io.err(`note: --file ${file} is not UTF-8; read as ${decoded.encoding}`);
  } catch (e) {
    throw new Error(`cannot read --file ${file}: ${errorMessage(e)}`, { cause: e });
  }
  const length = [...asRead(text)].length;
  if (length > maxChars) {
    throw new Error(
      `--file ${file} has ${length} characters, over --max-chars ${maxChars}: raise --max-chars to run it`,
    );
  }
  return text;
}
