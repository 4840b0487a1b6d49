// LSTM Lens: Compare With Model… and End Comparison. The other model comes
// from the argument ({ path }, for tests and links) or a pick among the
// models Choose Model… lists (the active one left out).

import * as path from 'path';
import * as vscode from 'vscode';
import type { EditorFeatures } from '../editor/editorFeatures';
import type { PairOverlayController } from './pairOverlay';
import type { ComparedModel } from './pairSources';
import { Command } from '../commands';
import { errorMessage } from '../../core/util/errors';

export function registerCompareCommands(
  context: vscode.ExtensionContext,
  editor: EditorFeatures,
  controller: PairOverlayController<ComparedModel>,
): void {
  const compare = async (args?: { path?: string }): Promise<string[] | undefined> => {
    const ed = vscode.window.activeTextEditor;
    if (!ed) {
      void vscode.window.showInformationMessage('LSTM Lens: open a file to compare two models on it.');
      return undefined;
    }
    const active = await editor.lens.ensureModel();
    if (!active) return undefined;
    let other: ComparedModel | undefined;
    if (args?.path) other = { path: args.path, name: path.basename(args.path, '.onnx') };
    else {
      const entries = (await editor.registry.list()).filter((e) => e.id !== active.id);
      if (entries.length === 0) {
        void vscode.window.showInformationMessage(
          'LSTM Lens: there is no other model to compare with. Train one on the workspace or choose a model file first.',
        );
        return undefined;
      }
      const pick = await vscode.window.showQuickPick(
        entries.map((e) => ({ label: e.name, description: e.source, detail: e.path, entry: e })),
        { title: `LSTM Lens: Compare ${active.name} With…`, matchOnDetail: true },
      );
      if (!pick) return undefined;
      other = { path: pick.entry.path, name: pick.entry.name };
    }
    try {
      return await controller.start(ed.document, other);
    } catch (e) {
      void vscode.window.showErrorMessage(`LSTM Lens: cannot compare with ${other.name}: ${errorMessage(e)}`);
      return undefined;
    }
  };
  const clear = async (): Promise<void> => {
    if (!controller.isActive) {
      void vscode.window.showInformationMessage('LSTM Lens: no comparison is on.');
      return;
    }
    await controller.clear('comparison ended');
  };
  context.subscriptions.push(
    vscode.commands.registerCommand(Command.CompareWithModel, compare),
    vscode.commands.registerCommand(Command.ClearComparison, clear),
  );
}
