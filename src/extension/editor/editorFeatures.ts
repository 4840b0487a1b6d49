// Wires the editor features into activate(): the analysis session
// (worker spawned on first need, so activation stays light), lens state
// (restored per workspace), model registry, colouring, hover, status bar,
// commands and settings. Every disposable goes into context.subscriptions;
// settings changes apply at once (decorations are rebuilt).
// Returns the shared pieces for the panel and the training command.

import * as path from 'path';
import * as vscode from 'vscode';
import { AnalysisSession } from '../lens/analysisSession';
import { BucketDecorations } from './bucketDecorations';
import { Colouring } from './colouring';
import { drawRuleOf, legendMarkdown, manifestColours } from './colourRule';
import { registerEditorCommands } from './editorCommands';
import { LensHoverProvider } from './hoverProvider';
import { LensController } from '../lens/lensController';
import type { LensSettings } from '../lens/lensSettings';
import { readSettings, SETTING_KEYS } from '../lens/lensSettings';
import type { OpeningPolicy } from '../discovery/discoveryLabels';
import { LensState } from '../lens/lensState';
import { LensStatusBar } from './lensStatusBar';
import { ModelRegistry } from '../lens/modelRegistry';
import { errorMessage } from '../../core/util/errors';

const STATE_KEY = 'lstmLens.lens';

export interface EditorFeatures {
  state: LensState;
  lens: LensController;
  registry: ModelRegistry;
  /** The lstmLens.* settings as they are now. */
  settings(): LensSettings;
  /** Whether labels may open the lens on a detector: not once the user chose a cell or set the default cell or signal. */
  opening(): OpeningPolicy;
}

/** Whether the user (or the workspace) set lstmLens.<key>, rather than leaving the default. */
function userSet(key: string): boolean {
  const i = vscode.workspace.getConfiguration('lstmLens').inspect(key);
  return i?.globalValue !== undefined || i?.workspaceValue !== undefined || i?.workspaceFolderValue !== undefined;
}

export function registerEditorFeatures(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): EditorFeatures {
  let settings: LensSettings = load();
  function load(): LensSettings {
    const cfg = vscode.workspace.getConfiguration('lstmLens');
    const r = readSettings((k) => cfg.get(k));
    for (const p of r.problems) log.warn(p);
    return r.settings;
  }
  const getSettings = (): LensSettings => settings;

  const state = new LensState();
  state.colouring = settings.colouringEnabled;
  // The default.* settings apply when the user set them; otherwise the labels open the lens on a detector.
  state.primary = { layer: settings.defaultLayer, cell: settings.defaultCell };
  state.chosen = userSet(SETTING_KEYS.defaultLayer) || userSet(SETTING_KEYS.defaultCell);
  state.signal = settings.defaultSignal;
  state.restore(context.workspaceState.get(STATE_KEY));
  const opening = (): OpeningPolicy => ({ open: !state.chosen, keepSignal: userSet(SETTING_KEYS.defaultSignal) });

  let colouring: Colouring | undefined;
  let statusBar: LensStatusBar | undefined;
  // Bundled workers sit next to dist/extension.js.
  const session = new AnalysisSession(path.join(__dirname, 'analysisWorker.js'), {
    onValues: (v) => colouring?.onValues(v),
    onProgress: (p) => statusBar?.setProgress(p.done, p.total),
    onError: (m) => log.error(`analysis: ${m}`),
    onCrash: (m) => {
      log.error(m);
      void colouring?.refresh();
    },
  });
  const registry = new ModelRegistry(context);
  const lens = new LensController(session, state, registry, log, getSettings);
  const decorations = new BucketDecorations(settings.opacity);
  colouring = new Colouring(lens, decorations, getSettings);
  const themeColours = (): Record<string, string> => {
    const kinds = { 1: 'light', 2: 'dark', 3: 'highContrast', 4: 'highContrastLight' } as const;
    const contributes = (context.extension.packageJSON as { contributes?: { colors?: unknown } }).contributes;
    return manifestColours(contributes?.colors, kinds[vscode.window.activeColorTheme.kind] ?? 'dark');
  };
  const legend = (): string =>
    legendMarkdown(
      drawRuleOf(state.mode, state.signal, state.labelFor(state.primary, state.signal), settings.colourStyle),
      themeColours(),
    );
  statusBar = new LensStatusBar(state, legend);

  context.subscriptions.push(
    registry,
    lens,
    decorations,
    colouring,
    statusBar,
    lens.onNotice.event((n) => statusBar.setNotice(n)),
    lens.onModelLoading.event((name) => statusBar.setLoading(name)),
    state.onDidChange(() => void context.workspaceState.update(STATE_KEY, state.persisted())),
    vscode.languages.registerHoverProvider(
      [{ scheme: 'file' }, { scheme: 'untitled' }],
      new LensHoverProvider(lens, getSettings, legend),
    ),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('lstmLens')) return;
      const before = settings;
      settings = load();
      if (e.affectsConfiguration('lstmLens.statusBar.show')) statusBar.applyVisibility();
      if (settings.colouringEnabled !== before.colouringEnabled) state.setColouring(settings.colouringEnabled);
      try {
        if (settings.defaultLayer !== before.defaultLayer || settings.defaultCell !== before.defaultCell) {
          state.selectCell({ layer: settings.defaultLayer, cell: settings.defaultCell });
        }
        if (settings.defaultSignal !== before.defaultSignal) state.setSignal(settings.defaultSignal);
      } catch (err) {
        log.warn(`default cell/signal setting: ${errorMessage(err)}`);
      }
      if (e.affectsConfiguration('lstmLens.model.path') || settings.draftPaint !== before.draftPaint)
        void registry.active().then((entry) => lens.useModel(entry));
      colouring.settingsChanged();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(
      () => void registry.active().then((entry) => (entry.id !== state.model?.id ? lens.useModel(entry) : undefined)),
    ),
  );
  registerEditorCommands(context, lens);

  // First need: colour the active editor if it is one we colour (loads the model in the worker).
  void colouring.refresh();
  return { state, lens, registry, opening, settings: getSettings };
}
