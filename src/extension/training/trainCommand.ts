// "LSTM Lens: Train Model on Workspace…": pick a preset (or custom sizes and
// budget) → gather the workspace corpus (corpusGatherer.ts) → show what went
// in and confirm → train in a worker (trainingStarter.ts) with a cancellable
// progress notification and the panel's training view → save into workspace
// storage (registry.workspaceModelsDir(), best-so-far written atomically by
// the trainer) → offer to switch to the new model. Cancel keeps the best
// model so far. The command resolves with a TrainCommandResult (for tests)
// once training has ended, without waiting for the "use it" answer.

import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { formatCorpusDetail, formatCorpusHeadline } from '../../core/corpus/corpusSummary';
import { splitByFile } from '../../core/training/corpusSplit';
import type { TrainingOutcome } from '../../protocol/trainingProtocol';
import { Command } from '../commands';
import { gatherWorkspaceCorpus } from './corpusGatherer';
import type { ModelEntry } from '../lens/modelSources';
import { fileEntry } from '../lens/modelSources';
import type { PanelTraining } from '../panel/panelTraining';
import { formatOutcome, formatProgress, modelFileName, progressIncrement } from './trainingReport';
import type { ActiveModelShape, ModelPlan } from './trainingPresets';
import {
  CELL_TYPES,
  customPlan,
  describePlan,
  FINE_TUNE_DEFAULT_BUDGET,
  fineTunePlan,
  fitToCorpus,
  parseBudget,
  parseIntIn,
  PRESETS,
  TRIO_DEFAULT_BUDGET,
  trainOptionsFor,
  trioPlans,
} from './trainingPresets';
import { readTrainingSettings } from './trainingSettings';
import type { TrainingRun } from './trainingStarter';
import { startTraining } from './trainingStarter';
import { errorMessage } from '../../core/util/errors';

export interface TrainingDeps {
  /** Folder for models trained on this workspace (ModelRegistry.workspaceModelsDir). */
  modelsDir(): string | undefined;
  /** Tells the model pickers that a model was added (ModelRegistry.refresh). */
  modelsChanged(): void;
  /** Makes the model active (LensController.useModel). */
  useModel(entry: ModelEntry): Promise<unknown>;
  /** The panel's training view, when the panel is wired. */
  panel?: PanelTraining;
  /** The active model (fine-tuning continues from it), if one is loaded. */
  activeModel?(): ActiveModelShape | undefined;
  log: vscode.LogOutputChannel;
  /** dist/trainingWorker.js */
  workerPath: string;
}

export interface TrainCommandResult {
  outcome: Omit<TrainingOutcome, 'summary'>;
  modelPath?: string; // set when a model file was saved
  /** Every run of a series (RNN vs GRU vs LSTM), in order. */
  runs?: TrainCommandResult[];
}

const VALIDATION_FRACTION = 0.1;
const SEED = 1;
const USE_MODEL = 'Use This Model';

export function registerTraining(context: vscode.ExtensionContext, deps: TrainingDeps): void {
  let current: TrainingRun | undefined;
  context.subscriptions.push(
    vscode.commands.registerCommand(Command.TrainModel, async (): Promise<TrainCommandResult | undefined> => {
      if (current) {
        void vscode.window.showWarningMessage(
          'LSTM Lens: a model is already training; cancel it from its notification first.',
        );
        return undefined;
      }
      try {
        return await trainOnWorkspace(deps, (run) => (current = run));
      } catch (err) {
        if (err instanceof vscode.CancellationError) return undefined;
        const message = errorMessage(err);
        deps.log.error(`training: ${message}`);
        if (deps.panel?.view?.state === 'running') deps.panel.finish('failed', message);
        void vscode.window.showErrorMessage(`LSTM Lens: training failed: ${message}`);
        return undefined;
      } finally {
        current = undefined;
      }
    }),
    { dispose: () => current?.cancel() },
  );
}

/** An input box for a budget, checked as it is typed. */
function askBudget(title: string, prompt: string, value: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({ title, prompt, value, validateInput: (v) => problemOf(() => parseBudget(v)) });
}

/** undefined when `check` passes, else its error message (for validateInput). */
function problemOf(check: () => unknown): string | undefined {
  try {
    check();
    return undefined;
  } catch (err) {
    return errorMessage(err);
  }
}

async function pickPlans(active: ActiveModelShape | undefined): Promise<ModelPlan[] | undefined> {
  const one = await pickPlan(active, (budget) => trioPlans(parseBudget(budget)));
  return one === undefined ? undefined : Array.isArray(one) ? one : [one];
}

async function pickPlan(
  active: ActiveModelShape | undefined,
  trio: (budget: string) => ModelPlan[],
): Promise<ModelPlan | ModelPlan[] | undefined> {
  const items = PRESETS.map((p) => ({ label: p.label, description: p.description, preset: p }));
  if (active) {
    items.push({
      label: 'Fine-tune the active model',
      description: `${active.name}: its vocabulary and sizes, ≈ ${FINE_TUNE_DEFAULT_BUDGET} on this workspace`,
      preset: { id: 'finetune', label: 'Fine-tune', description: '' },
    });
  }
  const pick = await vscode.window.showQuickPick(items, {
    title: 'LSTM Lens: Train Model on Workspace',
    placeHolder: 'How long to train (on this machine; stops early when validation stops improving)',
  });
  if (!pick) return undefined;
  if (pick.preset.plan) return pick.preset.plan;
  if (pick.preset.id === 'trio') {
    const budget = await askBudget(
      'LSTM Lens: RNN vs GRU vs LSTM',
      'Budget of each model: a duration ("2 min") or a step count ("300 steps")',
      TRIO_DEFAULT_BUDGET,
    );
    return budget === undefined ? undefined : trio(budget);
  }
  if (pick.preset.id === 'finetune' && active) {
    const budget = await askBudget(
      `LSTM Lens: Fine-tune ${active.name}`,
      'Budget: a duration ("2 min", "90 s") or a step count ("300 steps")',
      FINE_TUNE_DEFAULT_BUDGET,
    );
    if (budget === undefined) return undefined;
    return fineTunePlan(active, parseBudget(budget));
  }
  const cell = await vscode.window.showQuickPick(
    CELL_TYPES.map((c) => ({ label: c.label, detail: c.detail, cellKind: c.kind })),
    { title: 'LSTM Lens: Custom Training (1/4)', placeHolder: 'Cell type' },
  );
  if (!cell) return undefined;
  const ask = (
    step: number,
    prompt: string,
    value: string,
    check: (v: string) => unknown,
  ): Thenable<string | undefined> =>
    vscode.window.showInputBox({
      title: `LSTM Lens: Custom Training (${step}/4)`,
      prompt,
      value,
      validateInput: (v) => problemOf(() => check(v)),
    });
  const layers = await ask(2, 'Layers (1–3)', '1', (v) => parseIntIn(v, 'layers', 1, 3));
  if (layers === undefined) return undefined;
  const hidden = await ask(3, 'Hidden size per layer (8–1024)', '256', (v) => parseIntIn(v, 'hidden size', 8, 1024));
  if (hidden === undefined) return undefined;
  const budget = await ask(
    4,
    'Budget: a duration ("10 min", "90 s", "1 h") or a step count ("500 steps")',
    '10 min',
    parseBudget,
  );
  if (budget === undefined) return undefined;
  return customPlan(
    parseIntIn(layers, 'layers', 1, 3),
    parseIntIn(hidden, 'hidden size', 8, 1024),
    parseBudget(budget),
    cell.cellKind,
  );
}

async function trainOnWorkspace(
  deps: TrainingDeps,
  onRun: (run: TrainingRun) => void,
): Promise<TrainCommandResult | undefined> {
  const dir = deps.modelsDir();
  if (!dir)
    throw new Error('no workspace is open: open a folder to train on its files (models are stored with the workspace)');
  const chosen = await pickPlans(deps.activeModel?.());
  if (!chosen) return undefined;

  const cfg = vscode.workspace.getConfiguration('lstmLens');
  const { settings, problems } = readTrainingSettings((k) => cfg.get(k));
  for (const p of problems) {
    deps.log.warn(p);
    void vscode.window.showWarningMessage(`LSTM Lens: ${p}`);
  }
  const corpus = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'LSTM Lens: gathering training files', cancellable: true },
    (progress, token) => gatherWorkspaceCorpus(settings, token, (message) => progress.report({ message })),
  );
  const headline = formatCorpusHeadline(corpus.summary);
  const detail = formatCorpusDetail(corpus.summary);
  deps.log.info(`training corpus: ${headline}. ${detail}`);
  deps.log.info(`training files: ${corpus.files.map((f) => f.name).join(', ')}`);
  if (corpus.files.length === 0)
    throw new Error(`no files to train on in this workspace (include ${settings.include}). ${detail}`);

  const split = splitByFile(corpus.files, VALIDATION_FRACTION, SEED);
  const chars = (list: { text: string }[]): number => list.reduce((n, f) => n + f.text.length, 0);
  const plans = chosen.map((c) => fitToCorpus(c, chars(split.train), chars(split.validation)));
  const folderName = vscode.workspace.name ?? vscode.workspace.workspaceFolders?.[0]?.name ?? 'workspace';
  const taken = new Set<string>();
  const fileNames = plans.map((plan) => {
    const tag = plans.length > 1 ? `${plan.preset}-${plan.kind}` : plan.preset;
    const name = modelFileName(folderName, tag, new Date(), (n) => taken.has(n) || fs.existsSync(path.join(dir, n)));
    taken.add(name);
    return name;
  });
  const names = fileNames.map((f) => f.replace(/\.onnx$/, ''));
  const models =
    plans.length === 1
      ? `Model: ${describePlan(plans[0])}.`
      : `Models, one after the other: ${plans.map((p) => describePlan(p)).join('; ')}.`;
  const answer = await vscode.window.showInformationMessage(
    `Train on ${headline}?`,
    {
      modal: true,
      detail: `${detail}\n${models}\nValidation: ${split.note}.\nSaved in this workspace's storage as ${names.map((n) => `"${n}"`).join(', ')}.`,
    },
    'Train',
  );
  if (answer !== 'Train') return undefined;
  const results: TrainCommandResult[] = [];
  for (const [k, plan] of plans.entries()) {
    const r = await runPlan(
      deps,
      onRun,
      plan,
      { dir, fileName: fileNames[k], headline, detail, split },
      plans.length > 1,
    );
    results.push(r);
    if (r.outcome.stoppedBy === 'aborted') break;
  }
  if (plans.length > 1) {
    const summary = results
      .map(
        (r, k) =>
          `${plans[k].kind.toUpperCase()} ${Number.isFinite(r.outcome.bestValBitsPerChar) ? r.outcome.bestValBitsPerChar.toFixed(3) : '—'}`,
      )
      .join(', ');
    const message = `Trained ${results.length} of ${plans.length} models with the same budget; held-out bits/char: ${summary}. Compare them on a file with "Compare With Model…".`;
    deps.log.info(message);
    void vscode.window.showInformationMessage(`LSTM Lens: ${message}`);
  }
  return { ...results[results.length - 1], runs: results };
}

interface RunContext {
  dir: string;
  fileName: string;
  headline: string;
  detail: string;
  split: ReturnType<typeof splitByFile>;
}

/** Trains one plan in the worker with its progress notification; offers the model at the end (not within a series). */
async function runPlan(
  deps: TrainingDeps,
  onRun: (run: TrainingRun) => void,
  plan: ModelPlan,
  ctx: RunContext,
  inSeries: boolean,
): Promise<TrainCommandResult> {
  const { dir, fileName, headline, detail, split } = ctx;
  const modelName = fileName.replace(/\.onnx$/, '');
  const outPath = path.join(dir, fileName);
  const metadata = {
    'lstm_lens.name': modelName,
    'lstm_lens.preset': plan.preset,
    'lstm_lens.workspace_corpus': `${headline}. ${detail}`,
  };
  const settingsForRun = { ...trainOptionsFor(plan, metadata), seed: SEED };
  // The panel view is a display: its errors are logged, never allowed to stop a run.
  const toPanel = (f: (panel: PanelTraining) => void): void => {
    try {
      if (deps.panel) f(deps.panel);
    } catch (err) {
      deps.log.warn(`training view: ${errorMessage(err)}`);
    }
  };
  toPanel((v) => v.start(`Training "${modelName}" (${describePlan(plan)})`));
  deps.log.info(`training ${modelName}: ${describePlan(plan)} → ${outPath}`);

  const outcome = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `LSTM Lens: training ${plan.preset} model`,
      cancellable: true,
    },
    async (progress, token) => {
      let shown = 0;
      const run = startTraining(
        deps.workerPath,
        {
          files: split.train,
          validationFiles: split.validation,
          outPath,
          settings: settingsForRun,
          initModelPath: plan.initModelPath,
        },
        {
          onStarted: (s, shape, n) => {
            progress.report({
              message: `vocabulary ${s.vocabSize}, ${n} parameters, ${s.trainChars} training characters`,
            });
            deps.log.info(
              `training started: ${s.trainFiles} + ${s.validationFiles} files, ${s.trainChars} + ${s.validationChars} chars, vocab ${s.vocabSize}, ${shape.layers}×${shape.hiddenSize} ${shape.kind}, ${n} parameters`,
            );
          },
          onProgress: (p) => {
            const line = formatProgress(p);
            const increment = progressIncrement(shown, line.percent);
            shown += increment;
            progress.report({ message: line.message, increment });
            if (Number.isFinite(p.trainBitsPerChar)) toPanel((v) => v.progress(p));
          },
          onCheckpoint: (c) =>
            deps.log.info(`checkpoint at step ${c.step}: validation ${c.valBitsPerChar.toFixed(3)} bits/char`),
          onSample: (s) => toPanel((v) => v.sample(s)),
          onCells: (c) => toPanel((v) => v.cells(c)),
        },
      );
      onRun(run);
      token.onCancellationRequested(() => {
        deps.log.info('training: cancel requested');
        run.cancel();
      });
      return run.done;
    },
  );

  const saved = outcome.modelWritten;
  const message = formatOutcome({ ...outcome, saved, modelName });
  // A fine-tuned model is offered only when it beat the one it came from on the held-out files.
  const better = outcome.startValBitsPerChar === undefined || outcome.bestValBitsPerChar < outcome.startValBitsPerChar;
  deps.log.info(message);
  toPanel((v) => v.finish(outcome.stoppedBy === 'aborted' ? 'cancelled' : 'done', message));
  if (saved) {
    deps.modelsChanged();
    const offer = better && !inSeries ? [USE_MODEL] : [];
    void vscode.window.showInformationMessage(`LSTM Lens: ${message}`, ...offer).then(async (pick) => {
      if (pick === USE_MODEL) await deps.useModel(fileEntry('workspace', outPath));
    });
  } else void vscode.window.showWarningMessage(`LSTM Lens: ${message}`);
  const { summary: _summary, ...result } = outcome;
  return { outcome: result, modelPath: saved ? outPath : undefined };
}
