// Gathers a training corpus from files and folders on disk (CLI; the VS Code
// side gathers with its own file search and excludes, then calls the trainer
// with the texts). Skips what would teach the model nothing about hand-written
// code: vendored and build folders, binaries, minified or generated files,
// and huge files. Non-UTF-8 bytes decode to U+FFFD (the unknown character).

import * as fs from 'fs';
import * as path from 'path';
import type { CorpusFile } from './corpusSplit';

export const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'out', 'build', '.git', '.hg', '.svn', 'vendor', 'target', '__pycache__', 'coverage', '.next', '.venv', 'venv', 'bower_components', '.vscode-test']);
const SKIPPED_NAMES = /(\.min\.(js|css)|\.map|\.lock|-lock\.json|\.pb|\.onnx|\.bundle\.js)$/i;

export interface GatherOptions {
  maxFileBytes?: number; // 1 MB
  maxTotalBytes?: number; // 50 MB
}

export interface GatherResult {
  files: CorpusFile[];
  skipped: { path: string; reason: string }[];
  totalChars: number;
  /** Files and characters per extension, most characters first. */
  languages: { ext: string; files: number; chars: number }[];
}

/** Why a file's content should not be trained on, or undefined when it is fine. */
export function rejectReason(bytes: Uint8Array): string | undefined {
  const head = bytes.subarray(0, 8192);
  if (head.includes(0)) return 'binary (NUL bytes)';
  const text = new TextDecoder('utf-8').decode(head);
  let bad = 0;
  for (const ch of text) if (ch === '\uFFFD') bad++;
  if (bad > text.length * 0.1) return 'binary (not text)';
  const sample = new TextDecoder('utf-8').decode(bytes.subarray(0, 200_000));
  const lines = sample.split('\n');
  const longest = lines.reduce((m, l) => Math.max(m, l.length), 0);
  if (longest > 5000 || (lines.length > 0 && sample.length / lines.length > 250)) return 'minified or generated (very long lines)';
  return undefined;
}

export function gatherFiles(roots: string[], options: GatherOptions = {}): GatherResult {
  const maxFile = options.maxFileBytes ?? 1_000_000;
  const maxTotal = options.maxTotalBytes ?? 50_000_000;
  const files: CorpusFile[] = [];
  const skipped: GatherResult['skipped'] = [];
  let total = 0;
  const visit = (p: string): void => {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch (e) {
      throw new Error(`cannot read ${p}: ${(e as Error).message}`);
    }
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) {
        if (SKIPPED_DIRS.has(name)) {
          skipped.push({ path: path.join(p, name), reason: 'vendored or build folder' });
          continue;
        }
        if (name.startsWith('.') && name !== '.') continue; // hidden files and folders
        visit(path.join(p, name));
      }
      return;
    }
    if (!st.isFile()) return;
    if (SKIPPED_NAMES.test(p)) return void skipped.push({ path: p, reason: 'generated or binary by name' });
    if (st.size > maxFile) return void skipped.push({ path: p, reason: `larger than ${maxFile} bytes` });
    if (st.size === 0) return;
    if (total + st.size > maxTotal) return void skipped.push({ path: p, reason: `total size cap ${maxTotal} bytes reached` });
    const bytes = fs.readFileSync(p);
    const reason = rejectReason(bytes);
    if (reason) return void skipped.push({ path: p, reason });
    const text = new TextDecoder('utf-8').decode(bytes);
    files.push({ name: p, text });
    total += text.length;
  };
  for (const r of roots) visit(r);
  const byExt = new Map<string, { files: number; chars: number }>();
  for (const f of files) {
    const ext = path.extname(f.name).toLowerCase() || '(none)';
    const e = byExt.get(ext) ?? { files: 0, chars: 0 };
    e.files++;
    e.chars += f.text.length;
    byExt.set(ext, e);
  }
  const languages = [...byExt.entries()].map(([ext, v]) => ({ ext, ...v })).sort((a, b) => b.chars - a.chars);
  return { files, skipped, totalChars: total, languages };
}
