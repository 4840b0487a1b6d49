// A small lexer for code features: for every code point, the lexical context
// the reader is in AFTER consuming it, plus the code tokens (words and
// punctuation outside strings and comments) for the structural features.
//
// "After consuming" matches what an LSTM state can know at step t: an opening
// quote is already inside the string; the last character of a closer (the
// closing quote, the `/` of `*/`, the newline ending a `//` comment) is outside
// again. Opening delimiters (`//`, `/*`, string prefixes like r#") count as
// inside. Unterminated single-line strings end at the newline (error recovery),
// so one stray quote does not swallow the rest of the file.

import type { LanguageSpec } from './languages';

/** Lexical context after a code point; values stored in a Uint8Array. */
export const enum CharKind {
  Code = 0,
  DoubleQuote = 1, // "…", Rust r#"…"#, C# @"…", C++ R"(…)"
  SingleQuote = 2, // '…' strings and char literals
  Backtick = 3, // JS template literal text, Go raw string
  TripleQuote = 4, // Python """…""" and '''…'''
  LineComment = 5,
  BlockComment = 6,
  Regex = 7, // JS /…/
  Number = 8,
}

export interface CodeToken {
  kind: 'word' | 'punct';
  start: number; // code point index
  end: number; // exclusive
  text: string;
  keyword: boolean;
}

export interface ScanResult {
  chars: string[]; // (T) one string per code point
  kind: Uint8Array; // (T) CharKind
  tokens: CodeToken[]; // code tokens in order
}

const IDENT_START = /[A-Za-z_$]|[^\p{ASCII}]/u;
const IDENT_PART = /[A-Za-z0-9_$]|[^\p{ASCII}]/u;
const WORD_NON_ASCII = /[\p{L}\p{N}\p{M}]/u;
const DIGIT = /[0-9]/;
const NUMBER_PART = /[0-9A-Za-z_]/;
const VALUE_KEYWORDS = new Set([
  'this',
  'super',
  'true',
  'false',
  'null',
  'undefined',
  'self',
  'None',
  'True',
  'False',
]);
const PY_PREFIXES = new Set(['r', 'u', 'b', 'f', 'br', 'rb', 'fr', 'rf']);
const CPP_RAW_PREFIXES = new Set(['R', 'u8R', 'uR', 'UR', 'LR']);

const isNewline = (ch: string | undefined): boolean => ch === '\n' || ch === '\r';
const isIdentStart = (ch: string): boolean => IDENT_START.test(ch) && (ch < '\x80' ? true : WORD_NON_ASCII.test(ch));
const isIdentPart = (ch: string): boolean => IDENT_PART.test(ch) && (ch < '\x80' ? true : WORD_NON_ASCII.test(ch));

export function scanCode(text: string, lang: LanguageSpec): ScanResult {
  const c = Array.from(text);
  const n = c.length;
  const kind = new Uint8Array(n);
  const tokens: CodeToken[] = [];
  const templateBraces: number[] = []; // per open `${`: braces opened inside it and not yet closed
  let lastWasValue = false; // the previous token ends a value, so `/` divides (JS regex rule)
  let i = 0;

  const at = (j: number, s: string): boolean => {
    for (let k = 0; k < s.length; k++) if (c[j + k] !== s[k]) return false;
    return true;
  };
  // Marks a literal [start, end) whose closer ends at end-1: inside up to end-1, outside at end-1.
  const literal = (start: number, end: number, k: CharKind, closed: boolean): number => {
    kind.fill(k, start, end);
    if (closed) kind[end - 1] = CharKind.Code;
    return end;
  };
  // A quoted string whose body starts at `body`; returns the index after it.
  const quoted = (
    start: number,
    body: number,
    quote: string,
    k: CharKind,
    escapes: boolean,
    multiline: boolean,
    doubled = false,
  ): number => {
    let j = body;
    while (j < n) {
      if (escapes && c[j] === '\\') {
        j += 2;
        continue;
      }
      if (at(j, quote)) {
        if (doubled && at(j + quote.length, quote)) {
          j += 2 * quote.length;
          continue;
        }
        return literal(start, j + quote.length, k, true);
      }
      if (!multiline && isNewline(c[j])) return literal(start, j, k, false);
      j++;
    }
    return literal(start, n, k, false);
  };
  // Template text from `from` (after "`" or the "}" of a substitution): ends at "`" or enters "${".
  const templateText = (from: number): number => {
    let j = from;
    while (j < n) {
      if (c[j] === '\\') {
        j += 2;
        continue;
      }
      if (c[j] === '`') {
        kind.fill(CharKind.Backtick, from, j);
        lastWasValue = true;
        return j + 1;
      }
      if (c[j] === '$' && c[j + 1] === '{') {
        kind.fill(CharKind.Backtick, from, j + 1);
        tokens.push({ kind: 'punct', start: j + 1, end: j + 2, text: '{', keyword: false });
        templateBraces.push(0);
        lastWasValue = false;
        return j + 2;
      }
      j++;
    }
    kind.fill(CharKind.Backtick, from, n);
    return n;
  };
  const blockComment = (start: number, open: string, close: string): number => {
    let depth = 0;
    let j = start;
    while (j < n) {
      if (at(j, open) && (depth === 0 || lang.nestedBlockComments)) {
        depth++;
        j += open.length;
        continue;
      }
      if (at(j, close)) {
        depth--;
        j += close.length;
        if (depth === 0) return literal(start, j, CharKind.BlockComment, true);
        continue;
      }
      j++;
    }
    return literal(start, n, CharKind.BlockComment, false);
  };
  // A string that starts with a prefix word (r"…", R"d(…)d", b'x', f"""…"""); -1 if `word` is not one.
  const prefixed = (start: number, word: string, j: number): number => {
    const q = c[j];
    switch (lang.prefixedStrings) {
      case 'python': {
        if (!PY_PREFIXES.has(word.toLowerCase()) || (q !== '"' && q !== "'")) return -1;
        if (at(j, q + q + q)) return quoted(start, j + 3, q + q + q, CharKind.TripleQuote, true, true);
        return quoted(start, j + 1, q, q === '"' ? CharKind.DoubleQuote : CharKind.SingleQuote, true, false);
      }
      case 'rust': {
        if (word === 'b' && q === '"') return quoted(start, j + 1, '"', CharKind.DoubleQuote, true, true);
        if (word === 'b' && q === "'") return quoted(start, j + 1, "'", CharKind.SingleQuote, true, false);
        if (word !== 'r' && word !== 'br') return -1;
        let h = 0;
        while (c[j + h] === '#') h++;
        if (c[j + h] !== '"') return -1;
        return quoted(start, j + h + 1, '"' + '#'.repeat(h), CharKind.DoubleQuote, false, true);
      }
      case 'cpp': {
        if (!CPP_RAW_PREFIXES.has(word) || q !== '"') return -1;
        const paren = c.indexOf('(', j + 1);
        if (paren < 0 || paren - j > 17) return -1;
        return quoted(start, paren + 1, ')' + c.slice(j + 1, paren).join('') + '"', CharKind.DoubleQuote, false, true);
      }
      default:
        return -1;
    }
  };

  while (i < n) {
    const ch = c[i];
    if (ch === ' ' || ch === '\t' || isNewline(ch) || ch === '\f' || ch === '\v') {
      i++;
      continue;
    }
    const line = lang.lineComments.find((s) => at(i, s));
    if (line !== undefined) {
      let j = i;
      while (j < n && !isNewline(c[j])) j++;
      i = literal(i, j, CharKind.LineComment, false);
      continue;
    }
    if (lang.blockComment && at(i, lang.blockComment[0])) {
      i = blockComment(i, lang.blockComment[0], lang.blockComment[1]);
      continue;
    }
    if (ch === '"') {
      if (lang.prefixedStrings === 'python' && at(i, '"""'))
        i = quoted(i, i + 3, '"""', CharKind.TripleQuote, true, true);
      else i = quoted(i, i + 1, '"', CharKind.DoubleQuote, true, lang.multilineStrings);
      lastWasValue = true;
      continue;
    }
    if (ch === "'" && lang.singleQuote !== 'none') {
      const lifetime = lang.singleQuote === 'charOrLifetime' && c[i + 1] !== '\\' && c[i + 2] !== "'";
      if (!lifetime) {
        if (lang.prefixedStrings === 'python' && at(i, "'''"))
          i = quoted(i, i + 3, "'''", CharKind.TripleQuote, true, true);
        else i = quoted(i, i + 1, "'", CharKind.SingleQuote, true, false);
        lastWasValue = true;
        continue;
      }
    }
    if (ch === '`' && lang.backtick === 'template') {
      kind[i] = CharKind.Backtick;
      i = templateText(i + 1);
      continue;
    }
    if (ch === '`' && lang.backtick === 'raw') {
      i = quoted(i, i + 1, '`', CharKind.Backtick, false, true);
      lastWasValue = true;
      continue;
    }
    if (lang.prefixedStrings === 'csharp' && (at(i, '@"') || at(i, '$@"') || at(i, '@$"'))) {
      const body = i + (ch === '@' && c[i + 1] === '"' ? 2 : 3);
      i = quoted(i, body, '"', CharKind.DoubleQuote, false, true, true);
      lastWasValue = true;
      continue;
    }
    if (
      DIGIT.test(ch) ||
      (ch === '.' && DIGIT.test(c[i + 1] ?? '') && !(i > 0 && (isIdentPart(c[i - 1]) || c[i - 1] === '.')))
    ) {
      let j = i;
      let dot = false;
      const hex = ch === '0' && (c[i + 1] === 'x' || c[i + 1] === 'X');
      while (j < n) {
        const d = c[j];
        if (NUMBER_PART.test(d)) j++;
        else if (d === '.' && !dot && !hex && DIGIT.test(c[j + 1] ?? '')) {
          dot = true;
          j++;
        } else if (
          (d === '+' || d === '-') &&
          !hex &&
          (c[j - 1] === 'e' || c[j - 1] === 'E') &&
          DIGIT.test(c[j + 1] ?? '')
        )
          j++;
        else break;
      }
      kind.fill(CharKind.Number, i, j);
      lastWasValue = true;
      i = j;
      continue;
    }
    if (isIdentStart(ch)) {
      let j = i + 1;
      while (j < n && isIdentPart(c[j])) j++;
      const word = c.slice(i, j).join('');
      const end = lang.prefixedStrings === 'none' ? -1 : prefixed(i, word, j);
      if (end >= 0) {
        i = end;
        lastWasValue = true;
        continue;
      }
      const keyword = lang.keywords.has(word);
      tokens.push({ kind: 'word', start: i, end: j, text: word, keyword });
      lastWasValue = !keyword || VALUE_KEYWORDS.has(word);
      i = j;
      continue;
    }
    if (ch === '/' && lang.regexLiterals && !lastWasValue) {
      const end = regexEnd(c, i);
      if (end > 0) {
        i = literal(i, end, CharKind.Regex, true);
        lastWasValue = true;
        continue;
      }
    }
    if (ch === '}' && templateBraces.length > 0) {
      const top = templateBraces.length - 1;
      if (templateBraces[top] === 0) {
        templateBraces.pop();
        tokens.push({ kind: 'punct', start: i, end: i + 1, text: '}', keyword: false });
        kind[i] = CharKind.Backtick;
        i = templateText(i + 1);
        continue;
      }
      templateBraces[top]--;
    } else if (ch === '{' && templateBraces.length > 0) {
      templateBraces[templateBraces.length - 1]++;
    }
    tokens.push({ kind: 'punct', start: i, end: i + 1, text: ch, keyword: false });
    lastWasValue = ch === ')' || ch === ']' || ch === '}';
    i++;
  }
  return { chars: c, kind, tokens };
}

/** Index after the closing `/` of a regex literal starting at `start`, or -1 if none closes on this line. */
function regexEnd(c: string[], start: number): number {
  if (c[start + 1] === '/' || c[start + 1] === '*') return -1;
  let inClass = false;
  for (let j = start + 1; j < c.length; j++) {
    const d = c[j];
    if (isNewline(d)) return -1;
    if (d === '\\') {
      j++;
      continue;
    }
    if (d === '[') inClass = true;
    else if (d === ']') inClass = false;
    else if (d === '/' && !inClass) return j + 1;
  }
  return -1;
}
