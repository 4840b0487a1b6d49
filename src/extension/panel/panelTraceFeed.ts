// Keeps the panel's gate traces on the editor cursor: on cursor moves, edits,
// editor switches and selection changes it asks the analysis worker for the
// window of characters around the cursor (engine values of every signal of
// the layer) and posts the toggled cells' series. Throttled: at most one
// query in flight, and one more afterwards if something changed meanwhile.
// Also the editor side of the charts: hovering a point highlights its
// character, clicking moves the cursor there.

import * as vscode from 'vscode';
import type { EditorFeatures } from '../editor/editorFeatures';
import { isCancelled } from '../lens/analysisSession';
import { traceFromWindow, windowAround } from './panelTrace';
import type { TraceData } from '../../protocol/panelProtocol';
import { errorMessage } from '../../core/util/errors';

const THROTTLE_MS = 120;

export class PanelTraceFeed implements vscode.Disposable {
  trace: TraceData | null = null;
  private lastEditor: vscode.TextEditor | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private again = false;
  private readonly highlight = vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor('editor.wordHighlightStrongBackground'),
    borderColor: new vscode.ThemeColor('editorCursor.foreground'),
    borderStyle: 'solid',
    borderWidth: '1px',
  });
  private readonly disposables: vscode.Disposable[] = [this.highlight];

  constructor(
    private readonly editor: EditorFeatures,
    private readonly opts: {
      windowSize: () => number;
      /** Only compute while the panel is shown. */
      live: () => boolean;
      post: (trace: TraceData | null) => void;
      status: (text: string) => void;
      log: vscode.LogOutputChannel;
    },
  ) {
    this.lastEditor = this.usable(vscode.window.activeTextEditor);
    this.disposables.push(
      vscode.window.onDidChangeTextEditorSelection((e) => this.usable(e.textEditor) && this.schedule(e.textEditor)),
      vscode.window.onDidChangeActiveTextEditor((e) => this.usable(e) && this.schedule(e)),
      vscode.workspace.onDidChangeTextDocument((e) => e.document === this.lastEditor?.document && this.schedule()),
    );
  }

  /** Asks for a new trace soon (leading edge, then at most every THROTTLE_MS). */
  schedule(editor?: vscode.TextEditor): void {
    if (editor) this.lastEditor = editor;
    if (this.timer !== undefined) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, THROTTLE_MS);
  }

  /** Highlights the character at `offset` (null clears) if the trace it came from is still current. */
  hover(uri: string, version: number, offset: number | null): void {
    const ed = this.editorFor(uri);
    if (!ed) return;
    if (offset === null || !this.current(ed, version)) {
      ed.setDecorations(this.highlight, []);
      return;
    }
    ed.setDecorations(this.highlight, [this.charRange(ed.document, offset)]);
  }

  /** Moves the cursor of the editor showing `uri` to `offset` (keeps focus in the panel). */
  async reveal(uri: string, version: number, offset: number): Promise<void> {
    const ed = this.editorFor(uri);
    if (!ed) throw new Error(`cannot move the cursor: ${uri} is not open in an editor`);
    if (!this.current(ed, version)) {
      this.opts.status('The chart is out of date (the text changed); it will follow the cursor again in a moment.');
      this.schedule(ed);
      return;
    }
    const range = this.charRange(ed.document, offset);
    const shown = await vscode.window.showTextDocument(ed.document, {
      viewColumn: ed.viewColumn,
      preserveFocus: true,
      selection: new vscode.Selection(range.start, range.start),
    });
    shown.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      await this.query();
    } catch (e) {
      if (!isCancelled(e)) {
        const message = errorMessage(e);
        this.opts.log.warn(`panel trace: ${message}`);
        this.opts.status(`Gate traces: ${message}`);
      }
    } finally {
      this.running = false;
      if (this.again) {
        this.again = false;
        this.schedule();
      }
    }
  }

  private async query(): Promise<void> {
    const ed = this.lastEditor;
    const { state, lens } = this.editor;
    if (!this.opts.live() || !ed || ed.document.isClosed) return;
    const layer = state.layer;
    const cells = state.toggled.filter((c) => c.layer === layer).map((c) => c.cell);
    if (cells.length === 0) {
      this.setTrace(null);
      return;
    }
    const model = await lens.ensureModel();
    if (!model) return;
    const doc = ed.document;
    if (!(await lens.syncDocument(doc))) {
      this.opts.status(lens.notice ?? `${doc.fileName} is not analysed`);
      return;
    }
    // Length and window text without copying the whole document on every edit.
    const length = doc.offsetAt(doc.lineAt(doc.lineCount - 1).range.end);
    const cursor = doc.offsetAt(ed.selection.active);
    const range = windowAround(cursor, length, this.opts.windowSize());
    if (!range) {
      this.setTrace(null);
      return;
    }
    const session = lens.session;
    const version = session.version;
    const kind = model.info.layers[layer]?.kind;
    if (!kind) throw new RangeError(`layer ${layer} does not exist in ${model.name}`);
    const window = await session.getWindow(layer, range.start, range.end);
    if (session.version !== version || !lens.isCurrent(doc) || state.model !== model) {
      this.again = true; // the text or model changed while we asked: ask again
      return;
    }
    const now = state.toggled.filter((c) => c.layer === window.layer).map((c) => c.cell);
    const textStart = window.offsets[0];
    const text = doc.getText(
      new vscode.Range(doc.positionAt(textStart), doc.positionAt(window.offsets[window.offsets.length - 1])),
    );
    this.setTrace(
      traceFromWindow({ uri: doc.uri.toString(), version, kind, text, textStart, cursor, cells: now, window }),
    );
    this.opts.status('');
  }

  private setTrace(trace: TraceData | null): void {
    this.trace = trace;
    this.opts.post(trace);
  }

  private current(ed: vscode.TextEditor, version: number): boolean {
    return this.editor.lens.session.version === version && this.editor.lens.isCurrent(ed.document);
  }

  private editorFor(uri: string): vscode.TextEditor | undefined {
    if (this.lastEditor?.document.uri.toString() === uri) return this.lastEditor;
    return vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri);
  }

  /** The range of the one code point at `offset` (two UTF-16 units for a surrogate pair). */
  private charRange(doc: vscode.TextDocument, offset: number): vscode.Range {
    const start = doc.positionAt(offset);
    const cp = doc.getText(new vscode.Range(start, doc.positionAt(offset + 2))).codePointAt(0);
    return new vscode.Range(start, doc.positionAt(offset + (cp !== undefined && cp > 0xffff ? 2 : 1)));
  }

  private usable(e: vscode.TextEditor | undefined): vscode.TextEditor | undefined {
    return e && (e.document.uri.scheme === 'file' || e.document.uri.scheme === 'untitled') ? e : undefined;
  }
}
