// Wires interventions and gradient flow into activate(): the two
// controllers, their commands and the intervention hover. The panel gets
// their results through the callbacks.

import * as vscode from 'vscode';
import type { EditorFeatures } from '../editor/editorFeatures';
import type { PanelGradientFlow, PanelIntervention } from '../../protocol/panelProtocol';
import { Command } from '../commands';
import { GradientFlowController } from './gradientFlowController';
import { InterventionController } from './interventionController';
import { registerInterventionCommands } from './interventionCommand';
import { InterventionHoverProvider } from './interventionHover';

export function registerInterventions(
  context: vscode.ExtensionContext,
  editor: EditorFeatures,
  panel: {
    showIntervention(p: PanelIntervention | null): void;
    showGradientFlow(p: PanelGradientFlow | null): void;
  },
  log: vscode.LogOutputChannel,
): { interventions: InterventionController; gradientFlow: GradientFlowController } {
  const interventions = new InterventionController(editor, (p) => panel.showIntervention(p), log);
  const gradientFlow = new GradientFlowController(editor, (p) => panel.showGradientFlow(p), log);
  registerInterventionCommands(context, editor, interventions);
  context.subscriptions.push(
    interventions,
    gradientFlow,
    vscode.languages.registerHoverProvider(
      [{ scheme: 'file' }, { scheme: 'untitled' }],
      new InterventionHoverProvider(interventions),
    ),
    vscode.commands.registerCommand(Command.ToggleGradientFlow, () => gradientFlow.toggle()),
  );
  return { interventions, gradientFlow };
}
