// Activation only wires things up: the status bar item, the panel view and the
// command handlers. Models and onnxruntime load in workers on first need,
// never here and never on the extension host thread.
// Every disposable goes into context.subscriptions.

import * as path from 'path';
import * as vscode from 'vscode';
import { Command, View } from './commands';
import { formatEngineInfo, runEngineInfoWorker } from './workers/engineInfo';
import { PanelViewProvider } from './panel/panelViewProvider';
import { registerEditorFeatures } from './editor/editorFeatures';
import { registerPanel } from './panel/panelController';
import { registerTraining } from './training/trainCommand';
import { registerDiscovery } from './discovery/discoveryCommand';
import { registerResponsiveness } from './diagnostics/responsivenessCommand';
import { registerInterventions } from './intervention/registerInterventions';
import type { EngineInfo } from '../worker/engineProbe';
import { errorMessage } from '../core/util/errors';

export function activate(context: vscode.ExtensionContext): void {
  const declared = (context.extension.packageJSON as { version?: unknown }).version;
  const version = typeof declared === 'string' ? declared : '';
  const log = vscode.window.createOutputChannel('LSTM Lens', { log: true });
  context.subscriptions.push(log);
  log.info(`LSTM Lens ${version} activated`);

  const panel = new PanelViewProvider(context.extensionUri, { extensionVersion: version });
  context.subscriptions.push(
    panel,
    vscode.window.registerWebviewViewProvider(View.Panel, panel, {
      webviewOptions: { retainContextWhenHidden: false },
    }),
  );

  // Editor features: colouring, hovers, status bar, editor commands, model registry.
  const editor = registerEditorFeatures(context, log);
  // Panel: cell list, gate traces, saturation, training curves.
  const panelController = registerPanel(context, panel, editor, log);
  // Training on the workspace: presets, corpus, worker, progress, model storage.
  registerTraining(context, {
    modelsDir: () => editor.registry.workspaceModelsDir(),
    modelsChanged: () => editor.registry.refresh(),
    useModel: (entry) => editor.lens.useModel(entry),
    panel: panelController.training,
    activeModel: () => {
      const m = editor.state.model;
      return m && { name: m.name, path: m.path, layers: m.info.layers, vocabSize: m.info.vocabSize };
    },
    log,
    workerPath: path.join(__dirname, 'trainingWorker.js'),
  });

  // Cell discovery: sample, worker, cache, labels into the lens state, report.
  registerDiscovery(context, {
    state: editor.state,
    ensureModel: () => editor.lens.ensureModel(),
    log,
    workerPath: path.join(__dirname, 'discoveryWorker.js'),
    opening: () => editor.opening(),
  });

  // Event-loop delay of this thread, measured on demand.
  registerResponsiveness(context, log);

  // Interventions (clamp, ablate) and the gradient flow at the cursor.
  registerInterventions(context, editor, panelController, log);

  // Bundled workers sit next to this file in dist/.
  const engineWorker = path.join(__dirname, 'engineInfoWorker.js');

  context.subscriptions.push(
    vscode.commands.registerCommand(Command.ShowPanel, async () => {
      await vscode.commands.executeCommand(`workbench.view.extension.${View.Container}`);
    }),
    // Returns the EngineInfo (undefined after an error) so tests can check it.
    vscode.commands.registerCommand(Command.ShowEngineInfo, async (): Promise<EngineInfo | undefined> => {
      try {
        const info = await runEngineInfoWorker(engineWorker);
        const text = formatEngineInfo(info);
        log.info(text);
        panel.update({ engine: info, engineError: undefined });
        void vscode.window.showInformationMessage(`LSTM Lens: ${text}`);
        return info;
      } catch (err) {
        const message = errorMessage(err);
        log.error(message);
        panel.update({ engineError: message });
        void vscode.window.showErrorMessage(`LSTM Lens: ${message}`);
        return undefined;
      }
    }),
  );
}

export function deactivate(): void {
  // Nothing to do: everything is in context.subscriptions.
}
