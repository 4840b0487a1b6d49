// Gathers source files from folders on disk for the CLI (`lstm-lens train`,
// `lstm-lens label`) with the same rules as the workspace gatherer of the
// extension (corpusFilter.ts): vendored/build folders, generated, minified,
// binary and huge files are skipped, .gitignore files met on the walk are
// honoured, non-UTF-8 text is decoded without throwing, and a total size cap
// samples every folder (planBySize) instead of taking the first ones.

import * as fs from 'fs';
import * as path from 'path';
import type { DecodedText, SkipReason } from './corpusFilter';
import {
  SKIP_REASON_TEXT,
  bytesLookBinary,
  contentSkipReason,
  decodeText,
  pathSkipReason,
  planBySize,
} from './corpusFilter';
import type { CorpusSummaryView } from './corpusSummary';
import { summarizeCorpus } from './corpusSummary';
import { IgnoreRules } from './gitignore';

export interface DiskGatherOptions {
  maxFileBytes?: number; // per file, default 1 MB
  maxTotalBytes?: number; // whole corpus, default 50 MB
  /** Keep only files whose path passes this test (files named explicitly always pass). */
  accept?: (relPath: string) => boolean;
}

export interface DiskFile {
  name: string; // path as given on the command line joined with the relative path
  text: string;
  encoding: DecodedText['encoding'];
}

export interface DiskCorpus {
  files: DiskFile[];
  skipped: { path: string; reason: SkipReason }[];
  summary: CorpusSummaryView;
}

interface Candidate {
  relPath: string; // '/'-separated, relative to its root, for the path rules
  file: string; // on disk
  size: number;
  explicit: boolean;
}

/**
 * Walks `roots` (files or folders). Throws naming a root that does not exist,
 * or a file named explicitly that cannot be used (the user asked for it).
 */
export function gatherDiskFiles(roots: string[], options: DiskGatherOptions = {}): DiskCorpus {
  const maxFile = options.maxFileBytes ?? 1_000_000;
  const maxTotal = options.maxTotalBytes ?? 50_000_000;
  const skipped: DiskCorpus['skipped'] = [];
  const candidates: Candidate[] = [];

  for (const root of roots) {
    let st: fs.Stats;
    try {
      st = fs.statSync(root);
    } catch {
      throw new Error(`${root}: no such file or folder`);
    }
    if (st.isFile()) {
      candidates.push({ relPath: path.basename(root), file: root, size: st.size, explicit: true });
      continue;
    }
    const ignore = new IgnoreRules();
    const walk = (dir: string, rel: string): void => {
      const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
      const gi = entries.find((e) => e.isFile() && e.name === '.gitignore');
      if (gi) ignore.add(rel, fs.readFileSync(path.join(dir, gi.name), 'utf8'));
      for (const e of entries) {
        const relPath = rel ? `${rel}/${e.name}` : e.name;
        const file = path.join(dir, e.name);
        if (e.isDirectory()) {
          // The path rules look at folders of a file's path: test a child name.
          const reason = pathSkipReason(`${relPath}/x`);
          if (reason) skipped.push({ path: file, reason });
          else if (ignore.ignores(`${relPath}/`)) skipped.push({ path: file, reason: 'gitignored' });
          else if (!e.name.startsWith('.')) walk(file, relPath);
          continue;
        }
        if (!e.isFile() || e.name.startsWith('.')) continue;
        const reason = pathSkipReason(relPath) ?? (ignore.ignores(relPath) ? 'gitignored' : undefined);
        if (reason) skipped.push({ path: file, reason });
        else if (!options.accept || options.accept(relPath)) {
          candidates.push({ relPath, file, size: fs.statSync(file).size, explicit: false });
        }
      }
    };
    walk(root, '');
  }

  const plan = planBySize(candidates, maxFile, maxTotal);
  const skip = (c: Candidate, reason: SkipReason): void => {
    if (c.explicit) throw new Error(`${c.file}: not used — ${SKIP_REASON_TEXT[reason]}`);
    skipped.push({ path: c.file, reason });
  };
  for (const c of plan.huge) skip(c, 'huge');
  for (const c of plan.overBudget) skip(c, 'overBudget');
  const files: DiskFile[] = [];
  const included: { relPath: string; chars: number; bytes: number; encoding: DecodedText['encoding'] }[] = [];
  for (const c of plan.take.sort((a, b) => (a.file < b.file ? -1 : 1))) {
    let bytes: Uint8Array;
    try {
      bytes = fs.readFileSync(c.file);
    } catch {
      skip(c, 'unreadable');
      continue;
    }
    if (bytesLookBinary(bytes)) {
      skip(c, 'binary');
      continue;
    }
    const decoded = decodeText(bytes);
    const reason = contentSkipReason(decoded.text);
    if (reason) {
      skip(c, reason);
      continue;
    }
    files.push({ name: c.file, text: decoded.text, encoding: decoded.encoding });
    included.push({ relPath: c.relPath, chars: decoded.text.length, bytes: bytes.length, encoding: decoded.encoding });
  }
  return {
    files,
    skipped,
    summary: summarizeCorpus(
      included,
      skipped.map((s) => s.reason),
    ),
  };
}
