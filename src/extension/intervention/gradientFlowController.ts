// Gradient flow at the cursor, host side: while on, every cursor move
// (debounced) asks the worker for the saliency of the prediction made after
// the character before the cursor, paints the preceding characters by it
// (overlayRuns.ts) in place of the cell colouring, and sends the panel the
// gradient norms against distance, through the input, h and c.

import * as vscode from 'vscode';
import type { SaliencyResultMessage } from '../../protocol/analysisProtocol';
import type { PanelGradientFlow } from '../../protocol/panelProtocol';
import { isCancelled } from '../lens/analysisSession';
import type { EditorFeatures } from '../editor/editorFeatures';
import { BucketDecorations } from '../editor/bucketDecorations';
import { isColouredDocument } from '../lens/lensSettings';
import { Command } from '../commands';
import { flowSeries, saliencyRuns } from './overlayRuns';
import { errorMessage } from '../../core/util/errors';

const FOLLOW_MS = 80;

export class GradientFlowController implements vscode.Disposable {
  private on = false;
  private timer: NodeJS.Timeout | undefined;
  private asked = 0;
  private readonly decorations: BucketDecorations;
  private readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  /** The last result painted, for tests and the log: [UTF-16 offset of the predicting character, covered steps]. */
  last: { at: number; covered: number } | undefined;

  constructor(
    private readonly editor: EditorFeatures,
    private readonly panel: (p: PanelGradientFlow | null) => void,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.decorations = new BucketDecorations(editor.settings().opacity);
    this.item = vscode.window.createStatusBarItem('lstmLens.gradientFlow', vscode.StatusBarAlignment.Right, 98);
    this.item.name = 'LSTM Lens gradient flow';
    this.item.command = Command.ToggleGradientFlow;
    this.disposables.push(
      this.decorations,
      this.item,
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (this.on && e.textEditor === vscode.window.activeTextEditor) this.schedule();
      }),
      vscode.window.onDidChangeActiveTextEditor(() => this.on && this.schedule()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.on && e.document === vscode.window.activeTextEditor?.document) this.schedule();
      }),
      editor.state.onDidChange((changed) => {
        if (changed.has('overlay') && this.on && editor.state.overlay !== 'gradientFlow') this.stop();
        if (changed.has('model') && this.on) this.schedule();
      }),
    );
  }

  get isOn(): boolean {
    return this.on;
  }

  toggle(): boolean {
    if (this.on) this.stop();
    else {
      this.on = true;
      this.editor.state.setOverlay('gradientFlow');
      this.item.text = '$(debug-step-back) Gradient flow';
      this.item.tooltip =
        'LSTM Lens: the characters before the cursor are coloured by how much the next-character guess depends on them ' +
        '(‖∂ ln p / ∂ x‖, by half decades of the largest). Click to turn off.';
      this.item.show();
      this.schedule();
    }
    return this.on;
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private stop(): void {
    this.on = false;
    clearTimeout(this.timer);
    this.asked++;
    this.decorations.clearAll();
    this.item.hide();
    this.panel(null);
    this.last = undefined;
    if (this.editor.state.overlay === 'gradientFlow') this.editor.state.setOverlay(undefined);
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.follow(), FOLLOW_MS);
  }

  private async follow(): Promise<void> {
    const ed = vscode.window.activeTextEditor;
    if (!this.on || !ed) return;
    const doc = ed.document;
    const s = this.editor.settings();
    if (!isColouredDocument(s, doc.languageId, doc.uri.scheme)) return;
    const lens = this.editor.lens;
    if (!(await lens.syncDocument(doc))) return;
    const offset = doc.offsetAt(ed.selection.active);
    const mine = ++this.asked;
    if (offset === 0) {
      this.decorations.clear(ed);
      return;
    }
    try {
      const r = await lens.session.saliency(offset);
      if (mine !== this.asked || !this.on || !lens.isCurrent(doc) || r.version !== lens.session.version) return;
      this.paint(ed, r);
    } catch (e) {
      if (isCancelled(e) || mine !== this.asked) return;
      this.log.warn(`gradient flow: ${errorMessage(e)}`);
    }
  }

  private paint(ed: vscode.TextEditor, r: SaliencyResultMessage): void {
    const doc = ed.document;
    const start = r.offsets[0];
    const text = doc.getText(new vscode.Range(doc.positionAt(start), doc.positionAt(r.offsets[r.offsets.length - 1])));
    this.decorations.paint(
      ed,
      saliencyRuns(r.offsets, r.saliency, (a, b) => text.slice(a - start, b - start)),
    );
    this.last = { at: r.at, covered: r.saliency.length };
    const pos = doc.positionAt(r.at);
    this.panel({
      uri: doc.uri.toString(),
      version: r.version,
      line: pos.line + 1,
      column: pos.character + 1,
      char: doc.getText(new vscode.Range(pos, doc.positionAt(r.offsets[r.offsets.length - 1]))),
      target: r.target,
      p: r.p,
      targetIsGuess: r.targetIsGuess,
      series: flowSeries(r.saliency, r.layers),
    });
  }
}
