// The hover while an intervention or a comparison is on: the character's
// surprisal by both analyses, and their next-character guesses, from the
// worker (never computed here). The cell hover steps aside meanwhile.

import * as vscode from 'vscode';
import { Command } from '../commands';
import type { PairOverlayController } from './pairOverlay';
import { visibleChar } from '../editor/hoverText';

export class PairHoverProvider implements vscode.HoverProvider {
  constructor(private readonly controllers: readonly PairOverlayController<unknown>[]) {}

  async provideHover(
    doc: vscode.TextDocument,
    position: vscode.Position,
    token: vscode.CancellationToken,
  ): Promise<vscode.Hover | undefined> {
    const line = doc.lineAt(position.line);
    if (position.character >= line.text.length) return undefined;
    const offset = doc.offsetAt(position);
    const controller = this.controllers.find((c) => c.surprisalAt(doc, offset));
    const bits = controller?.surprisalAt(doc, offset);
    if (!controller || !bits) return undefined;
    const guesses = await controller.guessesAt(doc, offset);
    if (token.isCancellationRequested) return undefined;
    const ch = String.fromCodePoint(doc.getText(new vscode.Range(position, position.translate(0, 2))).codePointAt(0)!);
    const delta = controller.difference(bits);
    const { before, after } = controller.columns;
    const out = [
      `**LSTM Lens ${controller.name}** ${controller.description ?? ''}`,
      '',
      `surprisal of \`${visibleChar(ch)}\` (line ${position.line + 1}, column ${position.character + 1}): ` +
        `${bits.before.toFixed(2)} → **${bits.after.toFixed(2)}** bits ` +
        `(${delta >= 0 ? '+' : '−'}${Math.abs(delta).toFixed(2)}) · ${before} → ${after}`,
      '',
    ];
    if (guesses) {
      const row = (top: { char: string; p: number }[]): string =>
        top.map((g) => `\`${visibleChar(g.char)}\` ${(100 * g.p).toFixed(1)}%`).join(' · ');
      out.push('| next | guesses |', '|:--|:--|');
      out.push(`| ${before} | ${row(guesses.before.top)} |`, `| ${after} | ${row(guesses.after.top)} |`, '');
    }
    out.push(`${controller.legend} · [Undo](command:${controller.undo})`);
    const md = new vscode.MarkdownString(out.join('\n'));
    md.isTrusted = { enabledCommands: [Command.ClearIntervention, Command.ClearComparison] };
    return new vscode.Hover(md, new vscode.Range(position, position.translate(0, ch.length)));
  }
}
