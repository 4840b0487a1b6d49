// A second analysis of the active document beside the model's own, host
// side: an intervention (the model with cells clamped) or a comparison (a
// second model). Asks the worker to start it (PairSource), paints the
// difference in surprisal per character (overlayRuns.ts) in place of the
// cell colouring, keeps a status bar item with the undo, fills the panel's
// list of the characters that differ most, and answers the hover's
// "before → after". Edits re-fetch the result (debounced); the worker moves
// a clamped range with the text. Switching to another document ends it.

import * as vscode from 'vscode';
import type { InterventionNextResult, InterventionResult, NextResult } from '../../protocol/analysisProtocol';
import type { PanelChangedChar, PanelIntervention } from '../../protocol/panelProtocol';
import { isCancelled } from '../lens/analysisSession';
import type { EditorFeatures } from '../editor/editorFeatures';
import { BucketDecorations } from '../editor/bucketDecorations';
import type { Command } from '../commands';
import type { AnalysisSession } from '../lens/analysisSession';
import type { Overlay } from '../lens/lensState';
import { deltaRuns, mean, mostChanged, stepAt } from './overlayRuns';
import { errorMessage } from '../../core/util/errors';

const REFETCH_MS = 300;
const CHANGED_LISTED = 25;

interface Active {
  uri: string;
  described: string[];
}

/** What differs between an intervention and a comparison: the worker calls and the words. */
export interface PairSource<Args> {
  overlay: Overlay;
  /** Status bar item id and name. */
  id: string;
  name: string;
  icon: string;
  undo: Command;
  /** What the second analysis is called in the panel's columns ("after", "B"). */
  columns: { before: string; after: string };
  /** The colour rule in words, for the tooltip and the hover. */
  legend: string;
  /** Paint after − before (true, an intervention) or before − after (false: A − B of a comparison). */
  afterMinusBefore: boolean;
  begin(session: AnalysisSession, args: Args): Promise<{ described: string[] }>;
  fetch(session: AnalysisSession): Promise<InterventionResult>;
  next(session: AnalysisSession, offset: number): Promise<InterventionNextResult>;
  end(session: AnalysisSession): Promise<void>;
  /** Extra rows for the panel once a result is in (the cell matches of a comparison). */
  extra?(session: AnalysisSession): Promise<Pick<PanelIntervention, 'matches'>>;
}

export class PairOverlayController<Args> implements vscode.Disposable {
  private active: Active | undefined;
  private result: InterventionResult | undefined;
  private timer: NodeJS.Timeout | undefined;
  private fetching = 0;
  private readonly decorations: BucketDecorations;
  private readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly editor: EditorFeatures,
    private readonly source: PairSource<Args>,
    private readonly panel: (p: PanelIntervention | null) => void,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.decorations = new BucketDecorations(editor.settings().opacity);
    this.item = vscode.window.createStatusBarItem(source.id, vscode.StatusBarAlignment.Right, 99);
    this.item.name = source.name;
    this.item.command = source.undo;
    this.disposables.push(
      this.decorations,
      this.item,
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.active && e.document.uri.toString() === this.active.uri && e.contentChanges.length) this.schedule();
      }),
      vscode.window.onDidChangeActiveTextEditor((ed) => {
        if (!this.active || !ed) return;
        if (ed.document.uri.toString() !== this.active.uri) {
          void this.clear(`${source.name} ended: another document is active`);
        } else this.paint();
      }),
      editor.state.onDidChange((changed) => {
        if (changed.has('model') && this.active) void this.clear(`${source.name} ended: the model changed`);
        if (changed.has('overlay') && this.active && editor.state.overlay !== source.overlay)
          void this.clear(undefined);
      }),
    );
  }

  get isActive(): boolean {
    return this.active !== undefined;
  }

  /** Starts (replacing any) the second analysis of the active editor's document. */
  async start(doc: vscode.TextDocument, args: Args): Promise<string[]> {
    const lens = this.editor.lens;
    if (!(await lens.syncDocument(doc))) throw new Error(lens.notice ?? 'the document is not analysed');
    const r = await this.source.begin(lens.session, args);
    this.active = { uri: doc.uri.toString(), described: r.described };
    this.result = undefined;
    if (this.source.overlay === 'intervention') this.editor.state.intervention = r.described.join('; ');
    this.editor.state.setOverlay(this.source.overlay);
    this.showItem(undefined);
    this.post('computing', 'Running both over the document…');
    this.log.info(`${this.source.name}: ${r.described.join('; ')} on ${doc.uri.toString()}`);
    await this.fetch();
    return r.described;
  }

  /** Ends it: the worker drops it, the cell colouring comes back. `why` is logged. */
  async clear(why: string | undefined): Promise<void> {
    if (!this.active) return;
    this.active = undefined;
    this.result = undefined;
    clearTimeout(this.timer);
    this.decorations.clearAll();
    this.item.hide();
    this.panel(null);
    if (this.source.overlay === 'intervention') this.editor.state.intervention = undefined;
    if (this.editor.state.overlay === this.source.overlay) this.editor.state.setOverlay(undefined);
    if (why) this.log.info(why);
    try {
      await this.source.end(this.editor.lens.session);
    } catch (e) {
      this.log.warn(`ending ${this.source.name}: ${errorMessage(e)}`);
    }
  }

  get legend(): string {
    return this.source.legend;
  }

  get name(): string {
    return this.source.name;
  }

  get undo(): Command {
    return this.source.undo;
  }

  /** after − before (an intervention) or before − after (a comparison's A − B). */
  difference(bits: { before: number; after: number }): number {
    return this.source.afterMinusBefore ? bits.after - bits.before : bits.before - bits.after;
  }

  get columns(): { before: string; after: string } {
    return this.source.columns;
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
      return await this.source.next(this.editor.lens.session, offset);
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
      const session = this.editor.lens.session;
      const r = await this.source.fetch(session);
      if (mine !== this.fetching || this.active !== active) return;
      this.result = r;
      this.active.described = r.described;
      if (this.source.overlay === 'intervention') this.editor.state.intervention = r.described.join('; ');
      this.paint();
      this.postResult(r, {});
      if (this.source.extra) {
        const extra = await this.source.extra(session);
        if (mine === this.fetching && this.active === active) this.postResult(r, extra);
      }
    } catch (e) {
      if (isCancelled(e) || this.active !== active) return; // a newer edit fetches again
      this.post('failed', errorMessage(e));
      this.log.warn(`${this.source.name}: ${errorMessage(e)}`);
    }
  }

  private paint(): void {
    const ed = vscode.window.activeTextEditor;
    const r = this.result;
    if (!ed || !r || !this.current(ed.document)) return;
    const doc = ed.document;
    const text = doc.getText();
    const [from, to] = this.source.afterMinusBefore ? [r.before, r.after] : [r.after, r.before];
    this.decorations.paint(
      ed,
      deltaRuns(r.offsets, from, to, (a, b) => text.slice(a, b)),
    );
    this.showItem(mean(to) - mean(from));
  }

  private showItem(delta: number | undefined): void {
    const what = this.description ?? '';
    this.item.text =
      delta === undefined ? `$(sync~spin) ${what}` : `${this.source.icon} ${what} · ${signed(delta)} bits/char`;
    this.item.tooltip = new vscode.MarkdownString(
      `**LSTM Lens ${this.source.name}**: ${what}\n\nThe editor shows the difference in surprisal of every ` +
        `character (${this.source.legend}).\n\nClick to undo.`,
    );
    this.item.show();
  }

  private postResult(r: InterventionResult, extra: Pick<PanelIntervention, 'matches'>): void {
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
      columns: this.source.columns,
      ...extra,
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
      columns: this.source.columns,
    });
  }
}

function signed(x: number): string {
  return `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(2)}`;
}
