// Per-character features of source code, the things cells are scored against.
// Every feature is a value per code point describing the state AFTER reading
// it (see codeScanner.ts): T = number of code points of the text.
// Binary features are Uint8Array (0/1), continuous ones Float32Array.

import type { SyntaxFeatures } from './syntaxFeatures';
import { CharKind, scanCode } from './codeScanner';
import type { ScanResult } from './codeScanner';
import type { LanguageSpec } from './languages';
import { structuralFeatures } from './structure';

export type FeatureId =
  | 'inString'
  | 'inDoubleQuote'
  | 'inSingleQuote'
  | 'inBacktick'
  | 'inTripleQuote'
  | 'inComment'
  | 'inLineComment'
  | 'inBlockComment'
  | 'inRegex'
  | 'inNumber'
  | 'inCondition'
  | 'atLineStart'
  | 'afterKeyword'
  | 'isWhitespace'
  | 'indentColumns'
  | 'indentLevels'
  | 'column'
  | 'nestingDepth'
  | 'parenDepth'
  | 'squareDepth'
  | 'braceDepth'
  | 'inArguments'
  | 'inTypeAnnotation'
  | 'inFunctionBody'
  | 'syntaxDepth'
  | 'isIdentifier'
  | 'isKeyword';

export interface FeatureSpec {
  id: FeatureId;
  kind: 'binary' | 'continuous';
  /** Friendly name for tables: "inside string". */
  name: string;
  /** Noun for a cell label: "quote detector (r = 0.93)". */
  label: string;
}

/** All features in report order. Scorers index features by position in this list. */
export const FEATURES: readonly FeatureSpec[] = [
  { id: 'inString', kind: 'binary', name: 'inside string', label: 'quote detector' },
  { id: 'inDoubleQuote', kind: 'binary', name: 'inside "…" string', label: 'double-quote string' },
  { id: 'inSingleQuote', kind: 'binary', name: "inside '…' string/char", label: 'single-quote string' },
  { id: 'inBacktick', kind: 'binary', name: 'inside `…` template/raw string', label: 'backtick string' },
  { id: 'inTripleQuote', kind: 'binary', name: 'inside triple-quoted string', label: 'triple-quote string' },
  { id: 'inComment', kind: 'binary', name: 'inside comment', label: 'comment detector' },
  { id: 'inLineComment', kind: 'binary', name: 'inside line comment', label: 'line comment' },
  { id: 'inBlockComment', kind: 'binary', name: 'inside block comment', label: 'block comment' },
  { id: 'inRegex', kind: 'binary', name: 'inside regex literal', label: 'regex literal' },
  { id: 'inNumber', kind: 'binary', name: 'inside number', label: 'number literal' },
  { id: 'inCondition', kind: 'binary', name: 'inside if/while/for condition', label: 'inside condition' },
  { id: 'atLineStart', kind: 'binary', name: 'at line start (newline or indentation)', label: 'line start' },
  { id: 'afterKeyword', kind: 'binary', name: 'after a keyword', label: 'after keyword' },
  // A baseline: a cell that merely echoes the current input (a space) should be
  // labelled for that, not for the structure the space happens to be part of.
  { id: 'isWhitespace', kind: 'binary', name: 'current character is whitespace', label: 'whitespace input' },
  { id: 'indentColumns', kind: 'continuous', name: 'indentation (columns)', label: 'indent depth' },
  { id: 'indentLevels', kind: 'continuous', name: 'indentation (levels)', label: 'indent level' },
  { id: 'column', kind: 'continuous', name: 'column in line', label: 'line position' },
  { id: 'nestingDepth', kind: 'continuous', name: 'bracket nesting depth (all)', label: 'nesting depth' },
  { id: 'parenDepth', kind: 'continuous', name: '( ) depth', label: 'paren depth' },
  { id: 'squareDepth', kind: 'continuous', name: '[ ] depth', label: 'square-bracket depth' },
  { id: 'braceDepth', kind: 'continuous', name: '{ } depth', label: 'brace depth' },
  // From the syntax tree (syntaxFeatures.ts), where a tree-sitter grammar reads the language; off elsewhere.
  { id: 'inArguments', kind: 'binary', name: 'inside call arguments', label: 'argument-list detector' },
  { id: 'inTypeAnnotation', kind: 'binary', name: 'inside a type annotation', label: 'type detector' },
  { id: 'inFunctionBody', kind: 'binary', name: 'inside a function body', label: 'function-body detector' },
  { id: 'syntaxDepth', kind: 'continuous', name: 'syntax tree depth', label: 'syntax depth' },
  { id: 'isIdentifier', kind: 'binary', name: 'part of an identifier', label: 'identifier detector' },
  { id: 'isKeyword', kind: 'binary', name: 'part of a keyword', label: 'keyword detector' },
];

export type FeatureArray = Uint8Array | Float32Array;

export interface CodeFeatures {
  length: number; // T
  language: string;
  /** Indices in FEATURES order: values[k] is (T). */
  values: FeatureArray[];
}

export interface FeatureOptions {
  /** Columns a tab advances to (next multiple); default 4. */
  tabSize?: number;
  /** The text's syntax features (syntaxFeatures.ts), when a grammar parsed it. */
  syntax?: SyntaxFeatures;
}

/** Every feature of `text` at once (one scan); values[k] belongs to FEATURES[k]. */
export function computeCodeFeatures(text: string, lang: LanguageSpec, options: FeatureOptions = {}): CodeFeatures {
  const scan = scanCode(text, lang);
  const T = scan.chars.length;
  const tree = options.syntax;
  if (tree && tree.depth.length !== T)
    throw new Error(`the syntax features cover ${tree.depth.length} characters, the text has ${T}`);
  const byId: Partial<Record<FeatureId, FeatureArray>> = {
    ...lexicalFeatures(scan),
    ...structuralFeatures(scan, lang, options.tabSize ?? 4),
    inArguments: tree?.inArguments ?? new Uint8Array(T),
    inTypeAnnotation: tree?.inTypeAnnotation ?? new Uint8Array(T),
    inFunctionBody: tree?.inFunctionBody ?? new Uint8Array(T),
    syntaxDepth: tree?.depth ?? new Float32Array(T),
    isIdentifier: tree?.isIdentifier ?? new Uint8Array(T),
    isKeyword: tree?.isKeyword ?? new Uint8Array(T),
  };
  // A condition is a syntactic fact: the tree's where there is one, the lexer's heuristic elsewhere.
  if (tree) byId.inCondition = tree.inCondition;
  return { length: T, language: lang.name, values: FEATURES.map((f) => byId[f.id]!) };
}

/** One feature of `text`; computing several at once with computeCodeFeatures scans only once. */
export function codeFeature(
  text: string,
  lang: LanguageSpec,
  id: FeatureId,
  options: FeatureOptions = {},
): FeatureArray {
  const k = FEATURES.findIndex((f) => f.id === id);
  if (k < 0) throw new Error(`unknown code feature '${id}'`);
  return computeCodeFeatures(text, lang, options).values[k];
}

const KINDS_OF: Partial<Record<FeatureId, readonly CharKind[]>> = {
  inString: [CharKind.DoubleQuote, CharKind.SingleQuote, CharKind.Backtick, CharKind.TripleQuote],
  inDoubleQuote: [CharKind.DoubleQuote],
  inSingleQuote: [CharKind.SingleQuote],
  inBacktick: [CharKind.Backtick],
  inTripleQuote: [CharKind.TripleQuote],
  inComment: [CharKind.LineComment, CharKind.BlockComment],
  inLineComment: [CharKind.LineComment],
  inBlockComment: [CharKind.BlockComment],
  inRegex: [CharKind.Regex],
  inNumber: [CharKind.Number],
};

function lexicalFeatures(scan: ScanResult): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  const ws = new Uint8Array(scan.kind.length);
  scan.chars.forEach((ch, t) => {
    ws[t] = ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' ? 1 : 0;
  });
  out.isWhitespace = ws;
  for (const [id, kinds] of Object.entries(KINDS_OF)) {
    const member = new Uint8Array(16);
    for (const k of kinds) member[k] = 1;
    const v = new Uint8Array(scan.kind.length);
    for (let t = 0; t < v.length; t++) v[t] = member[scan.kind[t]];
    out[id] = v;
  }
  return out;
}
