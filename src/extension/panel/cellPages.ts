// The panel's cell page: on request (the panel, the hover, Select Cell…, the
// palette) it draws a sample of the workspace (discovery's sampler, at most
// PAGE_CHARS characters; the open file when no folder is open), profiles the
// cell in a worker (cellPageStarter.ts) with progress and cancel, and posts
// the page. A click on a place opens its file at that line and column.

import * as vscode from 'vscode';
import type { SampleText } from '../../core/analysis/cacheKey';
import { errorMessage } from '../../core/util/errors';
import type { CellPageState } from '../../protocol/panelProtocol';
import { openFileSample, SAMPLE_READ_BYTES, workspaceSample } from '../discovery/discoverySample';
import type { EditorFeatures } from '../editor/editorFeatures';
import type { LensSettings } from '../lens/lensSettings';
import { gatherWorkspaceCorpus } from '../training/corpusGatherer';
import { readTrainingSettings } from '../training/trainingSettings';
import { startCellPage, type CellPageRun } from './cellPageStarter';
import { toPanelCellPage, utf16Column } from './cellPageView';

/** Characters a cell page reads at most: enough places to rank, a few seconds of the bundled model. */
export const PAGE_CHARS = 100_000;
/** A drawn sample is reused this long (pages of several cells in a row read the same files). */
const SAMPLE_TTL_MS = 5 * 60_000;

export interface CellPageDeps {
  editor: EditorFeatures;
  settings(): LensSettings;
  log: vscode.LogOutputChannel;
  /** dist/cellPageWorker.js */
  workerPath: string;
  post(state: CellPageState | null): void;
}

export class CellPages implements vscode.Disposable {
  state: CellPageState | null = null;
  private run: CellPageRun | undefined;
  private sample: { texts: SampleText[]; name: string; at: number } | undefined;
  private request = 0;

  constructor(private readonly deps: CellPageDeps) {}

  /** Computes and shows the page of a cell; `signal` defaults to c on LSTM layers, else h. */
  async open(layer: number, cell: number, signal?: 'h' | 'c'): Promise<void> {
    const model = await this.deps.editor.lens.ensureModel();
    if (!model)
      return this.fail({ layer, cell, signal: signal ?? 'h' }, 'no model is loaded (see the LSTM Lens output)');
    const info = model.info.layers[layer];
    const sig = signal ?? (info?.kind === 'lstm' ? 'c' : 'h');
    const id = { layer, cell, signal: sig };
    if (!info) return this.fail(id, `layer ${layer} does not exist in ${model.name}`);
    if (!(cell >= 0 && cell < info.hiddenSize))
      return this.fail(id, `cell ${cell} is outside layer ${layer} (H = ${info.hiddenSize})`);
    if (sig === 'c' && info.kind !== 'lstm') return this.fail(id, `a ${info.kind.toUpperCase()} layer has no c`);

    this.run?.cancel();
    const mine = ++this.request;
    this.set({
      status: 'computing',
      cell: id,
      done: 0,
      total: 0,
      message: 'drawing a sample of the workspace…',
      page: null,
    });
    try {
      const sample = await this.drawSample();
      if (mine !== this.request) return;
      const run = startCellPage(
        this.deps.workerPath,
        {
          modelPath: model.path,
          texts: sample.texts,
          cell: { layer, unit: cell, signal: sig },
          options: { maxChars: PAGE_CHARS },
        },
        (done, total) => {
          if (mine === this.request)
            this.set({ status: 'computing', cell: id, done, total, message: `reading ${sample.name}…`, page: null });
        },
      );
      this.run = run;
      const end = await run.done;
      if (mine !== this.request) return;
      if (end.status === 'cancelled') {
        this.set({ status: 'cancelled', cell: id, done: 0, total: 0, message: 'cancelled', page: null });
        return;
      }
      const label = this.deps.editor.state.labelFor({ layer, cell }, sig);
      const page = toPanelCellPage(end.profile, {
        label,
        style: this.deps.settings().colourStyle,
        sampleName: sample.name,
        seconds: end.seconds,
        probes: this.deps.editor.state.probes,
      });
      this.deps.log.info(`cell page of L${layer} ${sig}[${cell}] (${model.name}): ${page.summary}`);
      this.set({ status: 'done', cell: id, done: end.profile.count, total: end.profile.count, message: '', page });
    } catch (err) {
      if (mine === this.request) this.fail(id, errorMessage(err));
    } finally {
      if (mine === this.request) this.run = undefined;
    }
  }

  cancel(): void {
    this.run?.cancel();
  }

  /** Opens `file` (a name of the page's sample) at 1-based `line` and code-point `column`. */
  async openPlace(file: string, line: number, column: number): Promise<void> {
    const uri = this.resolve(file);
    if (!uri) throw new Error(`${file} is not a file of the cell page's sample`);
    const doc = await vscode.workspace.openTextDocument(uri);
    const l = Math.min(Math.max(0, line - 1), doc.lineCount - 1);
    const pos = new vscode.Position(l, utf16Column(doc.lineAt(l).text, column));
    await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos), preserveFocus: false });
  }

  dispose(): void {
    this.request++;
    this.run?.cancel();
  }

  private set(state: CellPageState): void {
    this.state = state;
    this.deps.post(state);
  }

  private fail(cell: CellPageState['cell'], message: string): void {
    this.deps.log.warn(`cell page: ${message}`);
    this.set({ status: 'failed', cell, done: 0, total: 0, message, page: null });
  }

  private async drawSample(): Promise<{ texts: SampleText[]; name: string; at: number }> {
    if (this.sample && Date.now() - this.sample.at < SAMPLE_TTL_MS) return this.sample;
    if ((vscode.workspace.workspaceFolders ?? []).length === 0) {
      const doc = vscode.window.activeTextEditor?.document;
      if (!doc) throw new Error('open a folder or a file: a cell page reads code');
      // The open file is read afresh every time: it changes as the user types.
      return {
        texts: openFileSample(vscode.workspace.asRelativePath(doc.uri, false), doc.getText(), doc.languageId),
        name: 'open',
        at: 0,
      };
    }
    const cfg = vscode.workspace.getConfiguration('lstmLens');
    const { settings } = readTrainingSettings((k) => cfg.get(k));
    const source = new vscode.CancellationTokenSource();
    try {
      const corpus = await gatherWorkspaceCorpus(
        { ...settings, maxTotalBytes: Math.min(settings.maxTotalBytes, SAMPLE_READ_BYTES) },
        source.token,
      );
      this.sample = { texts: workspaceSample(corpus.files, PAGE_CHARS), name: 'workspace', at: Date.now() };
      return this.sample;
    } finally {
      source.dispose();
    }
  }

  /** The URI of a sample file name (workspace-relative; folder-prefixed in a multi-root workspace). */
  private resolve(name: string): vscode.Uri | undefined {
    const texts = this.sample?.texts ?? [];
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length === 0) {
      const doc = vscode.window.activeTextEditor?.document;
      return doc && vscode.workspace.asRelativePath(doc.uri, false) === name ? doc.uri : undefined;
    }
    if (!texts.some((t) => t.name === name)) return undefined;
    if (folders.length === 1) return vscode.Uri.joinPath(folders[0].uri, ...name.split('/'));
    const [head, ...rest] = name.split('/');
    const folder = folders.find((f) => f.name === head);
    return folder ? vscode.Uri.joinPath(folder.uri, ...rest) : undefined;
  }
}
