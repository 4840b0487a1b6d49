// The intervention on the active document, host side: asks the worker to
// analyse the document with cells clamped too, paints the change in
// surprisal per character (overlayRuns.ts) in place of the cell colouring,
// keeps a status bar item with the undo, fills the panel's list of the
// characters that changed most, and answers the hover's "before → after".
// Edits re-fetch the result (debounced); the worker moves the clamped range
// with the text. Switching to another document ends the intervention.

import * as vscode from 'vscode';
import type { InterventionRequest, InterventionResult, NextResult } from '../../protocol/analysisProtocol';
import type { PanelChangedChar, PanelIntervention } from '../../protocol/panelProtocol';
import { isCancelled } from '../lens/analysisSession';
import type { EditorFeatures } from '../editor/editorFeatures';
import { BucketDecorations } from '../editor/bucketDecorations';
import { Command } from '../commands';
import { deltaRuns, mean, mostChanged, stepAt } from './overlayRuns';
import { errorMessage } from '../../core/util/errors';

const REFETCH_MS = 300;
const CHANGED_LISTED = 25;

interface Active {
  uri: string;
  requests: InterventionRequest[];
  described: string[];
}

export class InterventionController implements vscode.Disposable {
  private active: Active | undefined;
  private result: InterventionResult | undefined;
  private timer: NodeJS.Timeout | undefined;
  private fetching = 0;
  private readonly decorations: BucketDecorations;
  private readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly editor: EditorFeatures,
    private readonly panel: (p: PanelIntervention | null) => void,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.decorations = new BucketDecorations(editor.settings().opacity);
    this.item = vscode.window.createStatusBarItem('lstmLens.intervention', vscode.StatusBarAlignment.Right, 99);
    this.item.name = 'LSTM Lens intervention';
    this.item.command = Command.ClearIntervention;
    this.disposables.push(
      this.decorations,
      this.item,
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.active && e.document.uri.toString() === this.active.uri && e.contentChanges.length) this.schedule();
      }),
      vscode.window.onDidChangeActiveTextEditor((ed) => {
        if (!this.active || !ed) return;
        if (ed.document.uri.toString() !== this.active.uri) {
          void this.clear('the intervention ended: another document is active');
        } else this.paint();
      }),
      editor.state.onDidChange((changed) => {
        if (changed.has('model') && this.active) void this.clear('the intervention ended: the model changed');
        if (changed.has('overlay') && this.active && editor.state.overlay !== 'intervention')
          void this.clear(undefined);
      }),
    );
  }

  get isActive(): boolean {
    return this.active !== undefined;
  }

  /** Starts (replacing any) an intervention on the active editor's document. */
  async start(doc: vscode.TextDocument, requests: InterventionRequest[]): Promise<string[]> {
    const lens = this.editor.lens;
    if (!(await lens.syncDocument(doc))) throw new Error(lens.notice ?? 'the document is not analysed');
    const r = await lens.session.intervene(requests);
    this.active = { uri: doc.uri.toString(), requests, described: r.described };
    this.result = undefined;
    this.editor.state.intervention = r.described.join('; ');
    this.editor.state.setOverlay('intervention');
    this.showItem(undefined);
    this.post('computing', 'Running the model with the clamp over the document…');
    this.log.info(`intervention: ${r.described.join('; ')} on ${doc.uri.toString()}`);
    await this.fetch();
    return r.described;
  }

  /** Ends the intervention: the worker drops it, the cell colouring comes back. `why` is logged. */
  async clear(why: string | undefined): Promise<void> {
    if (!this.active) return;
    this.active = undefined;
    this.result = undefined;
    clearTimeout(this.timer);
    this.decorations.clearAll();
    this.item.hide();
    this.panel(null);
    this.editor.state.intervention = undefined;
    if (this.editor.state.overlay === 'intervention') this.editor.state.setOverlay(undefined);
    if (why) this.log.info(why);
    try {
      await this.editor.lens.session.clearIntervention();
    } catch (e) {
      this.log.warn(`clearing the intervention: ${errorMessage(e)}`);
    }
  }

  /** Surprisal before and after at the character at `offset` of the current result, if it covers it. */
  surprisalAt(doc: vscode.TextDocument, offset: number): { before: number; after: number } | undefined {
    const r = this.current(doc);
    if (!r) return undefined;
    const t = stepAt(r.offsets, offset);
    return t < 0 ? undefined : { before: r.before[t], after: r.after[t] };
  }

  /** Next-character guesses after the character at `offset`, without and with. */
  async guessesAt(
    doc: vscode.TextDocument,
    offset: number,
  ): Promise<{ before: NextResult; after: NextResult } | undefined> {
    if (!this.current(doc)) return undefined;
    try {
      return await this.editor.lens.session.getInterventionNext(offset, 5);
    } catch {
      return undefined;
    }
  }

  get description(): string | undefined {
    return this.active?.described.join('; ');
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private current(doc: vscode.TextDocument): InterventionResult | undefined {
    const r = this.result;
    if (!r || !this.active || doc.uri.toString() !== this.active.uri) return undefined;
    const lens = this.editor.lens;
    return r.version === lens.session.version && lens.isCurrent(doc) ? r : undefined;
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.fetch(), REFETCH_MS);
  }

  private async fetch(): Promise<void> {
    const active = this.active;
    if (!active) return;
    const mine = ++this.fetching;
    try {
      const r = await this.editor.lens.session.getIntervention();
      if (mine !== this.fetching || this.active !== active) return;
      this.result = r;
      this.active.described = r.described;
      this.editor.state.intervention = r.described.join('; ');
      this.paint();
      this.postResult(r);
    } catch (e) {
      if (isCancelled(e) || this.active !== active) return; // a newer edit fetches again
      this.post('failed', errorMessage(e));
      this.log.warn(`intervention: ${errorMessage(e)}`);
    }
  }

  private paint(): void {
    const ed = vscode.window.activeTextEditor;
    const r = this.result;
    if (!ed || !r || !this.current(ed.document)) return;
    const doc = ed.document;
    const text = doc.getText();
    this.decorations.paint(
      ed,
      deltaRuns(r.offsets, r.before, r.after, (a, b) => text.slice(a, b)),
    );
    const delta = mean(r.after) - mean(r.before);
    this.showItem(delta);
  }

  private showItem(delta: number | undefined): void {
    const what = this.description ?? '';
    this.item.text = delta === undefined ? `$(sync~spin) ${what}` : `$(beaker) ${what} · ${signed(delta)} bits/char`;
    this.item.tooltip = new vscode.MarkdownString(
      `**LSTM Lens intervention**: ${what}\n\nThe editor shows the change in surprisal of every character ` +
        '(red: harder to predict with the clamp, blue: easier; full colour at ±4 bits).\n\nClick to undo.',
    );
    this.item.show();
  }

  private postResult(r: InterventionResult): void {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === this.active?.uri);
    if (!doc) return;
    const changed: PanelChangedChar[] = mostChanged(r.before, r.after, CHANGED_LISTED).map((t) => {
      const offset = r.offsets[t];
      const pos = doc.positionAt(offset);
      return {
        offset,
        line: pos.line + 1,
        column: pos.character + 1,
        char: doc.getText(new vscode.Range(pos, doc.positionAt(r.offsets[t + 1]))).replace(/\r\n?/, '\n'),
        before: r.before[t],
        after: r.after[t],
      };
    });
    this.panel({
      uri: doc.uri.toString(),
      version: r.version,
      description: r.described.join('; '),
      status: 'done',
      message: '',
      meanBefore: mean(r.before),
      meanAfter: mean(r.after),
      changed,
    });
  }

  private post(status: 'computing' | 'failed', message: string): void {
    if (!this.active) return;
    this.panel({
      uri: this.active.uri,
      version: this.editor.lens.session.version,
      description: this.active.described.join('; '),
      status,
      message,
      meanBefore: 0,
      meanAfter: 0,
      changed: [],
    });
  }
}

function signed(x: number): string {
  return `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(2)}`;
}
