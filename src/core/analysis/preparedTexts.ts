// Sample texts made ready for a pass of the engine: cut to `maxChars` code
// points in total (in order; `truncated` says whether any were left out),
// split into code points, encoded to the model's ids, with the code features
// of each (from its syntax tree too, where a tree-sitter grammar reads the
// language: syntaxTree.ts), and the global index of each text's first
// character. Shared by cell discovery and the cell page, so both read a
// sample the same way.

import type { CharModel } from '../model/types';
import { Vocabulary } from '../model/vocab';
import type { SampleText } from './cacheKey';
import { computeCodeFeatures } from './codeFeatures';
import type { CodeFeatures } from './codeFeatures';
import { LANGUAGES } from './languages';
import { parseText } from './syntaxTree';
import { syntaxFeatures, type SyntaxFeatures } from './syntaxFeatures';

export interface PreparedText {
  name: string;
  language: string;
  chars: string[];
  ids: Int32Array;
  features: CodeFeatures;
  /** Index of its first character among all prepared characters. */
  start: number;
  /** Whether a syntax tree gave its syntax features. */
  parsed: boolean;
}

export async function prepareTexts(
  model: CharModel,
  texts: readonly SampleText[],
  maxChars: number,
  tabSize?: number,
): Promise<{ prepared: PreparedText[]; total: number; truncated: boolean }> {
  const vocab = new Vocabulary(model.vocab);
  let budget = maxChars;
  let truncated = false;
  let total = 0;
  const prepared: PreparedText[] = [];
  for (const t of texts) {
    const lang = LANGUAGES[t.language];
    if (lang === undefined)
      throw new Error(`${t.name}: unknown language '${t.language}' (known: ${Object.keys(LANGUAGES).join(', ')})`);
    let chars = Array.from(t.text);
    if (chars.length > budget) {
      chars = chars.slice(0, budget);
      truncated = true;
    }
    budget -= chars.length;
    if (chars.length === 0) continue;
    const text = chars.join('');
    const tree = await parseText(lang.name, t.name, text);
    let syntax: SyntaxFeatures | undefined;
    try {
      syntax = tree ? syntaxFeatures(text, tree) : undefined;
    } finally {
      tree?.delete();
    }
    prepared.push({
      name: t.name,
      language: lang.name,
      chars,
      ids: vocab.encode(text),
      features: computeCodeFeatures(text, lang, { tabSize, syntax }),
      parsed: syntax !== undefined,
      start: total,
    });
    total += chars.length;
  }
  return { prepared, total, truncated };
}
