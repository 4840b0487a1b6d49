// The status bar item: active model and cell (or surprisal mode), a notice
// when the file is not coloured (too large, binary), model loading and pass
// progress. Click: Select Cell…. Hidden by lstmLens.statusBar.show = false.
// The text comes from a plain function (statusText.ts) for the unit tests.

import * as vscode from 'vscode';
import { Command } from '../commands';
import type { LensState } from '../lens/lensState';
import { cellTitle, describeLayers } from '../lens/lensState';
import { statusText } from './statusText';

export class LensStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private loading: string | undefined;
  private notice: string | undefined;
  private progress: number | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly state: LensState,
    /** What the editor's colours mean now (colourRule.ts legendMarkdown). */
    private readonly legend: () => string,
  ) {
    this.item = vscode.window.createStatusBarItem('lstmLens.status', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'LSTM Lens';
    this.item.command = Command.SelectCell;
    this.disposables.push(
      this.item,
      state.onDidChange(() => this.render()),
    );
    this.applyVisibility();
    this.render();
  }

  setLoading(name: string | undefined): void {
    this.loading = name;
    this.render();
  }

  setNotice(notice: string | undefined): void {
    this.notice = notice;
    this.render();
  }

  setProgress(done: number, total: number): void {
    const p = total > 0 ? done / total : 1;
    if (p === this.progress) return;
    this.progress = p;
    this.render();
  }

  applyVisibility(): void {
    if (vscode.workspace.getConfiguration('lstmLens').get<boolean>('statusBar.show', true)) this.item.show();
    else this.item.hide();
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private render(): void {
    const s = this.state;
    this.item.text = statusText({
      modelName: s.model?.name,
      loading: this.loading,
      notice: this.notice,
      colouring: s.colouring,
      mode: s.mode,
      cell: cellTitle(s.primary),
      signal: s.signal,
      label: s.labelOf(s.primary)?.text,
      progress: this.progress,
    });
    const md = new vscode.MarkdownString();
    md.supportHtml = true; // the legend's colour swatches
    md.appendMarkdown('**LSTM Lens** — click to select a cell\n\n');
    if (s.model) md.appendMarkdown(`Model: ${s.model.name} (${describeLayers(s.model.info)})\n\n`);
    if (this.notice) md.appendText(this.notice);
    else
      md.appendText(
        s.mode === 'surprisal'
          ? 'Colouring: surprisal of each character'
          : `Colouring: ${s.signal} of ${cellTitle(s.primary)}${s.labelOf(s.primary) ? ` — ${s.labelOf(s.primary)!.text}` : ''}`,
      );
    if (!this.notice && s.model) md.appendMarkdown(`\n\n${this.legend()}`);
    this.item.tooltip = md;
  }
}
