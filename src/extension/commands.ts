// Every command id of the extension, in one place. The manifest
// (package.json contributes.commands) lists the same ids with their titles and
// the "LSTM Lens" category; test/unit/extension/manifest.test.ts keeps the two
// in step. Each id has one handler, registered by activate() (extension.ts) or
// by the register* function of its feature.

export const enum Command {
  /** Reveal the LSTM Lens view in the activity bar. */
  ShowPanel = 'lstmLens.showPanel',
  /** In a worker thread, load onnxruntime-node from the installed extension and report its version. */
  ShowEngineInfo = 'lstmLens.showEngineInfo',
  /** Turn per-character colouring of the active editor on or off. */
  ToggleColouring = 'lstmLens.toggleColouring',
  /** Pick which hidden/cell unit colours the editor (quick pick with labels and scores). */
  SelectCell = 'lstmLens.selectCell',
  /** Colour by the next unit of the current layer. */
  NextCell = 'lstmLens.nextCell',
  /** Colour by the previous unit of the current layer. */
  PreviousCell = 'lstmLens.previousCell',
  /** Pick the signal shown: cell state c, hidden h, or a gate (i, f, o, g). */
  ChooseSignal = 'lstmLens.chooseSignal',
  /** Pick the layer of a stacked model. */
  ChooseLayer = 'lstmLens.chooseLayer',
  /** Pick the active model (bundled, trained in this workspace, or a file). */
  ChooseModel = 'lstmLens.chooseModel',
  /** Sample text from the active model, optionally primed with the selection. */
  SampleText = 'lstmLens.sampleText',
  /** Colour characters by the model's surprisal (-log p of the actual next character). */
  ShowSurprisal = 'lstmLens.showSurprisal',
  /** Train a model on the workspace's files in a worker, with progress. */
  TrainModel = 'lstmLens.trainModel',
  /** Score every cell against code features and label the interpretable ones. */
  DiscoverCells = 'lstmLens.discoverCells',
  /** Open the panel's page of a cell (argument { layer, cell, signal? }; default the colouring cell). */
  ShowCellPage = 'lstmLens.showCellPage',
  /** Start, or stop and report, a measurement of the extension host's event-loop delay. */
  MeasureResponsiveness = 'lstmLens.measureResponsiveness',
  /** Clamp, ablate or flip a cell over the file or the selection and show what changes (argument { layer, cell, mode?, value?, range? }). */
  InterveneOnCell = 'lstmLens.interveneOnCell',
  /** Undo the intervention: the model as trained again. */
  ClearIntervention = 'lstmLens.clearIntervention',
  /** Turn on or off the gradient flow of the prediction at the cursor. */
  ToggleGradientFlow = 'lstmLens.toggleGradientFlow',
  /** Compare the active model with another on the open file (argument { path } of a model file). */
  CompareWithModel = 'lstmLens.compareWithModel',
  /** End the comparison. */
  ClearComparison = 'lstmLens.clearComparison',
}

/** The ids of all commands, for the manifest check. */
export const ALL_COMMANDS: readonly string[] = [
  Command.ShowPanel,
  Command.ShowEngineInfo,
  Command.ToggleColouring,
  Command.SelectCell,
  Command.NextCell,
  Command.PreviousCell,
  Command.ChooseSignal,
  Command.ChooseLayer,
  Command.ChooseModel,
  Command.SampleText,
  Command.ShowSurprisal,
  Command.TrainModel,
  Command.DiscoverCells,
  Command.ShowCellPage,
  Command.MeasureResponsiveness,
  Command.InterveneOnCell,
  Command.ClearIntervention,
  Command.ToggleGradientFlow,
  Command.CompareWithModel,
  Command.ClearComparison,
];

/** View ids contributed in the manifest. */
export const enum View {
  Container = 'lstmLens',
  Panel = 'lstmLens.panel',
}
