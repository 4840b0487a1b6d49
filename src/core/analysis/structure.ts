// Structural code features derived from a scan: line position, indentation,
// bracket depths, if/while/for conditions, keywords. Values describe the state
// after reading each code point (T = number of code points).

import type { CodeToken, ScanResult } from './codeScanner';
import type { LanguageSpec } from './languages';

const OPEN: Record<string, number> = { '(': 0, '[': 1, '{': 2 };
const CLOSE: Record<string, number> = { ')': 0, ']': 1, '}': 2 };
const CONDITION_KEYWORDS = new Set(['if', 'while', 'for', 'elif']);

export function structuralFeatures(
  scan: ScanResult,
  lang: LanguageSpec,
  tabSize: number,
): Record<string, Uint8Array | Float32Array> {
  if (!(tabSize >= 1)) throw new Error(`tabSize must be at least 1, got ${tabSize}`);
  return {
    ...lineFeatures(scan.chars, tabSize),
    ...depthFeatures(scan),
    inCondition: conditionFeature(scan, lang),
    afterKeyword: afterKeywordFeature(scan),
  };
}

/** Whether code point t ends a line: \n, a lone \r, or the \r of \r\n (which then ends it together with the \n). */
const endsLine = (c: string[], t: number): boolean => c[t] === '\n' || c[t] === '\r';

function lineFeatures(c: string[], tabSize: number): Record<string, Uint8Array | Float32Array> {
  const T = c.length;
  const column = new Float32Array(T); // code points read on this line so far (0 after a newline)
  const indentColumns = new Float32Array(T); // leading whitespace so far, tabs to the next multiple of tabSize
  const atLineStart = new Uint8Array(T); // newline or part of the leading whitespace
  const lineIndent: number[] = []; // indentation of each non-blank line, in order
  let col = 0;
  let indent = 0;
  let leading = true;
  for (let t = 0; t < T; t++) {
    const ch = c[t];
    if (endsLine(c, t)) {
      if (!leading) lineIndent.push(indent);
      col = 0;
      indent = 0;
      leading = true;
    } else {
      col++;
      if (leading && ch === ' ') indent++;
      else if (leading && ch === '\t') indent = (Math.floor(indent / tabSize) + 1) * tabSize;
      else leading = false;
    }
    column[t] = col;
    indentColumns[t] = indent;
    atLineStart[t] = leading ? 1 : 0;
  }
  if (!leading) lineIndent.push(indent);
  const unit = indentUnit(lineIndent, tabSize);
  const indentLevels = new Float32Array(T);
  for (let t = 0; t < T; t++) indentLevels[t] = indentColumns[t] / unit;
  return { column, indentColumns, atLineStart, indentLevels };
}

/** The file's indentation step: the most common positive increase between consecutive non-blank lines. */
export function indentUnit(lineIndent: readonly number[], tabSize: number): number {
  const counts = new Map<number, number>();
  for (let k = 1; k < lineIndent.length; k++) {
    const d = lineIndent[k] - lineIndent[k - 1];
    if (d > 0) counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  let best = tabSize;
  let bestCount = 0;
  for (const [d, n] of counts)
    if (n > bestCount || (n === bestCount && d < best)) {
      best = d;
      bestCount = n;
    }
  return best;
}

function depthFeatures(scan: ScanResult): Record<string, Float32Array> {
  const T = scan.chars.length;
  const depths = [new Float32Array(T), new Float32Array(T), new Float32Array(T)]; // ( [ {
  const nestingDepth = new Float32Array(T);
  const d = [0, 0, 0];
  let next = 0;
  const punct = scan.tokens.filter((tok) => tok.kind === 'punct' && (tok.text in OPEN || tok.text in CLOSE));
  for (let t = 0; t < T; t++) {
    while (next < punct.length && punct[next].start === t) {
      const p = punct[next++].text;
      if (p in OPEN) d[OPEN[p]]++;
      else if (d[CLOSE[p]] > 0) d[CLOSE[p]]--; // unbalanced closers do not go below zero
    }
    depths[0][t] = d[0];
    depths[1][t] = d[1];
    depths[2][t] = d[2];
    nestingDepth[t] = d[0] + d[1] + d[2];
  }
  return { parenDepth: depths[0], squareDepth: depths[1], braceDepth: depths[2], nestingDepth };
}

/**
 * Inside the condition of if/while/for (and Python's elif): from the `(` to
 * before its `)` (C, Java, JS, C#); from the first token after the keyword to
 * before the `{` at the same depth (Go, Rust) or the `:` (Python). A Python
 * condition also ends at a newline at its own depth (so `x if c else y` and
 * comprehensions stop at the line's end or their closing bracket).
 */
function conditionFeature(scan: ScanResult, lang: LanguageSpec): Uint8Array {
  const { tokens, chars } = scan;
  const out = new Uint8Array(chars.length);
  for (let k = 0; k < tokens.length; k++) {
    const kw = tokens[k];
    if (!kw.keyword || !CONDITION_KEYWORDS.has(kw.text)) continue;
    let first = k + 1;
    if (tokens[first]?.text === 'await') first++; // for await (…)
    const opener = tokens[first];
    if (opener === undefined) continue;
    if (opener.text === '(' && lang.conditionStyle !== 'colon') {
      const close = scanTo(tokens, first + 1, () => false, chars);
      out.fill(1, opener.start, close);
      continue;
    }
    if (lang.conditionStyle === 'paren') continue; // `for` without parens (e.g. `for…of` typos): no condition
    const stop = lang.conditionStyle === 'brace' ? '{' : ':';
    const end = scanTo(
      tokens,
      first,
      (tok) => tok.text === stop || tok.text === ';' || (stop === ':' && tok.text === 'else'),
      chars,
      lang.conditionStyle === 'colon',
    );
    out.fill(1, opener.start, end);
  }
  return out;
}

/**
 * Code point index where a condition starting at tokens[from] ends: the first
 * token at relative depth 0 for which `isEnd` holds, or a closer that leaves
 * the starting depth (a `)` closing the condition's paren). With `newlineEnds`,
 * a newline between tokens at depth 0 ends it too (Python).
 */
function scanTo(
  tokens: CodeToken[],
  from: number,
  isEnd: (tok: CodeToken) => boolean,
  chars: string[],
  newlineEnds = false,
): number {
  let depth = 0;
  let prevEnd = tokens[from - 1]?.end ?? 0;
  for (let k = from; k < tokens.length; k++) {
    const tok = tokens[k];
    if (depth === 0 && newlineEnds) {
      for (let t = prevEnd; t < tok.start; t++) if (chars[t] === '\n' || chars[t] === '\r') return t;
    }
    prevEnd = tok.end;
    if (depth === 0 && isEnd(tok)) return tok.start;
    if (tok.text in OPEN) depth++;
    else if (tok.text in CLOSE) {
      if (depth === 0) return tok.start;
      depth--;
    }
  }
  if (newlineEnds) {
    for (let t = prevEnd; t < chars.length; t++) if (chars[t] === '\n' || chars[t] === '\r') return t;
  }
  return chars.length;
}

/** From the last character of a keyword through the whitespace after it. */
function afterKeywordFeature(scan: ScanResult): Uint8Array {
  const { tokens, chars } = scan;
  const out = new Uint8Array(chars.length);
  for (const tok of tokens) {
    if (!tok.keyword) continue;
    let end = tok.end;
    while (end < chars.length && (chars[end] === ' ' || chars[end] === '\t')) end++;
    out.fill(1, tok.end - 1, end);
  }
  return out;
}
