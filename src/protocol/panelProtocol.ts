// Messages between the extension host (src/extension/panel*.ts) and the panel
// webview (webview/). Imported by both sides, so it has no imports at all: no
// `vscode`, no core, no DOM.
//
// Handshake: the webview posts Ready; the host answers with State (everything);
// after that only the increments below, and only while the view is visible
// (a view that becomes visible again gets State once more).
// Positions are VS Code UTF-16 offsets into the document named by `uri`.
// Arrays are plain number[] so the messages survive JSON in every webview host.
//
// Every message from the webview goes through validateFromWebview() before the
// host uses it: the webview is a browser page and is not trusted.

export enum MessageType {
  // host -> webview
  State = 'state',
  Engine = 'engine',
  Model = 'model',
  Selection = 'selection',
  Trace = 'trace',
  Saturation = 'saturation',
  Training = 'training',
  Status = 'status',
  CellPage = 'cellPage',
  Intervention = 'intervention',
  GradientFlow = 'gradientFlow',
  // webview -> host
  Ready = 'ready',
  ToggleCell = 'toggleCell',
  SetPrimary = 'setPrimary',
  SetLayer = 'setLayer',
  SetWindowSize = 'setWindowSize',
  HoverChar = 'hoverChar',
  RevealChar = 'revealChar',
  RequestSaturation = 'requestSaturation',
  RunCommand = 'runCommand',
  OpenCellPage = 'openCellPage',
  CancelCellPage = 'cancelCellPage',
  OpenPlace = 'openPlace',
  OpenSnapshot = 'openSnapshot',
}

/** A recurrent layer's kind: core's RecurrentKind, written out because this module has no imports. */
export type PanelLayerKind = 'lstm' | 'gru' | 'rnn';

/** Per-character signals: LSTM h, c, i, f, o, g; GRU h, r, z, n; RNN h. */
export type PanelSignal = 'h' | 'c' | 'i' | 'f' | 'o' | 'g' | 'r' | 'z' | 'n';
export const LSTM_PANEL_SIGNALS: readonly PanelSignal[] = ['i', 'f', 'o', 'g', 'c', 'h'];
export const GRU_PANEL_SIGNALS: readonly PanelSignal[] = ['r', 'z', 'n', 'h'];
export const RNN_PANEL_SIGNALS: readonly PanelSignal[] = ['h'];

/**
 * Size of the gate traces' window around the cursor, in UTF-16 units (the
 * panel's slider). The engine's own limit is MAX_WINDOW in windowQueries.ts.
 */
export const MIN_TRACE_WINDOW = 80;
export const MAX_TRACE_WINDOW = 400;
export const DEFAULT_TRACE_WINDOW = 160;

export interface EngineView {
  ortVersion: string;
  nodeVersion: string;
  platform: string;
  elapsedMs: number;
}

export interface CellKey {
  layer: number;
  cell: number; // unit index within the layer, 0..H-1
}

/** An automatic label from cell discovery, e.g. "quote detector (r = 0.93)". */
export interface PanelCellLabel extends CellKey {
  signal: string; // 'h' or 'c': which activation the label describes
  text: string;
  score: number; // |r|, 0..1, for sorting
}

export interface PanelModel {
  name: string;
  layers: { kind: PanelLayerKind; hiddenSize: number }[];
  labels: PanelCellLabel[];
}

export interface PanelSelection {
  /** Toggled cells, in toggle order. */
  cells: CellKey[];
  /** The cell that colours the editor (the first toggled one unless marked). */
  primary: CellKey | null;
  layer: number; // layer shown in charts and the cell list
}

export interface TraceSeries {
  cell: number;
  signal: PanelSignal;
  values: number[]; // (n) engine values, one per character
}

/** Every signal of the toggled cells of one layer over a window of characters. */
export interface TraceData {
  uri: string;
  version: number;
  layer: number;
  kind: PanelLayerKind;
  offsets: number[]; // (n + 1) UTF-16 start of each character, then the end
  chars: string[]; // (n) one code point each
  cursor: number; // index in chars of the character at the cursor, -1 if outside
  series: TraceSeries[];
}

export interface SaturationPoint {
  cell: number;
  gate: string; // 'i' | 'f' | 'o' (LSTM), 'r' | 'z' (GRU)
  left: number; // fraction of characters with gate < 0.1
  right: number; // fraction of characters with gate > 0.9
}

export interface SaturationData {
  uri: string;
  version: number;
  chars: number; // characters counted
  layers: { layer: number; points: SaturationPoint[] }[];
}

export interface TrainingPoint {
  step: number;
  trainBpc: number;
  valBpc?: number;
}

/** At one validation: each feature's best cell score on a fixed held-out sample, and whether its snapshot is kept. */
export interface FormationPoint {
  step: number;
  valBpc: number;
  scores: { name: string; score: number | null }[];
  /** The weights at this step are on disk and can be opened as the active model. */
  snapshot: boolean;
}

export interface TrainingView {
  state: 'running' | 'done' | 'failed' | 'cancelled';
  title: string;
  points: TrainingPoint[];
  charsPerSecond: number;
  sample: string;
  sampleStep: number;
  message?: string;
  /** How the interpretable cells formed, one entry per validation. */
  formation?: FormationPoint[];
}

/** One place of the sample where a cell was read: its context, one code point per entry, coloured as the editor colours it. */
export interface PanelPlace {
  /** The sample file (workspace-relative path, as the host names it). */
  file: string;
  /** 1-based line and column (column in code points). */
  line: number;
  column: number;
  value: number;
  chars: string[];
  /** Colour bucket of each character ('' none, 'pos1'..'pos4', 'neg1'..'neg4'), by the editor's rule for this cell. */
  buckets: string[];
  /** Index in `chars` of the place itself. */
  at: number;
}

/** A character and a number about it (prediction effect or input move) and a second one (bits, or a count). */
export interface PanelCharEffect {
  char: string;
  value: number;
  detail: number;
}

/** Everything the cell page shows (core/analysis/cellProfile.ts, made plain for the webview). */
export interface PanelCellPage {
  cell: { layer: number; cell: number; signal: string };
  kind: PanelLayerKind;
  label: string | null;
  /** "12,345 characters of 7 workspace files in 3.2 s". */
  summary: string;
  stats: { min: number; max: number; mean: number; sd: number };
  histogram: { lo: number; hi: number; counts: number[] };
  scores: { name: string; r: number; phi: number | null; f1: number | null }[];
  top: PanelPlace[];
  intervals: { lo: number; hi: number; count: number; examples: PanelPlace[] }[];
  prediction: { up: PanelCharEffect[]; down: PanelCharEffect[] } | null;
  predictionNote: string | null;
  moves: { up: PanelCharEffect[]; down: PanelCharEffect[] };
  gates: {
    saturation: { gate: string; left: number; right: number; mean: number }[];
    forgetMean: number | null;
    timescale: number | null;
  };
  correlated: { layer: number; cell: number; signal: string; r: number }[];
  /**
   * The linear probes over this cell's layer from the discovery the labels
   * came from: the probe's score, this cell's own score for the feature, and
   * its place among the probe's largest weights (null: not among them).
   */
  probes: {
    name: string;
    probe: number;
    alone: number | null;
    rank: number | null;
    control: number;
    floor: number | null;
  }[];
}

/** A character whose prediction an intervention changed: its surprisal (bits) before and after. */
export interface PanelChangedChar {
  /** UTF-16 offset in the document, for RevealChar. */
  offset: number;
  /** 1-based line and column (column in UTF-16 units, as the editor counts). */
  line: number;
  column: number;
  char: string;
  before: number;
  after: number;
}

/** The intervention on the active document and what it changed. */
export interface PanelIntervention {
  uri: string;
  version: number;
  /** What was done, e.g. "L0 h,c[19] := 0 over lines 3–9". */
  description: string;
  status: 'computing' | 'done' | 'failed';
  message: string;
  /** Mean surprisal over the document, bits per character, before and after. */
  meanBefore: number;
  meanAfter: number;
  /** The characters whose surprisal changed most (by |after − before|), largest first. */
  changed: PanelChangedChar[];
  /** Names of the before and after columns ("before" / "after", or the two models of a comparison). */
  columns?: { before: string; after: string };
  /** A comparison: each labelled cell of the model and the most correlated cell of the other one. */
  matches?: { cell: string; label: string; match: string | null; r: number | null }[];
}

/** Gradient flow at the cursor: gradient norms against distance back from the predicting character. */
export interface PanelGradientFlow {
  uri: string;
  version: number;
  /** The character after which the prediction is made (1-based line, UTF-16 column). */
  line: number;
  column: number;
  char: string;
  /** The predicted character, its probability, and whether it is the model's own guess (nothing follows). */
  target: string;
  p: number;
  targetIsGuess: boolean;
  /**
   * One series per quantity, values[d] at distance d = 0, 1, … back:
   * 'input' (‖∂ ln p / ∂ x‖), then per layer 'L0 h', 'L0 c' (LSTM) …
   */
  series: { name: string; values: number[] }[];
}

/** The cell page section: what is being computed, how far, and the page once done. */
export interface CellPageState {
  status: 'computing' | 'done' | 'failed' | 'cancelled';
  cell: { layer: number; cell: number; signal: string };
  done: number;
  total: number;
  message: string;
  page: PanelCellPage | null;
}

export interface PanelState {
  extensionVersion: string;
  engine?: EngineView;
  engineError?: string;
  model: PanelModel | null;
  selection: PanelSelection;
  windowSize: number;
  trace: TraceData | null;
  saturation: SaturationData | null;
  training: TrainingView | null;
  cellPage: CellPageState | null;
  intervention: PanelIntervention | null;
  gradientFlow: PanelGradientFlow | null;
  status: string;
}

/** The state before anything is known: the webview starts from it, the host falls back to it. */
export function emptyPanelState(): PanelState {
  return {
    extensionVersion: '',
    model: null,
    selection: { cells: [], primary: null, layer: 0 },
    windowSize: DEFAULT_TRACE_WINDOW,
    trace: null,
    saturation: null,
    training: null,
    cellPage: null,
    intervention: null,
    gradientFlow: null,
    status: '',
  };
}

// ---- host -> webview ----
export interface StateMessage {
  type: MessageType.State;
  state: PanelState;
}
export interface EngineMessage {
  type: MessageType.Engine;
  engine?: EngineView;
  engineError?: string;
}
export interface ModelMessage {
  type: MessageType.Model;
  model: PanelModel | null;
}
export interface SelectionMessage {
  type: MessageType.Selection;
  selection: PanelSelection;
  windowSize: number;
}
export interface TraceMessage {
  type: MessageType.Trace;
  trace: TraceData | null;
}
export interface SaturationMessage {
  type: MessageType.Saturation;
  saturation: SaturationData | null;
}
export interface TrainingMessage {
  type: MessageType.Training;
  training: TrainingView | null;
}
export interface StatusMessage {
  type: MessageType.Status;
  status: string;
}
export interface CellPageMessage {
  type: MessageType.CellPage;
  cellPage: CellPageState | null;
}

export interface InterventionMessage {
  type: MessageType.Intervention;
  intervention: PanelIntervention | null;
}
export interface GradientFlowMessage {
  type: MessageType.GradientFlow;
  gradientFlow: PanelGradientFlow | null;
}

export type ToWebview =
  | StateMessage
  | EngineMessage
  | ModelMessage
  | SelectionMessage
  | TraceMessage
  | SaturationMessage
  | TrainingMessage
  | StatusMessage
  | CellPageMessage
  | InterventionMessage
  | GradientFlowMessage;

// ---- webview -> host ----
export interface ReadyMessage {
  type: MessageType.Ready;
}
export interface ToggleCellMessage {
  type: MessageType.ToggleCell;
  layer: number;
  cell: number;
  on: boolean;
}
export interface SetPrimaryMessage {
  type: MessageType.SetPrimary;
  layer: number;
  cell: number;
}
export interface SetLayerMessage {
  type: MessageType.SetLayer;
  layer: number;
}
export interface SetWindowSizeMessage {
  type: MessageType.SetWindowSize;
  size: number;
}
/** The pointer is over the character at `offset` of trace `uri`@`version`; offset null = left the chart. */
export interface HoverCharMessage {
  type: MessageType.HoverChar;
  uri: string;
  version: number;
  offset: number | null;
}
export interface RevealCharMessage {
  type: MessageType.RevealChar;
  uri: string;
  version: number;
  offset: number;
}
export interface RequestSaturationMessage {
  type: MessageType.RequestSaturation;
}
export interface RunCommandMessage {
  type: MessageType.RunCommand;
  command: PanelCommand;
}

/** Show the page of a cell (signal 'h' or 'c'). */
export interface OpenCellPageMessage {
  type: MessageType.OpenCellPage;
  layer: number;
  cell: number;
  signal: 'h' | 'c';
}
export interface CancelCellPageMessage {
  type: MessageType.CancelCellPage;
}
/** Open a file of the cell page's sample at a 1-based line and code-point column. */
export interface OpenPlaceMessage {
  type: MessageType.OpenPlace;
  file: string;
  line: number;
  column: number;
}

/** Open the training run's snapshot at `step` as the active model. */
export interface OpenSnapshotMessage {
  type: MessageType.OpenSnapshot;
  step: number;
}

export type FromWebview =
  | ReadyMessage
  | ToggleCellMessage
  | SetPrimaryMessage
  | SetLayerMessage
  | SetWindowSizeMessage
  | HoverCharMessage
  | RevealCharMessage
  | RequestSaturationMessage
  | RunCommandMessage
  | OpenCellPageMessage
  | CancelCellPageMessage
  | OpenPlaceMessage
  | OpenSnapshotMessage;

/** The only commands the panel may ask the host to run. */
export const PANEL_COMMANDS = [
  'lstmLens.showEngineInfo',
  'lstmLens.selectCell',
  'lstmLens.chooseModel',
  'lstmLens.chooseSignal',
  'lstmLens.trainModel',
  'lstmLens.discoverCells',
  'lstmLens.interveneOnCell',
  'lstmLens.clearIntervention',
  'lstmLens.toggleGradientFlow',
] as const;
export type PanelCommand = (typeof PANEL_COMMANDS)[number];

/** Thrown for a message from the webview that is not one of FromWebview; the text names the problem. */
export class PanelMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PanelMessageError';
  }
}

/** A message object whose `type` the switch in validateFromWebview has matched. */
type Fields = Record<string, unknown> & { type: MessageType };

function intField(m: Fields, key: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const v = m[key];
  if (typeof v !== 'number' || !Number.isInteger(v))
    throw new PanelMessageError(`${m.type}: ${key} must be an integer, got ${JSON.stringify(v)}`);
  if (v < min || v > max) throw new PanelMessageError(`${m.type}: ${key} ${v} is outside ${min}..${max}`);
  return v;
}

function stringField(m: Fields, key: string, maxLength = 4096): string {
  const v = m[key];
  if (typeof v !== 'string') throw new PanelMessageError(`${m.type}: ${key} must be a string, got ${typeof v}`);
  if (v.length > maxLength)
    throw new PanelMessageError(`${m.type}: ${key} is ${v.length} characters long (limit ${maxLength})`);
  return v;
}

function boolField(m: Fields, key: string): boolean {
  const v = m[key];
  if (typeof v !== 'boolean')
    throw new PanelMessageError(`${m.type}: ${key} must be true or false, got ${JSON.stringify(v)}`);
  return v;
}

function onlyKeys(m: Fields, keys: readonly string[]): void {
  const extra = Object.keys(m).filter((k) => k !== 'type' && !keys.includes(k));
  if (extra.length > 0) throw new PanelMessageError(`${m.type}: unexpected field(s) ${extra.join(', ')}`);
}

/**
 * Checks a message from the webview and returns it typed, or throws a
 * PanelMessageError naming the problem. Limits that depend on the model (layer
 * count, hidden size) are checked by the host against its own state.
 */
export function validateFromWebview(raw: unknown): FromWebview {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new PanelMessageError(
      `panel message must be an object, got ${raw === null ? 'null' : Array.isArray(raw) ? 'an array' : typeof raw}`,
    );
  }
  const m = raw as Fields;
  switch (m.type) {
    case MessageType.Ready:
    case MessageType.RequestSaturation:
    case MessageType.CancelCellPage:
      onlyKeys(m, []);
      return { type: m.type };
    case MessageType.ToggleCell:
      onlyKeys(m, ['layer', 'cell', 'on']);
      return { type: m.type, layer: intField(m, 'layer', 0), cell: intField(m, 'cell', 0), on: boolField(m, 'on') };
    case MessageType.SetPrimary:
      onlyKeys(m, ['layer', 'cell']);
      return { type: m.type, layer: intField(m, 'layer', 0), cell: intField(m, 'cell', 0) };
    case MessageType.SetLayer:
      onlyKeys(m, ['layer']);
      return { type: m.type, layer: intField(m, 'layer', 0) };
    case MessageType.SetWindowSize:
      onlyKeys(m, ['size']);
      return { type: m.type, size: intField(m, 'size', MIN_TRACE_WINDOW, MAX_TRACE_WINDOW) };
    case MessageType.HoverChar: {
      onlyKeys(m, ['uri', 'version', 'offset']);
      const offset = m.offset === null ? null : intField(m, 'offset', 0);
      return { type: m.type, uri: stringField(m, 'uri'), version: intField(m, 'version', 0), offset };
    }
    case MessageType.RevealChar:
      onlyKeys(m, ['uri', 'version', 'offset']);
      return {
        type: m.type,
        uri: stringField(m, 'uri'),
        version: intField(m, 'version', 0),
        offset: intField(m, 'offset', 0),
      };
    case MessageType.RunCommand: {
      onlyKeys(m, ['command']);
      const command = stringField(m, 'command', 200);
      if (!(PANEL_COMMANDS as readonly string[]).includes(command)) {
        throw new PanelMessageError(
          `runCommand: '${command}' is not a command the panel may run (allowed: ${PANEL_COMMANDS.join(', ')})`,
        );
      }
      return { type: m.type, command: command as PanelCommand };
    }
    case MessageType.OpenCellPage: {
      onlyKeys(m, ['layer', 'cell', 'signal']);
      const signal = stringField(m, 'signal', 1);
      if (signal !== 'h' && signal !== 'c')
        throw new PanelMessageError(`openCellPage: signal must be 'h' or 'c', got '${signal}'`);
      return { type: m.type, layer: intField(m, 'layer', 0), cell: intField(m, 'cell', 0), signal };
    }
    case MessageType.OpenSnapshot:
      onlyKeys(m, ['step']);
      return { type: m.type, step: intField(m, 'step', 0) };
    case MessageType.OpenPlace:
      onlyKeys(m, ['file', 'line', 'column']);
      return {
        type: m.type,
        file: stringField(m, 'file', 1024),
        line: intField(m, 'line', 1),
        column: intField(m, 'column', 1),
      };
    default:
      throw new PanelMessageError(`unknown panel message type ${JSON.stringify(m.type)}`);
  }
}

/** The signals a layer kind charts, in display order. */
export function panelSignalsOf(kind: PanelLayerKind): readonly PanelSignal[] {
  return kind === 'lstm' ? LSTM_PANEL_SIGNALS : kind === 'gru' ? GRU_PANEL_SIGNALS : RNN_PANEL_SIGNALS;
}
