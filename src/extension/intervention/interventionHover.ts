// The hover while an intervention is on: the character's surprisal without
// and with the clamp, and the next-character guesses before → after, from
// the worker (never computed here). The cell hover steps aside meanwhile.

import * as vscode from 'vscode';
import { Command } from '../commands';
import type { InterventionController } from './interventionController';
import { visibleChar } from '../editor/hoverText';

export class InterventionHoverProvider implements vscode.HoverProvider {
  constructor(private readonly controller: InterventionController) {}

  async provideHover(
    doc: vscode.TextDocument,
    position: vscode.Position,
    token: vscode.CancellationToken,
  ): Promise<vscode.Hover | undefined> {
    const line = doc.lineAt(position.line);
    if (position.character >= line.text.length) return undefined;
    const offset = doc.offsetAt(position);
    const bits = this.controller.surprisalAt(doc, offset);
    if (!bits) return undefined;
    const guesses = await this.controller.guessesAt(doc, offset);
    if (token.isCancellationRequested) return undefined;
    const ch = String.fromCodePoint(doc.getText(new vscode.Range(position, position.translate(0, 2))).codePointAt(0)!);
    const delta = bits.after - bits.before;
    const out = [
      `**LSTM Lens intervention** ${this.controller.description ?? ''}`,
      '',
      `surprisal of \`${visibleChar(ch)}\` (line ${position.line + 1}, column ${position.character + 1}): ` +
        `${bits.before.toFixed(2)} → **${bits.after.toFixed(2)}** bits (${delta >= 0 ? '+' : '−'}${Math.abs(delta).toFixed(2)})`,
      '',
    ];
    if (guesses) {
      const row = (top: { char: string; p: number }[]): string =>
        top.map((g) => `\`${visibleChar(g.char)}\` ${(100 * g.p).toFixed(1)}%`).join(' · ');
      out.push('| next | guesses |', '|:--|:--|');
      out.push(`| before | ${row(guesses.before.top)} |`, `| after | ${row(guesses.after.top)} |`, '');
    }
    out.push(
      'red: harder to predict with the clamp, blue: easier (full colour at ±4 bits) · ' +
        `[Undo](command:${Command.ClearIntervention})`,
    );
    const md = new vscode.MarkdownString(out.join('\n'));
    md.isTrusted = { enabledCommands: [Command.ClearIntervention] };
    return new vscode.Hover(md, new vscode.Range(position, position.translate(0, ch.length)));
  }
}
