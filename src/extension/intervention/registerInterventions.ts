// Wires interventions, model comparison and gradient flow into activate():
// the controllers, their commands and the hover of the pair overlays. The
// panel gets their results through the callbacks (a comparison shows in the
// intervention section, with its own column names and the cell matches).

import * as vscode from 'vscode';
import type { EditorFeatures } from '../editor/editorFeatures';
import type { InterventionRequest } from '../../protocol/analysisProtocol';
import type { PanelGradientFlow, PanelIntervention } from '../../protocol/panelProtocol';
import { Command } from '../commands';
import { GradientFlowController } from './gradientFlowController';
import { PairOverlayController } from './pairOverlay';
import { comparisonSource, interventionSource } from './pairSources';
import type { ComparedModel } from './pairSources';
import { registerInterventionCommands } from './interventionCommand';
import { registerCompareCommands } from './compareCommand';
import { PairHoverProvider } from './pairHover';

export function registerInterventions(
  context: vscode.ExtensionContext,
  editor: EditorFeatures,
  panel: {
    showIntervention(p: PanelIntervention | null): void;
    showGradientFlow(p: PanelGradientFlow | null): void;
  },
  log: vscode.LogOutputChannel,
): void {
  const show = (p: PanelIntervention | null): void => panel.showIntervention(p);
  const interventions = new PairOverlayController<InterventionRequest[]>(editor, interventionSource, show, log);
  const comparison = new PairOverlayController<ComparedModel>(editor, comparisonSource(editor.state), show, log);
  const gradientFlow = new GradientFlowController(editor, (p) => panel.showGradientFlow(p), log);
  registerInterventionCommands(context, editor, interventions);
  registerCompareCommands(context, editor, comparison);
  context.subscriptions.push(
    interventions,
    comparison,
    gradientFlow,
    vscode.languages.registerHoverProvider(
      [{ scheme: 'file' }, { scheme: 'untitled' }],
      new PairHoverProvider([interventions, comparison] as PairOverlayController<unknown>[]),
    ),
    vscode.commands.registerCommand(Command.ToggleGradientFlow, () => gradientFlow.toggle()),
  );
}
