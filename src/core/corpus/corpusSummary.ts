// What went into a corpus, for the confirmation the user sees before training
// and for the model's metadata: file count, size, languages, what was skipped.

import type { SkipReason, TextEncodingName } from './corpusFilter';
import { SKIP_REASON_TEXT } from './corpusFilter';

const LANGUAGE_BY_EXT: Readonly<Record<string, string>> = {
  c: 'C',
  h: 'C',
  cc: 'C++',
  cpp: 'C++',
  cxx: 'C++',
  hpp: 'C++',
  hh: 'C++',
  hxx: 'C++',
  cu: 'CUDA',
  m: 'Objective-C',
  mm: 'Objective-C++',
  cs: 'C#',
  java: 'Java',
  kt: 'Kotlin',
  kts: 'Kotlin',
  scala: 'Scala',
  swift: 'Swift',
  go: 'Go',
  rs: 'Rust',
  dart: 'Dart',
  groovy: 'Groovy',
  js: 'JavaScript',
  jsx: 'JavaScript',
  mjs: 'JavaScript',
  cjs: 'JavaScript',
  ts: 'TypeScript',
  tsx: 'TypeScript',
  mts: 'TypeScript',
  cts: 'TypeScript',
  vue: 'Vue',
  svelte: 'Svelte',
  py: 'Python',
  pyi: 'Python',
  pyw: 'Python',
  rb: 'Ruby',
  php: 'PHP',
  pl: 'Perl',
  pm: 'Perl',
  lua: 'Lua',
  r: 'R',
  jl: 'Julia',
  hs: 'Haskell',
  ml: 'OCaml',
  mli: 'OCaml',
  ex: 'Elixir',
  exs: 'Elixir',
  erl: 'Erlang',
  clj: 'Clojure',
  sh: 'Shell',
  bash: 'Shell',
  zsh: 'Shell',
  ps1: 'PowerShell',
  sql: 'SQL',
  html: 'HTML',
  htm: 'HTML',
  css: 'CSS',
  scss: 'SCSS',
  less: 'Less',
  md: 'Markdown',
  markdown: 'Markdown',
  rst: 'reStructuredText',
  txt: 'Text',
  json: 'JSON',
  jsonc: 'JSON',
  yml: 'YAML',
  yaml: 'YAML',
  toml: 'TOML',
  xml: 'XML',
  tex: 'TeX',
  cmake: 'CMake',
  mk: 'Makefile',
};

/** A display name for the language of a path ('TypeScript', 'C', …; '.ext' or 'other' when unknown). */
export function languageOfPath(relPath: string): string {
  const name = relPath.slice(relPath.lastIndexOf('/') + 1);
  if (/^(GNU)?makefile$/i.test(name)) return 'Makefile';
  if (/^dockerfile$/i.test(name)) return 'Dockerfile';
  if (/^cmakelists\.txt$/i.test(name)) return 'CMake';
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return 'other';
  const ext = name.slice(dot + 1).toLowerCase();
  return LANGUAGE_BY_EXT[ext] ?? `.${ext}`;
}

export interface IncludedFile {
  relPath: string; // with the workspace folder name first in multi-root workspaces
  chars: number; // UTF-16 units of the decoded text
  bytes: number;
  encoding: TextEncodingName;
}

export interface LanguageCount {
  language: string;
  files: number;
  bytes: number;
}

export interface CorpusSummaryView {
  files: number;
  bytes: number;
  chars: number;
  /** Most bytes first. */
  languages: LanguageCount[];
  /** Files read as Latin-1 or UTF-16 instead of UTF-8. */
  notUtf8: number;
  skipped: Partial<Record<SkipReason, number>>;
  skippedTotal: number;
}

export function summarizeCorpus(included: readonly IncludedFile[], skipped: readonly SkipReason[]): CorpusSummaryView {
  const langs = new Map<string, LanguageCount>();
  let bytes = 0;
  let chars = 0;
  let notUtf8 = 0;
  for (const f of included) {
    bytes += f.bytes;
    chars += f.chars;
    if (f.encoding !== 'utf-8') notUtf8++;
    const language = languageOfPath(f.relPath);
    const l = langs.get(language) ?? { language, files: 0, bytes: 0 };
    l.files++;
    l.bytes += f.bytes;
    langs.set(language, l);
  }
  const counts: Partial<Record<SkipReason, number>> = {};
  for (const r of skipped) counts[r] = (counts[r] ?? 0) + 1;
  const languages = [...langs.values()].sort((a, b) => b.bytes - a.bytes || (a.language < b.language ? -1 : 1));
  return { files: included.length, bytes, chars, languages, notUtf8, skipped: counts, skippedTotal: skipped.length };
}

/** 1234567 → '1.2 MB'; 2048 → '2.0 KB'; 512 → '512 B'. */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1e6) return `${(n / 1000).toFixed(1)} KB`;
  if (n < 1e9) return `${(n / 1e6).toFixed(1)} MB`;
  return `${(n / 1e9).toFixed(1)} GB`;
}

/** One line: '12 files, 340.2 KB: TypeScript 8 files (200.1 KB), C 4 files (140.1 KB)'. */
export function formatCorpusHeadline(s: CorpusSummaryView, maxLanguages = 5): string {
  const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;
  const langs = s.languages
    .slice(0, maxLanguages)
    .map((l) => `${l.language} ${plural(l.files, 'file')} (${formatBytes(l.bytes)})`);
  const more = s.languages.length > maxLanguages ? `, +${s.languages.length - maxLanguages} more` : '';
  return `${plural(s.files, 'file')}, ${formatBytes(s.bytes)}${langs.length ? `: ${langs.join(', ')}${more}` : ''}`;
}

/** What was left out and why: 'Skipped 5: vendored 2, .gitignore 2, minified 1. 1 file read as Latin-1/UTF-16.' */
export function formatCorpusDetail(s: CorpusSummaryView): string {
  const parts: string[] = [];
  if (s.skippedTotal > 0) {
    const reasons = (Object.entries(s.skipped) as [SkipReason, number][])
      .sort((a, b) => b[1] - a[1])
      .map(([r, n]) => `${SKIP_REASON_TEXT[r]} ${n}`);
    parts.push(`Skipped ${s.skippedTotal}: ${reasons.join(', ')}.`);
  } else parts.push('Nothing skipped.');
  if (s.notUtf8 > 0)
    parts.push(`${s.notUtf8} file${s.notUtf8 === 1 ? '' : 's'} not UTF-8 (read as Latin-1 or UTF-16).`);
  return parts.join(' ');
}
