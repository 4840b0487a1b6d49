// The panel's side of the extension host: builds the PanelState from the
// shared lens state (model, layer, toggled and primary cells, labels) and the
// panel's own parts (trace, saturation, training), posts increments while the
// view is live, and acts on the (validated) messages of the webview.
// Cell toggles go to the lens state, so the editor colouring, hovers and the
// saved selection (workspaceState, by editorFeatures.ts) follow the panel.

import * as path from 'path';
import * as vscode from 'vscode';
import { DEFAULT_TRACE_WINDOW, MessageType } from '../../protocol/panelProtocol';
import type {
  FromWebview,
  PanelGradientFlow,
  PanelIntervention,
  PanelModel,
  PanelSelection,
  PanelState,
  SaturationData,
  ToWebview,
} from '../../protocol/panelProtocol';
import type { EditorFeatures } from '../editor/editorFeatures';
import type { PanelHost, PanelViewProvider } from './panelViewProvider';
import { PanelTraceFeed } from './panelTraceFeed';
import { PanelTraining } from './panelTraining';
import { runSaturationWorker, toSaturationData } from '../workers/saturationRunner';
import { CellPages } from './cellPages';
import { Command, View } from '../commands';
import { errorMessage } from '../../core/util/errors';
import { fileEntry } from '../lens/modelSources';

const WINDOW_KEY = 'lstmLens.panel.windowSize';

export class PanelController implements PanelHost, vscode.Disposable {
  readonly training: PanelTraining;
  readonly cellPages: CellPages;
  private readonly feed: PanelTraceFeed;
  private saturation: SaturationData | null = null;
  private intervention: PanelIntervention | null = null;
  private gradientFlow: PanelGradientFlow | null = null;
  private status = '';
  private windowSize: number;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly view: PanelViewProvider,
    private readonly editor: EditorFeatures,
    private readonly log: vscode.LogOutputChannel,
    private readonly distDir: string,
  ) {
    this.windowSize = context.workspaceState.get<number>(WINDOW_KEY, DEFAULT_TRACE_WINDOW);
    this.training = new PanelTraining((training) => this.post({ type: MessageType.Training, training }));
    this.cellPages = new CellPages({
      editor,
      settings: () => editor.settings(),
      log,
      workerPath: path.join(distDir, 'cellPageWorker.js'),
      post: (cellPage) => this.post({ type: MessageType.CellPage, cellPage }),
    });
    this.feed = new PanelTraceFeed(editor, {
      windowSize: () => this.windowSize,
      live: () => this.view.live,
      post: (trace) => this.post({ type: MessageType.Trace, trace }),
      status: (s) => this.setStatus(s),
      log,
    });
    this.disposables.push(
      this.feed,
      this.cellPages,
      editor.state.onDidChange((changed) => {
        if (changed.has('model') || changed.has('labels')) this.post({ type: MessageType.Model, model: this.model() });
        if (changed.has('model')) {
          this.saturation = null;
          this.post({ type: MessageType.Saturation, saturation: null });
        }
        if (changed.has('model') || changed.has('primary') || changed.has('toggled') || changed.has('layer')) {
          this.post({ type: MessageType.Selection, selection: this.selection(), windowSize: this.windowSize });
          this.feed.schedule();
        }
      }),
    );
    view.onBadMessage = (e) => this.log.warn(`panel: ${e}`);
    view.setHost(this);
  }

  snapshot(): Omit<PanelState, 'extensionVersion' | 'engine' | 'engineError'> {
    return {
      model: this.model(),
      selection: this.selection(),
      windowSize: this.windowSize,
      trace: this.feed.trace,
      saturation: this.saturation,
      training: this.training.view,
      cellPage: this.cellPages.state,
      intervention: this.intervention,
      gradientFlow: this.gradientFlow,
      status: this.status,
    };
  }

  /** The intervention section: what is clamped and the characters it changed most (null: none). */
  showIntervention(intervention: PanelIntervention | null): void {
    this.intervention = intervention;
    this.post({ type: MessageType.Intervention, intervention });
  }

  /** The gradient-flow chart of the prediction at the cursor (null: off). */
  showGradientFlow(gradientFlow: PanelGradientFlow | null): void {
    this.gradientFlow = gradientFlow;
    this.post({ type: MessageType.GradientFlow, gradientFlow });
  }

  visibilityChanged(visible: boolean): void {
    if (!visible) return;
    // The panel may be the first thing the user opens: load the model, then chart.
    void this.editor.lens.ensureModel().then(() => this.feed.schedule());
  }

  async handle(msg: FromWebview): Promise<void> {
    const { state } = this.editor;
    switch (msg.type) {
      case MessageType.Ready:
        return;
      case MessageType.ToggleCell: {
        const id = { layer: msg.layer, cell: msg.cell };
        const first = state.toggled.length === 0;
        this.guard(() => state.toggleCell(id, msg.on));
        // The first toggled cell colours the editor (until another is marked primary);
        // toggling off the colouring cell hands colouring to the first cell still toggled.
        if (msg.on && first) this.guard(() => state.selectCell(id));
        const p = state.primary;
        if (!msg.on && p.layer === id.layer && p.cell === id.cell && state.toggled.length > 0)
          this.guard(() => state.selectCell(state.toggled[0]));
        return;
      }
      case MessageType.SetPrimary: {
        const id = { layer: msg.layer, cell: msg.cell };
        this.guard(() => state.selectCell(id));
        this.guard(() => state.toggleCell(id, true));
        return;
      }
      case MessageType.SetLayer:
        this.guard(() => state.setLayer(msg.layer));
        return;
      case MessageType.SetWindowSize:
        this.windowSize = msg.size;
        void this.context.workspaceState.update(WINDOW_KEY, msg.size);
        this.post({ type: MessageType.Selection, selection: this.selection(), windowSize: this.windowSize });
        this.feed.schedule();
        return;
      case MessageType.HoverChar:
        this.feed.hover(msg.uri, msg.version, msg.offset);
        return;
      case MessageType.RevealChar:
        await this.feed.reveal(msg.uri, msg.version, msg.offset);
        return;
      case MessageType.RequestSaturation:
        await this.computeSaturation();
        return;
      case MessageType.OpenCellPage:
        await this.cellPages.open(msg.layer, msg.cell, msg.signal);
        return;
      case MessageType.CancelCellPage:
        this.cellPages.cancel();
        return;
      case MessageType.OpenSnapshot: {
        const file = this.training.snapshotAt(msg.step);
        if (!file) {
          this.setStatus(`The snapshot at step ${msg.step} is no longer kept.`);
          return;
        }
        await this.editor.lens.useModel(fileEntry('workspace', file));
        return;
      }
      case MessageType.OpenPlace:
        try {
          await this.cellPages.openPlace(msg.file, msg.line, msg.column);
        } catch (e) {
          this.setStatus(errorMessage(e));
        }
        return;
      case MessageType.RunCommand:
        // A command with no registered handler: say so in the panel instead of "command not found".
        if (!(await vscode.commands.getCommands(true)).includes(msg.command)) {
          this.setStatus(`${msg.command} is not available in this version yet.`);
          return;
        }
        await vscode.commands.executeCommand(msg.command);
        return;
    }
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private async computeSaturation(): Promise<void> {
    const ed = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
    if (!ed) {
      this.setStatus('Saturation: open a text file first.');
      return;
    }
    const model = await this.editor.lens.ensureModel();
    if (!model) {
      this.setStatus('Saturation: no model is loaded.');
      return;
    }
    const doc = ed.document;
    this.setStatus(`Computing gate saturation of ${path.basename(doc.fileName)}…`);
    try {
      const t0 = Date.now();
      const reply = await runSaturationWorker(path.join(this.distDir, 'saturationWorker.js'), {
        modelPath: model.path,
        text: doc.getText(),
      });
      this.saturation = toSaturationData(doc.uri.toString(), doc.version, reply);
      this.post({ type: MessageType.Saturation, saturation: this.saturation });
      this.log.info(
        `panel: saturation of ${doc.fileName} (${reply.chars} chars${reply.truncated ? ', truncated' : ''}) in ${Date.now() - t0} ms`,
      );
      this.setStatus(reply.truncated ? `Saturation counted over the first ${reply.chars} characters.` : '');
    } catch (e) {
      const message = errorMessage(e);
      this.log.error(`panel: ${message}`);
      this.setStatus(message);
    }
  }

  private model(): PanelModel | null {
    const m = this.editor.state.model;
    if (!m) return null;
    return {
      name: m.name,
      layers: m.info.layers.map((l) => ({ kind: l.kind, hiddenSize: l.hiddenSize })),
      labels: this.editor.state.labels.map((l) => ({
        layer: l.layer,
        cell: l.cell,
        signal: l.signal,
        text: l.text,
        score: l.score,
      })),
    };
  }

  private selection(): PanelSelection {
    const s = this.editor.state;
    return { cells: s.toggled.map((c) => ({ ...c })), primary: { ...s.primary }, layer: s.layer };
  }

  /** Runs a lens state change; a RangeError (cell/layer the model lacks) becomes the panel's status line. */
  private guard(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      const message = errorMessage(e);
      this.log.warn(`panel: ${message}`);
      this.setStatus(message);
    }
  }

  private setStatus(status: string): void {
    if (status === this.status) return;
    this.status = status;
    this.post({ type: MessageType.Status, status });
  }

  private post(message: ToWebview): void {
    this.view.post(message);
  }
}

/** Wires the panel controller to the view host and the editor features; returns it (training feeds its `training`). */
export function registerPanel(
  context: vscode.ExtensionContext,
  view: PanelViewProvider,
  editor: EditorFeatures,
  log: vscode.LogOutputChannel,
): PanelController {
  const controller = new PanelController(context, view, editor, log, __dirname);
  context.subscriptions.push(
    controller,
    // The cell page: of the cell given ({ layer, cell, signal? }, from the hover, the cell list, Select Cell…), else the colouring cell.
    vscode.commands.registerCommand(
      Command.ShowCellPage,
      async (arg?: { layer?: unknown; cell?: unknown; signal?: unknown }) => {
        const state = editor.state;
        const layer = typeof arg?.layer === 'number' ? arg.layer : state.primary.layer;
        const cell = typeof arg?.cell === 'number' ? arg.cell : state.primary.cell;
        const own = state.signal === 'h' || state.signal === 'c' ? state.signal : undefined;
        const signal = arg?.signal === 'h' || arg?.signal === 'c' ? arg.signal : arg === undefined ? own : undefined;
        await vscode.commands.executeCommand(`workbench.view.extension.${View.Container}`);
        await controller.cellPages.open(layer, cell, signal);
      },
    ),
  );
  return controller;
}
