// Hover over a character: asks the worker (never computes here) for every
// signal of the shown cells' layers at that character (one-character windows,
// recomputed from the nearest checkpoint, so they are exact even while the
// background pass runs) and the next-character guesses, then builds the text
// with hoverText.ts. Trusted for our Select Cell and Show Panel commands only.

import * as vscode from 'vscode';
import type { Signal } from '../../core/model/types';
import { signalsOf } from '../../core/model/types';
import type { WindowResult } from '../../protocol/analysisProtocol';
import { Command } from '../commands';
import type { LensController } from '../lens/lensController';
import type { LensSettings } from '../lens/lensSettings';
import { isColouredDocument } from '../lens/lensSettings';
import type { ActiveCell, HoverCell } from './hoverText';
import { buildHoverMarkdown, mostActive } from './hoverText';

const ACTIVE_CELLS = 5;

export class LensHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly lens: LensController,
    private readonly settings: () => LensSettings,
    /** What the editor's colours mean now (colourRule.ts legendMarkdown). */
    private readonly legend: () => string,
  ) {}

  async provideHover(
    doc: vscode.TextDocument,
    position: vscode.Position,
    token: vscode.CancellationToken,
  ): Promise<vscode.Hover | undefined> {
    const state = this.lens.state;
    const s = this.settings();
    const pair = state.overlay === 'intervention' || state.overlay === 'comparison';
    if (!state.colouring || pair || !isColouredDocument(s, doc.languageId, doc.uri.scheme)) return undefined;
    const model = state.model;
    if (!model || !this.lens.isCurrent(doc)) return undefined;
    const line = doc.lineAt(position.line);
    if (position.character >= line.text.length) return undefined; // past the end of the line: no character
    const offset = doc.offsetAt(position);
    // This character and the next (each at most 2 UTF-16 units; "\r\n" is one step).
    const near = doc.getText(new vscode.Range(position, doc.positionAt(offset + 5)));
    const ch = String.fromCodePoint(near.codePointAt(0)!);
    const rest = near.slice(ch === '\r' && near[1] === '\n' ? 2 : ch.length);
    const actual = rest.length > 0 ? String.fromCodePoint(rest.codePointAt(0)!) : undefined;

    const cells = state.shownCells();
    const layers = [...new Set([state.primary.layer, ...cells.map((c) => c.layer)])];
    const session = this.lens.session;
    let windows: WindowResult[];
    let next;
    try {
      [windows, next] = await Promise.all([
        Promise.all(layers.map((l) => session.getWindow(l, offset, offset + 1))),
        session.getNext(offset, 5),
      ]);
    } catch {
      return undefined; // the text changed meanwhile (cancelled) or the worker is gone
    }
    if (token.isCancellationRequested) return undefined;
    const at = (w: WindowResult, signal: Signal, cell: number): number | undefined => w.signals[signal]?.[cell];

    const hoverCells: HoverCell[] = cells.map((c, i) => {
      const w = windows[layers.indexOf(c.layer)];
      const kind = model.info.layers[c.layer].kind;
      const values: Partial<Record<Signal, number>> = {};
      for (const sig of signalsOf(kind)) values[sig] = at(w, sig, c.cell);
      return { layer: c.layer, cell: c.cell, primary: i === 0, label: state.labelOf(c)?.text, values };
    });
    const primaryWindow = windows[0];
    const hRow = primaryWindow.signals.h ?? new Float32Array(0);
    const active: ActiveCell[] = mostActive(hRow, ACTIVE_CELLS).map((j) => ({
      layer: state.primary.layer,
      cell: j,
      h: hRow[j],
      label: state.labelOf({ layer: state.primary.layer, cell: j })?.text,
    }));
    const signals = [...signalsOf(model.info.layers[state.primary.layer].kind)];
    for (const c of cells)
      for (const sig of signalsOf(model.info.layers[c.layer].kind)) if (!signals.includes(sig)) signals.push(sig);

    const md = buildHoverMarkdown({
      char: ch === '\r' ? '\n' : ch,
      line: position.line + 1,
      column: position.character + 1,
      modelName: model.name,
      cells: hoverCells,
      signals,
      active,
      next: { top: next.top, actual: actual === '\r' ? '\n' : actual, surprisalBits: next.surprisalBits },
      selectCellUri: (layer, cell) =>
        `command:${Command.SelectCell}?${encodeURIComponent(JSON.stringify([{ layer, cell }]))}`,
      cellPageUri: (layer, cell) =>
        `command:${Command.ShowCellPage}?${encodeURIComponent(JSON.stringify([{ layer, cell }]))}`,
      interveneUri: (layer, cell) =>
        `command:${Command.InterveneOnCell}?${encodeURIComponent(JSON.stringify([{ layer, cell }]))}`,
      showPanelUri: `command:${Command.ShowPanel}`,
    });
    const markdown = new vscode.MarkdownString(`${md}\n\n---\n\n${this.legend()}`);
    markdown.supportHtml = true; // the legend's colour swatches
    markdown.isTrusted = {
      enabledCommands: [Command.SelectCell, Command.ShowCellPage, Command.ShowPanel, Command.InterveneOnCell],
    };
    return new vscode.Hover(markdown, new vscode.Range(position, position.translate(0, ch.length)));
  }
}
