// LSTM Lens: Intervene on Cell… and Undo Intervention. The cell, the mode
// (zero, mean, a value, flip the sign) and the range (the whole file, or the
// selection) come from the argument when given (hover links, the panel, the
// tests), else from quick picks that start at the colouring cell.

import * as vscode from 'vscode';
import type { InterventionRequest } from '../../protocol/analysisProtocol';
import type { EditorFeatures } from '../editor/editorFeatures';
import type { PairOverlayController } from './pairOverlay';
import { Command } from '../commands';
import { errorMessage } from '../../core/util/errors';

export interface InterveneArgs {
  layer?: number;
  cell?: number;
  mode?: InterventionRequest['mode'];
  value?: number;
  /** 'selection' clamps only over the selection (default: the whole file). */
  range?: 'file' | 'selection';
}

const MODES: { mode: InterventionRequest['mode']; label: string; detail: string }[] = [
  { mode: 'zero', label: 'Zero', detail: 'h and c := 0 after every character (ablation)' },
  { mode: 'mean', label: 'Mean', detail: 'h and c := their mean over this file (mean ablation)' },
  { mode: 'value', label: 'A value…', detail: 'h and c := a number you give (clamp, steering)' },
  { mode: 'flip', label: 'Flip the sign', detail: 'h and c := minus themselves' },
];

export function registerInterventionCommands(
  context: vscode.ExtensionContext,
  editor: EditorFeatures,
  controller: PairOverlayController<InterventionRequest[]>,
): void {
  const intervene = async (args?: InterveneArgs): Promise<string[] | undefined> => {
    const ed = vscode.window.activeTextEditor;
    if (!ed) {
      void vscode.window.showInformationMessage('LSTM Lens: open a file to intervene on a cell over it.');
      return undefined;
    }
    const model = await editor.lens.ensureModel();
    if (!model) return undefined;
    const request = await ask(editor, ed, args ?? {});
    if (!request) return undefined;
    try {
      return await controller.start(ed.document, [request]);
    } catch (e) {
      void vscode.window.showErrorMessage(`LSTM Lens: cannot intervene: ${errorMessage(e)}`);
      return undefined;
    }
  };
  const clear = async (): Promise<void> => {
    if (!controller.isActive) {
      void vscode.window.showInformationMessage('LSTM Lens: no intervention is on.');
      return;
    }
    await controller.clear('intervention undone');
  };
  context.subscriptions.push(
    vscode.commands.registerCommand(Command.InterveneOnCell, intervene),
    vscode.commands.registerCommand(Command.ClearIntervention, clear),
  );
}

/** The request from the argument, filling what it lacks with quick picks; undefined when cancelled. */
async function ask(
  editor: EditorFeatures,
  ed: vscode.TextEditor,
  args: InterveneArgs,
): Promise<InterventionRequest | undefined> {
  const state = editor.state;
  const info = state.model!.info;
  let layer = args.layer;
  let cell = args.cell;
  if (layer === undefined || cell === undefined) {
    const picked = await pickCell(editor);
    if (!picked) return undefined;
    [layer, cell] = [picked.layer, picked.cell];
  }
  const H = info.layers[layer]?.hiddenSize;
  if (H === undefined || !Number.isInteger(cell) || cell < 0 || cell >= H) {
    void vscode.window.showErrorMessage(`LSTM Lens: the model has no cell L${layer} #${cell}.`);
    return undefined;
  }
  let mode = args.mode;
  if (!mode) {
    const m = await vscode.window.showQuickPick(
      MODES.map((x) => ({ ...x, description: '' })),
      { title: `LSTM Lens: Intervene on L${layer} #${cell}`, placeHolder: 'Set the cell to…' },
    );
    if (!m) return undefined;
    mode = m.mode;
  }
  let value = args.value;
  if (mode === 'value' && value === undefined) {
    const v = await vscode.window.showInputBox({
      title: `LSTM Lens: Clamp L${layer} #${cell}`,
      prompt: 'Value for h and c after every character (h lies in -1..1)',
      value: '1',
      validateInput: (s) => (s.trim() !== '' && Number.isFinite(Number(s)) ? undefined : 'a number'),
    });
    if (v === undefined) return undefined;
    value = Number(v);
  }
  let range = args.range;
  if (!range) {
    if (ed.selection.isEmpty) range = 'file';
    else {
      const sel = ed.selection;
      const r = await vscode.window.showQuickPick(
        [
          {
            label: 'The selection',
            description: `lines ${sel.start.line + 1}–${sel.end.line + 1}`,
            range: 'selection' as const,
          },
          { label: 'The whole file', description: '', range: 'file' as const },
        ],
        { title: `LSTM Lens: Intervene on L${layer} #${cell}`, placeHolder: 'Over which characters?' },
      );
      if (!r) return undefined;
      range = r.range;
    }
  }
  const request: InterventionRequest = { layer, unit: cell, mode, ...(mode === 'value' ? { value } : {}) };
  if (range === 'selection') {
    if (ed.selection.isEmpty) {
      void vscode.window.showErrorMessage('LSTM Lens: nothing is selected to intervene over.');
      return undefined;
    }
    request.start = ed.document.offsetAt(ed.selection.start);
    request.end = ed.document.offsetAt(ed.selection.end);
  }
  return request;
}

/** The colouring cell, the toggled ones and the labelled ones, or any L:K typed in. */
async function pickCell(editor: EditorFeatures): Promise<{ layer: number; cell: number } | undefined> {
  const state = editor.state;
  const seen = new Set<string>();
  const items: (vscode.QuickPickItem & { layer: number; cell: number })[] = [];
  const add = (layer: number, cell: number, why: string): void => {
    const key = `${layer}:${cell}`;
    if (seen.has(key)) return;
    seen.add(key);
    const label = state.labelOf({ layer, cell })?.text;
    items.push({ label: `L${layer} #${cell}`, description: [why, label].filter(Boolean).join(' · '), layer, cell });
  };
  add(state.primary.layer, state.primary.cell, 'colouring the editor');
  for (const c of state.toggled) add(c.layer, c.cell, 'shown in the panel');
  for (const l of state.labels) add(l.layer, l.cell, 'labelled');
  const typed = { label: 'Another cell…', description: 'type layer:unit', layer: -1, cell: -1 };
  const pick = await vscode.window.showQuickPick([...items, typed], {
    title: 'LSTM Lens: Intervene on Cell',
    placeHolder: 'Which cell?',
  });
  if (!pick) return undefined;
  if (pick.layer >= 0) return pick;
  const info = state.model!.info;
  const text = await vscode.window.showInputBox({
    title: 'LSTM Lens: Intervene on Cell',
    prompt: 'Layer and unit, from 0 (for example 0:19)',
    validateInput: (s) => {
      const m = /^\s*(\d+)\s*:\s*(\d+)\s*$/.exec(s);
      if (!m) return 'layer:unit, for example 0:19';
      const H = info.layers[Number(m[1])]?.hiddenSize;
      if (H === undefined) return `the model has ${info.layers.length} layer(s)`;
      return Number(m[2]) < H ? undefined : `layer ${m[1]} has units 0..${H - 1}`;
    },
  });
  if (text === undefined) return undefined;
  const m = /^\s*(\d+)\s*:\s*(\d+)\s*$/.exec(text)!;
  return { layer: Number(m[1]), cell: Number(m[2]) };
}
