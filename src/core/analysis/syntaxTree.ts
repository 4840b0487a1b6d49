// Real parsers for the code features: VS Code's own tree-sitter grammars
// (@vscode/tree-sitter-wasm, WebAssembly, no native build). The runtime and
// each grammar load once per thread, on first need. A language without a
// grammar here gets no tree; its syntax features stay off and are reported as
// not scored. Indices in a tree are UTF-16 offsets of the parsed string.

import { createRequire } from 'module';
import * as path from 'path';
import type * as TS from '@vscode/tree-sitter-wasm';

/** Grammar file (wasm/tree-sitter-<name>.wasm) per language family of languages.ts; TypeScript by file name. */
const GRAMMARS: Readonly<Record<string, string>> = {
  c: 'cpp',
  cpp: 'cpp',
  java: 'java',
  csharp: 'c-sharp',
  go: 'go',
  rust: 'rust',
  javascript: 'javascript',
  python: 'python',
  shell: 'bash',
};

/** Every grammar file this module may load (the package ships only these: .vscodeignore). */
export const GRAMMAR_NAMES: readonly string[] = [...new Set([...Object.values(GRAMMARS), 'typescript', 'tsx'])].sort();

/** The grammar that parses a text of this language family and file name, if there is one. */
export function grammarOf(language: string, fileName: string): string | undefined {
  if (language === 'javascript') {
    if (/\.(ts|mts|cts)$/i.test(fileName)) return 'typescript';
    if (/\.tsx$/i.test(fileName)) return 'tsx';
  }
  return GRAMMARS[language];
}

type TreeSitter = typeof TS;
let runtime: Promise<TreeSitter> | undefined;
const parsers = new Map<string, Promise<TS.Parser>>();

// Resolved at run time from this file's own place (not by the bundler): in the
// packaged extension the module sits in node_modules beside dist/.
const load = createRequire(__filename);

function wasmDir(): string {
  return path.dirname(load.resolve('@vscode/tree-sitter-wasm'));
}

function loadRuntime(): Promise<TreeSitter> {
  runtime ??= (async () => {
    const ts = load('@vscode/tree-sitter-wasm') as TreeSitter;
    const dir = wasmDir();
    await ts.Parser.init({ locateFile: (file: string) => path.join(dir, file) });
    return ts;
  })();
  return runtime;
}

/** A parser for `grammar` (a name of GRAMMARS' values, or typescript / tsx). */
export function parserFor(grammar: string): Promise<TS.Parser> {
  let p = parsers.get(grammar);
  if (!p) {
    p = (async () => {
      const ts = await loadRuntime();
      const language = await ts.Language.load(path.join(wasmDir(), `tree-sitter-${grammar}.wasm`));
      const parser = new ts.Parser();
      parser.setLanguage(language);
      return parser;
    })();
    parsers.set(grammar, p);
    // A failed load is not cached: the next text tries again.
    p.catch(() => parsers.delete(grammar));
  }
  return p;
}

/** Parses `text` with the grammar of its language; undefined when there is none. The caller deletes the tree. */
export async function parseText(language: string, fileName: string, text: string): Promise<TS.Tree | undefined> {
  const grammar = grammarOf(language, fileName);
  if (!grammar) return undefined;
  const parser = await parserFor(grammar);
  return parser.parse(text) ?? undefined;
}
