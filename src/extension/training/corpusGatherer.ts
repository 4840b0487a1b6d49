// The training corpus of the open workspace: every workspace folder is
// searched with VS Code's own file search (findFiles, which applies
// `files.exclude`), then `search.exclude`, the folders' `.gitignore` files
// and the corpus rules (src/core/corpus/corpusFilter.ts: vendored,
// generated, minified, binary, huge, total cap) are applied. Reads go
// through workspace.fs; decoding never throws (non-UTF-8 → Latin-1).
// Only I/O and light scans run here; training itself runs in a worker.

import * as vscode from 'vscode';
import type { CandidateFile, SkipReason } from '../../core/corpus/corpusFilter';
import {
  bytesLookBinary,
  contentSkipReason,
  decodeText,
  pathSkipReason,
  planBySize,
  skippedFoldersGlob,
} from '../../core/corpus/corpusFilter';
import type { CorpusSummaryView, IncludedFile } from '../../core/corpus/corpusSummary';
import { summarizeCorpus } from '../../core/corpus/corpusSummary';
import { IgnoreRules } from '../../core/corpus/gitignore';
import { excludeMatcher } from '../../core/corpus/globMatch';
import type { CorpusFile } from '../../core/training/corpusSplit';
import type { TrainingSettings } from './trainingSettings';

export interface GatheredCorpus {
  files: CorpusFile[]; // name = path shown to the user (folder-prefixed in multi-root workspaces)
  summary: CorpusSummaryView;
}

interface Candidate extends CandidateFile {
  uri: vscode.Uri;
}

/** At most this many files are considered per workspace folder. */
const MAX_SEARCH_RESULTS = 50_000;
const PARALLEL_IO = 32;

export async function gatherWorkspaceCorpus(
  settings: TrainingSettings,
  token: vscode.CancellationToken,
  report: (message: string) => void = () => undefined,
): Promise<GatheredCorpus> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) throw new Error('no workspace folder is open: open a folder to train on its files');
  const multiRoot = folders.length > 1;
  const skipped: SkipReason[] = [];
  const candidates: Candidate[] = [];

  for (const folder of folders) {
    report(`Searching ${folder.name}…`);
    const rel = (uri: vscode.Uri): string => vscode.workspace.asRelativePath(uri, false).replace(/\\/g, '/');
    const excluded = excludeMatcher({
      ...vscode.workspace.getConfiguration('files', folder.uri).get<Record<string, unknown>>('exclude'),
      ...vscode.workspace.getConfiguration('search', folder.uri).get<Record<string, unknown>>('exclude'),
    });
    const ignore = new IgnoreRules();
    const ignoreFiles = await vscode.workspace.findFiles(
      new vscode.RelativePattern(folder, '**/.gitignore'),
      skippedFoldersGlob(),
      1000,
      token,
    );
    for (const uri of ignoreFiles.sort((a, b) => (a.path < b.path ? -1 : 1))) {
      const p = rel(uri);
      const bytes = await vscode.workspace.fs.readFile(uri).then(undefined, () => undefined);
      if (bytes) ignore.add(p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '', decodeText(bytes).text);
    }
    const found = await vscode.workspace.findFiles(
      new vscode.RelativePattern(folder, settings.include),
      skippedFoldersGlob(),
      MAX_SEARCH_RESULTS,
      token,
    );
    const kept: vscode.Uri[] = [];
    for (const uri of found) {
      const p = rel(uri);
      const reason = pathSkipReason(p) ?? (excluded(p) ? 'excluded' : ignore.ignores(p) ? 'gitignored' : undefined);
      if (reason) skipped.push(reason);
      else kept.push(uri);
    }
    await inBatches(kept, token, async (uri) => {
      const stat = await vscode.workspace.fs.stat(uri).then(undefined, () => undefined);
      if (!stat || (stat.type & vscode.FileType.File) === 0) skipped.push('unreadable');
      else candidates.push({ uri, relPath: multiRoot ? `${folder.name}/${rel(uri)}` : rel(uri), size: stat.size });
    });
  }

  const plan = planBySize(candidates, settings.maxFileBytes, settings.maxTotalBytes);
  skipped.push(...plan.huge.map((): SkipReason => 'huge'), ...plan.overBudget.map((): SkipReason => 'overBudget'));
  report(`Reading ${plan.take.length} files…`);
  const read: { relPath: string; bytes: number; file?: CorpusFile; included?: IncludedFile }[] = [];
  await inBatches(plan.take, token, async (c) => {
    const bytes = await vscode.workspace.fs.readFile(c.uri).then(undefined, () => undefined);
    if (!bytes) return void skipped.push('unreadable');
    if (bytesLookBinary(bytes)) return void skipped.push('binary');
    const { text, encoding } = decodeText(bytes);
    const reason = contentSkipReason(text);
    if (reason) return void skipped.push(reason);
    read.push({
      relPath: c.relPath,
      bytes: bytes.length,
      file: { name: c.relPath, text },
      included: { relPath: c.relPath, chars: text.length, bytes: bytes.length, encoding },
    });
  });
  // Keep the pseudo-random path order of the plan, whatever order the reads finished in.
  const rank = new Map(plan.take.map((c, j) => [c.relPath, j]));
  read.sort((a, b) => rank.get(a.relPath)! - rank.get(b.relPath)!);
  return {
    files: read.map((r) => r.file!),
    summary: summarizeCorpus(
      read.map((r) => r.included!),
      skipped,
    ),
  };
}

async function inBatches<T>(
  items: readonly T[],
  token: vscode.CancellationToken,
  run: (item: T) => Promise<void>,
): Promise<void> {
  for (let j = 0; j < items.length; j += PARALLEL_IO) {
    if (token.isCancellationRequested) throw new vscode.CancellationError();
    await Promise.all(items.slice(j, j + PARALLEL_IO).map(run));
  }
}
