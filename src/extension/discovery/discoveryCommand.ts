// "LSTM Lens: Discover Interpretable Cells": choose the sample (the open file
// or ~200 kB of workspace files, discoverySample.ts) → score every cell of the
// active model in a worker (discoveryStarter.ts) behind a cancellable progress
// notification, cached per model + sample in global storage
// (core/analysis/discoveryStore.ts) → labels into the lens state (Select Cell,
// hovers, the panel's cell list) → the Markdown report (cellReport.ts) in a
// preview of a read-only virtual document.
// The report documents are discoveryReports.ts; labels restored when a model
// becomes active, discoveryLabelRestore.ts.

import * as vscode from 'vscode';
import type { SampleText } from '../../core/analysis/cacheKey';
import { Command } from '../commands';
import { gatherWorkspaceCorpus } from '../training/corpusGatherer';
import { applyLabels, minScoreOf, progressLine, rememberDiscovery, summaryLine } from './discoveryLabels';
import type { OpeningPolicy } from './discoveryLabels';
import {
  DISCOVERY_INDEX_KEY,
  discoveryStoreDir,
  isActiveModel,
  modelFingerprint,
  registerLabelRestore,
} from './discoveryLabelRestore';
import { registerDiscoveryReports } from './discoveryReports';
import { openFileSample, SAMPLE_CHARS, SAMPLE_READ_BYTES, workspaceSample } from './discoverySample';
import { startDiscovery } from './discoveryStarter';
import type { DiscoveryRun } from './discoveryStarter';
import type { ActiveModel, LensState } from '../lens/lensState';
import { readTrainingSettings } from '../training/trainingSettings';
import { errorMessage } from '../../core/util/errors';

export interface DiscoveryDeps {
  state: LensState;
  /** The active model, loaded on first need (LensController.ensureModel). */
  ensureModel(): Promise<ActiveModel | undefined>;
  log: vscode.LogOutputChannel;
  /** dist/discoveryWorker.js */
  workerPath: string;
  /** Whether labels may open the lens on a detector (the user chose no cell, no signal). */
  opening(): OpeningPolicy;
}

/** What the command resolves with (for tests); undefined when cancelled or failed. */
export interface DiscoverCommandResult {
  cacheKey: string;
  cached: boolean;
  labels: number;
  reportUri: string;
  sample: 'file' | 'workspace';
}

export type SampleChoice = 'file' | 'workspace';

export function registerDiscovery(context: vscode.ExtensionContext, deps: DiscoveryDeps): void {
  const storeDir = discoveryStoreDir(context);
  const reports = registerDiscoveryReports(context);
  let current: DiscoveryRun | undefined;
  let busy = false;
  registerLabelRestore(
    context,
    deps.state,
    deps.log,
    () => busy,
    () => deps.opening(),
  );

  context.subscriptions.push(
    vscode.commands.registerCommand(
      Command.DiscoverCells,
      async (arg?: { sample?: SampleChoice }): Promise<DiscoverCommandResult | undefined> => {
        if (busy) {
          void vscode.window.showWarningMessage(
            'LSTM Lens: cell discovery is already running; cancel it from its notification first.',
          );
          return undefined;
        }
        busy = true;
        try {
          return await discover(arg?.sample);
        } catch (err) {
          if (err instanceof vscode.CancellationError) return undefined;
          const message = errorMessage(err);
          deps.log.error(`cell discovery: ${message}`);
          void vscode.window.showErrorMessage(`LSTM Lens: cell discovery failed: ${message}`);
          return undefined;
        } finally {
          busy = false;
          current = undefined;
        }
      },
    ),
    { dispose: () => current?.cancel() },
  );

  async function discover(preset: SampleChoice | undefined): Promise<DiscoverCommandResult | undefined> {
    if (preset !== undefined && preset !== 'file' && preset !== 'workspace')
      throw new Error(`sample must be 'file' or 'workspace', got ${JSON.stringify(preset)}`);
    const editor = sourceEditor();
    const choice = preset ?? (await pickSample(editor));
    if (!choice) return undefined;
    const model = await deps.ensureModel();
    if (!model) throw new Error('no model is loaded (see the LSTM Lens output for why)');

    let texts: SampleText[];
    if (choice === 'file') {
      if (!editor) throw new Error('no source file is open: open one, or choose the workspace sample');
      const doc = editor.document;
      texts = openFileSample(vscode.workspace.asRelativePath(doc.uri, false), doc.getText(), doc.languageId);
    } else {
      const cfg = vscode.workspace.getConfiguration('lstmLens');
      const { settings } = readTrainingSettings((k) => cfg.get(k));
      const corpus = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: 'LSTM Lens: sampling workspace files',
          cancellable: true,
        },
        (progress, token) =>
          gatherWorkspaceCorpus(
            { ...settings, maxTotalBytes: Math.min(settings.maxTotalBytes, SAMPLE_READ_BYTES) },
            token,
            (message) => progress.report({ message }),
          ),
      );
      texts = workspaceSample(corpus.files);
    }
    const minAbsR = minScoreSetting(deps.log);
    deps.log.info(
      `cell discovery: ${model.name} on ${texts.length} text(s), ${texts.reduce((n, t) => n + t.text.length, 0)} characters, label threshold ${minAbsR}: ${texts.map((t) => `${t.name} (${t.language})`).join(', ')}`,
    );

    const end = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `LSTM Lens: discovering interpretable cells of ${model.name}`,
        cancellable: true,
      },
      async (progress, token) => {
        let shown = 0;
        progress.report({ message: 'loading the model…' });
        const run = startDiscovery(
          deps.workerPath,
          {
            modelPath: model.path,
            texts,
            storeDir,
            maxChars: SAMPLE_CHARS,
            label: { minAbsR },
            probes: { floor: true },
          },
          (p) => {
            const line = progressLine(p);
            const increment = Math.max(0, line.percent - shown);
            shown += increment;
            progress.report({ message: line.message, increment });
          },
        );
        current = run;
        token.onCancellationRequested(() => run.cancel());
        return run.done;
      },
    );
    if (end.status === 'cancelled') {
      deps.log.info('cell discovery cancelled');
      return undefined;
    }
    const { stored, cached, seconds, file } = end.outcome;
    const summary = summaryLine(stored.discovery, stored.texts.length, seconds, cached);
    deps.log.info(`cell discovery of ${model.name}: ${summary} → ${file}`);
    await context.globalState.update(
      DISCOVERY_INDEX_KEY,
      rememberDiscovery(context.globalState.get(DISCOVERY_INDEX_KEY), await modelFingerprint(model), stored.cacheKey),
    );
    if (isActiveModel(deps.state, model)) applyLabels(deps.state, stored.discovery, deps.opening(), stored.probes);
    else deps.log.warn(`the active model changed during discovery: the labels of ${model.name} are cached, not shown`);
    const uri = await reports.show(stored, model.name);
    void vscode.window.showInformationMessage(`LSTM Lens: ${summary}.`);
    return {
      cacheKey: stored.cacheKey,
      cached,
      labels: stored.discovery.labels.length,
      reportUri: uri.toString(),
      sample: choice,
    };
  }
}

/** The editor whose file "Open file" samples: the active text editor, else a visible file/untitled one. */
function sourceEditor(): vscode.TextEditor | undefined {
  const ok = (e: vscode.TextEditor | undefined): boolean =>
    !!e && (e.document.uri.scheme === 'file' || e.document.uri.scheme === 'untitled');
  const active = vscode.window.activeTextEditor;
  return ok(active) ? active : vscode.window.visibleTextEditors.find(ok);
}

async function pickSample(editor: vscode.TextEditor | undefined): Promise<SampleChoice | undefined> {
  const items: (vscode.QuickPickItem & { choice: SampleChoice })[] = [];
  if (editor)
    items.push({
      label: 'Open file',
      description: vscode.workspace.asRelativePath(editor.document.uri, false),
      choice: 'file',
    });
  if ((vscode.workspace.workspaceFolders ?? []).length > 0) {
    items.push({
      label: 'Workspace sample (~200 kB)',
      description: 'files drawn from every language of the workspace',
      choice: 'workspace',
    });
  }
  if (items.length === 0) throw new Error('open a source file or a folder first: discovery scores cells over code');
  const pick = await vscode.window.showQuickPick(items, {
    title: 'LSTM Lens: Discover Interpretable Cells',
    placeHolder: 'Which text to score every cell on (results are cached per model and sample)',
  });
  return pick?.choice;
}

/** lstmLens.discovery.minScore; a bad value is logged and the default used. */
function minScoreSetting(log: vscode.LogOutputChannel): number {
  const r = minScoreOf(vscode.workspace.getConfiguration('lstmLens').get<unknown>('discovery.minScore'));
  if (r.problem) log.warn(r.problem);
  return r.minScore;
}
