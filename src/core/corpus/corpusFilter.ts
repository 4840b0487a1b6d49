// Which workspace files make a training corpus, as plain functions shared by
// the VS Code command (src/extension/training/corpusGatherer.ts) and any CLI that
// gathers files from paths. No `vscode` import, no file system: callers pass
// relative paths ('/'-separated), sizes and bytes.
//
// A file is skipped, with a reason, when it is
//   vendored   — under a dependency folder (node_modules, vendor, .venv, …);
//   generated  — build output folders (dist, build, out, target, …), lock
//                files, protobuf/codegen names, or a "@generated" /
//                "DO NOT EDIT" header;
//   minified   — *.min.js-style names, or very long lines;
//   binary     — a binary extension, a NUL byte, or mostly control characters;
//   huge       — over the per-file size cap;
//   overBudget — past the total size cap (files are taken in a fixed
//                pseudo-random order by path, so a cap samples every folder);
//   empty      — no characters at all.
// Non-UTF-8 bytes never throw: UTF-16 with a BOM is decoded as such, invalid
// UTF-8 is read as Latin-1 and counted.

import { checkNotBinary, TextInputError } from '../text/textIndex';

export type SkipReason =
  | 'vendored'
  | 'generated'
  | 'minified'
  | 'binary'
  | 'huge'
  | 'overBudget'
  | 'empty'
  | 'gitignored'
  | 'excluded'
  | 'unreadable';

export const SKIP_REASON_TEXT: Readonly<Record<SkipReason, string>> = {
  vendored: 'vendored',
  generated: 'generated',
  minified: 'minified',
  binary: 'binary',
  huge: 'over the file size cap',
  overBudget: 'over the corpus size cap',
  empty: 'empty',
  gitignored: '.gitignore',
  excluded: 'files.exclude / search.exclude',
  unreadable: 'unreadable',
};

/** Dependency folders: never the user's own code. */
export const VENDORED_FOLDERS: readonly string[] = [
  'node_modules',
  'bower_components',
  'jspm_packages',
  'vendor',
  'vendors',
  'third_party',
  'thirdparty',
  'third-party',
  '.venv',
  'venv',
  'site-packages',
  'Pods',
  '.yarn',
  '.pnpm-store',
  '.git',
  '.hg',
  '.svn',
];
/** Build output and caches. */
export const GENERATED_FOLDERS: readonly string[] = [
  'dist',
  'build',
  'out',
  'target',
  'obj',
  'coverage',
  '__pycache__',
  '.tox',
  '.mypy_cache',
  '.pytest_cache',
  '.next',
  '.nuxt',
  '.svelte-kit',
  '.gradle',
  '.cache',
  '.vscode-test',
  '.parcel-cache',
  'generated',
];

const GENERATED_NAME =
  /(^|\/)(package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|Cargo\.lock|poetry\.lock|Pipfile\.lock|composer\.lock|Gemfile\.lock|go\.sum|[^/]*\.lock|[^/]*\.pb\.(go|h|cc)|[^/]*_pb2(_grpc)?\.py|[^/]*\.g\.dart|[^/]*\.freezed\.dart|[^/]*\.designer\.cs|[^/]*\.generated\.[^/]+|[^/]*\.map|[^/]*\.snap)$/i;
const MINIFIED_NAME = /[.-]min\.(js|mjs|cjs|css)$|\.(bundle|chunk)\.(js|css)$/i;
const BINARY_EXT = new Set(
  'png jpg jpeg gif bmp ico icns webp tif tiff psd ai pdf zip gz tgz bz2 xz zst 7z rar jar war ear class exe dll so dylib a o obj lib bin dat db sqlite sqlite3 wasm onnx pt pth pb h5 hdf5 npy npz pkl pickle ckpt safetensors woff woff2 ttf otf eot mp3 mp4 m4a wav ogg flac avi mov mkv webm iso dmg deb rpm msi pyc pyo node vsix xlsx docx pptx'.split(
    ' ',
  ),
);
const GENERATED_HEADER =
  /@generated|\bDO NOT EDIT\b|\bauto-?generated\b|\bgenerated (by|from|with)\b|this file (is|was) (automatically )?generated/i;

/** One glob for findFiles' exclude so the search never walks dependency or build folders. */
export function skippedFoldersGlob(): string {
  return `**/{${[...VENDORED_FOLDERS, ...GENERATED_FOLDERS].join(',')}}/**`;
}

/** The reason to skip a file by its path alone, or undefined. */
export function pathSkipReason(relPath: string): SkipReason | undefined {
  const parts = relPath.split('/');
  const dirs = parts.slice(0, -1);
  if (dirs.some((d) => VENDORED_FOLDERS.includes(d))) return 'vendored';
  if (dirs.some((d) => GENERATED_FOLDERS.includes(d))) return 'generated';
  if (GENERATED_NAME.test(relPath)) return 'generated';
  if (MINIFIED_NAME.test(relPath)) return 'minified';
  const name = parts[parts.length - 1];
  const dot = name.lastIndexOf('.');
  if (dot > 0 && BINARY_EXT.has(name.slice(dot + 1).toLowerCase())) return 'binary';
  return undefined;
}

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'latin1';

export interface DecodedText {
  text: string;
  encoding: TextEncodingName;
}

/** Bytes to text without throwing: BOMs honoured, invalid UTF-8 read as Latin-1. */
export function decodeText(bytes: Uint8Array): DecodedText {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff)
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  const start = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start)), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('latin1').decode(bytes), encoding: 'latin1' };
  }
}

/** True when the bytes look binary before decoding: a NUL in the first 8000 bytes (git's test), unless UTF-16 with a BOM. */
export function bytesLookBinary(bytes: Uint8Array): boolean {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)))
    return false;
  const n = Math.min(bytes.length, 8000);
  for (let j = 0; j < n; j++) if (bytes[j] === 0) return true;
  return false;
}

/**
 * Minified or machine-packed text: average line over 200 characters, or lines
 * over 1000 characters holding more than a third of the text (> 2 kB only).
 */
export function looksMinified(text: string): boolean {
  if (text.length < 2000) return false;
  let lines = 0;
  let longChars = 0;
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    lines++;
    if (end - start > 1000) longChars += end - start;
    if (nl < 0) break;
    start = nl + 1;
  }
  return text.length / lines > 200 || longChars > text.length / 3;
}

/** A generated-code marker in the first 5 lines. */
export function hasGeneratedHeader(text: string): boolean {
  const head = text.slice(0, 2000).split('\n', 5).join('\n');
  return GENERATED_HEADER.test(head);
}

/** The reason to skip a file by its decoded content, or undefined. */
export function contentSkipReason(text: string): SkipReason | undefined {
  if (text.length === 0) return 'empty';
  try {
    checkNotBinary(text);
  } catch (err) {
    if (err instanceof TextInputError) return 'binary';
    throw err;
  }
  if (hasGeneratedHeader(text)) return 'generated';
  if (looksMinified(text)) return 'minified';
  return undefined;
}

/** 32-bit FNV-1a of a path: a fixed pseudo-random order that does not favour any folder. */
export function pathHash(relPath: string): number {
  let h = 0x811c9dc5;
  for (let j = 0; j < relPath.length; j++) {
    h ^= relPath.charCodeAt(j);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export interface CandidateFile {
  relPath: string;
  size: number; // bytes on disk
}

export interface BudgetPlan<F extends CandidateFile> {
  take: F[]; // in pseudo-random path order
  huge: F[];
  overBudget: F[];
}

/** Applies the per-file and total size caps (bytes) to files that passed the path rules. */
export function planBySize<F extends CandidateFile>(
  files: F[],
  maxFileBytes: number,
  maxTotalBytes: number,
): BudgetPlan<F> {
  if (!(maxFileBytes > 0) || !(maxTotalBytes > 0))
    throw new RangeError(`size caps must be positive, got file ${maxFileBytes} and total ${maxTotalBytes} bytes`);
  const plan: BudgetPlan<F> = { take: [], huge: [], overBudget: [] };
  let total = 0;
  const ordered = [...files].sort(
    (a, b) => pathHash(a.relPath) - pathHash(b.relPath) || (a.relPath < b.relPath ? -1 : 1),
  );
  for (const f of ordered) {
    if (f.size > maxFileBytes) plan.huge.push(f);
    else if (total + f.size > maxTotalBytes) plan.overBudget.push(f);
    else {
      total += f.size;
      plan.take.push(f);
    }
  }
  return plan;
}
