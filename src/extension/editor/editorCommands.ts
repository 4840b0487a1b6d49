// Handlers of the editor commands: Select Cell…, Next/Previous Cell, Toggle
// Colouring, Choose Signal…, Choose Layer…, Choose Model…, Show Surprisal and
// Sample Text From Model…. Each returns what it changed (for tests driving
// them through executeCommand); bad arguments get an error naming them.

import * as vscode from 'vscode';
import type { Signal } from '../../core/model/types';
import { Command } from '../commands';
import { cellPickItems, layerPickItems, parseCellRef, signalPickItems } from './cellPicks';
import type { LensController } from '../lens/lensController';
import type { CellId } from '../lens/lensState';
import { cellTitle } from '../lens/lensState';
import type { ModelEntry } from '../lens/modelSources';
import { fileEntry } from '../lens/modelSources';
import { errorMessage } from '../../core/util/errors';

export function registerEditorCommands(context: vscode.ExtensionContext, lens: LensController): void {
  const state = lens.state;
  const needModel = async (): Promise<boolean> => {
    if (await lens.ensureModel()) return true;
    void vscode.window.showErrorMessage('LSTM Lens: no model is loaded (see the LSTM Lens output for the reason).');
    return false;
  };
  const report = (e: unknown): undefined => {
    void vscode.window.showErrorMessage(`LSTM Lens: ${errorMessage(e)}`);
    return undefined;
  };

  const selectCell = async (arg?: unknown): Promise<CellId | undefined> => {
    if (!(await needModel())) return undefined;
    if (arg !== undefined) {
      const c = arg as Partial<CellId>;
      if (!c || typeof c !== 'object' || !Number.isInteger(c.layer) || !Number.isInteger(c.cell)) {
        return report(new Error(`Select Cell expects { layer, cell } with integer values, got ${JSON.stringify(arg)}`));
      }
      try {
        state.selectCell({ layer: c.layer!, cell: c.cell! });
      } catch (e) {
        return report(e);
      }
      return state.primary;
    }
    const pageButton: vscode.QuickInputButton = {
      iconPath: new vscode.ThemeIcon('info'),
      tooltip: 'Open the cell page',
    };
    const items = cellPickItems(state.model!.info, state.labels, state.primary).map((i) => ({
      ...i,
      buttons: [pageButton],
    }));
    const qp = vscode.window.createQuickPick<(typeof items)[number]>();
    qp.items = items;
    // The row's ⓘ button: the page of that cell, in the panel.
    qp.onDidTriggerItemButton((e) => {
      qp.hide();
      void vscode.commands.executeCommand(Command.ShowCellPage, { layer: e.item.cell.layer, cell: e.item.cell.cell });
    });
    qp.matchOnDescription = true;
    qp.matchOnDetail = true;
    qp.placeholder = 'Cell by index ("L1 #37", "37") or by label; labelled cells first';
    qp.title = `LSTM Lens: Select Cell (now ${cellTitle(state.primary)})`;
    qp.activeItems = items.filter((i) => i.picked);
    const chosen = await new Promise<CellId | undefined>((resolve) => {
      qp.onDidAccept(() => {
        const typed = parseCellRef(qp.value, state.primary.layer);
        const active = qp.activeItems[0]?.cell;
        // A typed reference wins over the fuzzy match's first row ("37" must not pick "L0 #137").
        resolve(
          typed &&
            state.model!.info.layers[typed.layer] &&
            typed.cell < state.model!.info.layers[typed.layer].hiddenSize
            ? typed
            : active,
        );
        qp.hide();
      });
      qp.onDidHide(() => resolve(undefined));
      qp.show();
    });
    qp.dispose();
    if (!chosen) return undefined;
    state.selectCell(chosen);
    return state.primary;
  };

  const chooseSignal = async (arg?: unknown): Promise<string | undefined> => {
    if (!(await needModel())) return undefined;
    const kind = state.model!.info.layers[state.layer].kind;
    let pick: Signal | 'surprisal' | undefined;
    if (typeof arg === 'string') pick = arg as Signal | 'surprisal';
    else {
      const items = signalPickItems(kind, state.signal, state.mode === 'surprisal');
      pick = (
        await vscode.window.showQuickPick(items, {
          title: 'LSTM Lens: Choose Signal',
          placeHolder: `Signal of ${cellTitle(state.primary)} that colours the editor`,
        })
      )?.signal;
    }
    if (!pick) return undefined;
    if (pick === 'surprisal') state.setMode('surprisal');
    else {
      try {
        state.setSignal(pick);
      } catch (e) {
        return report(e);
      }
      state.setMode('activation');
    }
    state.setColouring(true);
    return pick;
  };

  const chooseLayer = async (arg?: unknown): Promise<number | undefined> => {
    if (!(await needModel())) return undefined;
    let layer = typeof arg === 'number' ? arg : undefined;
    if (layer === undefined)
      layer = (
        await vscode.window.showQuickPick(layerPickItems(state.model!.info, state.layer), {
          title: 'LSTM Lens: Choose Layer',
        })
      )?.layer;
    if (layer === undefined) return undefined;
    try {
      state.setLayer(layer);
    } catch (e) {
      return report(e);
    }
    return layer;
  };

  const chooseModel = async (): Promise<string | undefined> => {
    const entries = await lens.registry.list();
    const open = {
      label: '$(folder-opened) Open ONNX File…',
      description: 'a char-level LSTM/GRU model from disk',
      entry: undefined as ModelEntry | undefined,
    };
    const items = [
      ...entries.map((e) => ({
        label: e.name,
        description: `${e.source}${state.model?.id === e.id ? ' (active)' : ''}`,
        detail: e.path,
        entry: e,
      })),
      open,
    ];
    const pick = await vscode.window.showQuickPick(items, { title: 'LSTM Lens: Choose Model', matchOnDetail: true });
    if (!pick) return undefined;
    let entry = pick.entry;
    if (!entry) {
      const uris = await vscode.window.showOpenDialog({
        canSelectMany: false,
        filters: { 'ONNX model': ['onnx'] },
        title: 'LSTM Lens: open a model',
      });
      if (!uris?.[0]) return undefined;
      entry = fileEntry('file', uris[0].fsPath);
    }
    const loaded = await lens.useModel(entry);
    return loaded?.id;
  };

  const sampleText = async (): Promise<string | undefined> => {
    if (!(await needModel())) return undefined;
    const editor = vscode.window.activeTextEditor;
    const selected = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : '';
    let intervened = false;
    const iv = lens.state.intervention;
    if (iv) {
      const pick = await vscode.window.showQuickPick(
        [
          { label: 'With the intervention on', description: iv, on: true },
          { label: 'Without it', description: 'the model as trained', on: false },
        ],
        { title: 'LSTM Lens: Sample Text', placeHolder: 'Sample with the clamped cells (steering)?' },
      );
      if (!pick) return undefined;
      intervened = pick.on;
    }
    const prime = await vscode.window.showInputBox({
      title: 'LSTM Lens: Sample Text (1/3)',
      prompt: 'Prime text the model reads first (may be empty)',
      value: selected.slice(-2000),
    });
    if (prime === undefined) return undefined;
    const t = await vscode.window.showInputBox({
      title: 'LSTM Lens: Sample Text (2/3)',
      prompt: 'Temperature (> 0; lower is safer, higher is wilder)',
      value: '0.8',
      validateInput: (v) => (Number(v) > 0 && Number(v) <= 5 ? undefined : 'a number in (0, 5]'),
    });
    if (t === undefined) return undefined;
    const n = await vscode.window.showInputBox({
      title: 'LSTM Lens: Sample Text (3/3)',
      prompt: 'Characters to generate',
      value: '500',
      validateInput: (v) =>
        Number.isInteger(Number(v)) && Number(v) >= 1 && Number(v) <= 100_000
          ? undefined
          : 'an integer from 1 to 100000',
    });
    if (n === undefined) return undefined;
    try {
      const text = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'LSTM Lens: sampling…' },
        () => lens.session.sample(Number(n), Number(t), prime || undefined, undefined, intervened),
      );
      const doc = await vscode.workspace.openTextDocument({
        content: prime + text,
        language: editor?.document.languageId ?? 'plaintext',
      });
      await vscode.window.showTextDocument(doc, { preview: false });
      return text;
    } catch (e) {
      return report(e);
    }
  };

  context.subscriptions.push(
    vscode.commands.registerCommand(Command.SelectCell, selectCell),
    vscode.commands.registerCommand(Command.NextCell, async () =>
      (await needModel()) ? (state.stepCell(1), state.primary) : undefined,
    ),
    vscode.commands.registerCommand(Command.PreviousCell, async () =>
      (await needModel()) ? (state.stepCell(-1), state.primary) : undefined,
    ),
    vscode.commands.registerCommand(Command.ToggleColouring, () => {
      state.setColouring(!state.colouring);
      return state.colouring;
    }),
    vscode.commands.registerCommand(Command.ChooseSignal, chooseSignal),
    vscode.commands.registerCommand(Command.ChooseLayer, chooseLayer),
    vscode.commands.registerCommand(Command.ChooseModel, chooseModel),
    vscode.commands.registerCommand(Command.ShowSurprisal, () => {
      state.setMode(state.mode === 'surprisal' ? 'activation' : 'surprisal');
      state.setColouring(true);
      return state.mode;
    }),
    vscode.commands.registerCommand(Command.SampleText, sampleText),
  );
}
