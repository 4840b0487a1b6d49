// Colours the active editor by the primary cell's signal (or surprisal):
// tells the worker which document and which range is visible (plus a margin,
// so small scrolls need no new pass), and paints the values it pushes for
// that range. Only offsets → ranges and setDecorations run here.
// Redraws are throttled (at most one per REDRAW_MS while values stream in
// during typing); scrolls are debounced. Values for an older text are dropped:
// decorations already move with edits until the new values arrive.

import * as vscode from 'vscode';
import type { ValuesResult } from '../../protocol/analysisProtocol';
import type { BucketDecorations } from './bucketDecorations';
import { bucketRuns } from './colourMap';
import { drawRuleOf } from './colourRule';
import type { LensController } from '../lens/lensController';
import type { LensSettings } from '../lens/lensSettings';
import { isColouredDocument } from '../lens/lensSettings';

const REDRAW_MS = 60;
const SCROLL_MS = 80;
const MARGIN_LINES = 12;

export class Colouring implements vscode.Disposable {
  private last: ValuesResult | undefined;
  private lastDraw = 0;
  private redrawTimer: NodeJS.Timeout | undefined;
  private scrollTimer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly lens: LensController,
    private readonly decorations: BucketDecorations,
    private readonly settings: () => LensSettings,
  ) {
    const state = lens.state;
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(() => void this.refresh()),
      vscode.window.onDidChangeTextEditorVisibleRanges(
        (e) => e.textEditor === vscode.window.activeTextEditor && this.scrolled(),
      ),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === vscode.window.activeTextEditor?.document) this.scrolled();
      }),
      state.onDidChange((changed) => {
        if (changed.has('colouring') || changed.has('model') || changed.has('overlay')) void this.refresh();
        else if (changed.has('labels'))
          this.scheduleRedraw(); // a label may turn the cell into a detector drawn by its threshold
        else if (changed.has('signal') || changed.has('mode') || changed.has('primary')) {
          // Signal: redraw from the values we hold. Cell or mode: the worker re-runs and pushes.
          if (changed.has('signal') && !changed.has('primary')) this.scheduleRedraw();
          else this.scrolled();
        }
      }),
    );
  }

  /** Called with every values push of the current session version. */
  onValues(values: ValuesResult): void {
    this.last = values;
    this.scheduleRedraw();
  }

  /** Re-evaluates the active editor: sync its document, send its visible range, or clear colours. */
  async refresh(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    for (const e of vscode.window.visibleTextEditors) if (e !== editor) this.decorations.clear(e);
    if (!editor || !this.wanted(editor.document)) {
      if (editor) this.decorations.clear(editor);
      return;
    }
    if (!(await this.lens.syncDocument(editor.document))) {
      this.decorations.clear(editor);
      return;
    }
    await this.sendVisible(editor);
    this.scheduleRedraw(); // values we already hold (e.g. colouring switched back on)
  }

  /** Rebuild after a settings change (opacity, languages, cap). */
  settingsChanged(): void {
    this.decorations.rebuild(this.settings().opacity);
    void this.refresh().then(() => this.redraw());
  }

  dispose(): void {
    clearTimeout(this.redrawTimer);
    clearTimeout(this.scrollTimer);
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private wanted(doc: vscode.TextDocument): boolean {
    const s = this.settings();
    const state = this.lens.state;
    return state.colouring && !state.overlay && isColouredDocument(s, doc.languageId, doc.uri.scheme);
  }

  private scrolled(): void {
    clearTimeout(this.scrollTimer);
    this.scrollTimer = setTimeout(() => void this.refresh(), SCROLL_MS);
  }

  private async sendVisible(editor: vscode.TextEditor): Promise<void> {
    const doc = editor.document;
    const ranges = editor.visibleRanges;
    if (ranges.length === 0 || !this.lens.isCurrent(doc)) return;
    const first = Math.max(0, ranges[0].start.line - MARGIN_LINES);
    const lastLine = Math.min(doc.lineCount - 1, ranges[ranges.length - 1].end.line + MARGIN_LINES);
    const start = doc.offsetAt(new vscode.Position(first, 0));
    const end = doc.offsetAt(doc.lineAt(lastLine).rangeIncludingLineBreak.end);
    const viewStart = doc.offsetAt(new vscode.Position(ranges[0].start.line, 0));
    const viewEnd = doc.offsetAt(doc.lineAt(ranges[ranges.length - 1].end.line).rangeIncludingLineBreak.end);
    try {
      await this.lens.session.setVisible(start, end, viewStart, viewEnd);
    } catch {
      // Cancelled by a newer version (the next edit sends its own range) or no model: nothing to paint.
    }
  }

  private scheduleRedraw(): void {
    if (this.redrawTimer) return;
    const wait = Math.max(0, REDRAW_MS - (Date.now() - this.lastDraw));
    this.redrawTimer = setTimeout(() => {
      this.redrawTimer = undefined;
      this.redraw();
    }, wait);
  }

  private redraw(): void {
    this.lastDraw = Date.now();
    const editor = vscode.window.activeTextEditor;
    const v = this.last;
    if (!editor || !v || !this.wanted(editor.document)) return;
    const doc = editor.document;
    // Offsets are those of the text the worker analysed; paint only if that is the editor's text now.
    if (!this.lens.isCurrent(doc) || v.version !== this.lens.session.version) return;
    const state = this.lens.state;
    let runs;
    if (state.mode === 'surprisal') {
      if (!v.surprisal) return; // the worker re-runs with surprisal on and pushes again
      runs = bucketRuns('surprisal', v.offsets, v.surprisal, v.valid);
    } else {
      const { layer, cell } = state.primary;
      const series = v.series.find((s) => s.layer === layer && s.cell === cell && s.signal === state.signal);
      if (!series) return; // values of the previous selection: the new ones are on their way
      // Only the pushed range's text, to leave line ends uncoloured.
      const o0 = v.offsets[0];
      const text = doc.getText(new vscode.Range(doc.positionAt(o0), doc.positionAt(v.offsets[v.offsets.length - 1])));
      const rule = drawRuleOf(
        state.mode,
        state.signal,
        state.labelFor(state.primary, state.signal),
        this.settings().colourStyle,
      );
      runs = bucketRuns(rule.rule, v.offsets, series.values, v.valid, (a, b) => text.slice(a - o0, b - o0));
    }
    this.decorations.paint(editor, runs);
  }
}
