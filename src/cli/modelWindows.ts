// One pass of the model over a text for `lstm-lens run`, handed out window by
// window: every signal of the chosen cells of the chosen layers and the top
// layer's h (for the next-character guesses) after each step. Nothing is
// kept for the whole text, and the model runs once over it.
//
// The values are bit for bit those layerWindow (windowQueries.ts) gives over
// a DocumentAnalysis with its default checkpoints, i.e. what the editor
// shows for the same text, because the same arithmetic happens on the same
// operands:
//   - windows are [j W, (j + 1) W), W = MAX_WINDOW, and the c of each window
//     comes from deriveGates.ts's recurrence started at the checkpoint before
//     it, cp_j = floor(j W / E) E (E = 256), from the state the model had
//     there. So the model runs over [cp_j, cp_{j+1}) (its final state is the
//     next checkpoint's), and window j is derived from runs j and j + 1.
//   - the preactivation MatMuls (prex, preh, prehr: columns = the selected
//     rows) get at least MIN_COLUMNS columns. onnxruntime's SGEMM (MLAS)
//     sums K = H > 128 in two blocks of 128 when there are more than 64
//     columns, as for layerWindow's all-cell selection, and in one block below
//     that: the sums, and so the gates, would differ in the last float bit.
//     The padding cells are computed and dropped.
//   - the top layer returns h of all its cells: the pass graph's `cells`
//     (K, which h come back) and rows (S, which preactivations) are separate
//     inputs, so the guesses get all of h while the MatMuls stay small.

import type { CharModel, Signal } from '../core/model/types';
import { gateCount } from '../core/model/types';
import * as ort from 'onnxruntime-node';
import type {
  LayerSegmentOutput,
  ModelRunner,
  RecurrentState,
  RowSelection,
  SegmentOutput,
} from '../core/inference/modelRunner';
import { selectRows, zeroState } from '../core/inference/modelRunner';
import { deriveSignals } from '../core/inference/deriveGates';
import { MAX_WINDOW } from '../core/inference/windowQueries';

/** DocumentAnalysis's default checkpoint spacing (checkpointEvery). */
export const CHECKPOINT_EVERY = 256;
/** Fewest preactivation columns that MLAS blocks like the all-cell selection (see the top). */
const MIN_COLUMNS = 65;

export interface ModelWindow {
  from: number; // first step
  to: number; // end step (exclusive)
  /** Per layer: undefined unless asked; else each signal (n, k), n = to - from, column m = cell cells[l][m]. */
  signals: (Partial<Record<Signal, Float32Array>> | undefined)[];
  /** (n, H) h of every cell of the top layer after each step. */
  topH: Float32Array;
}

interface LayerPlan {
  /** Cells whose signals are derived: the asked ones, then (not RNN) the padding ones. */
  derived: number[];
  /** How many of them were asked: the first `asked`. */
  asked: number;
  rows: RowSelection;
  /** Cells per gate in the preactivations: (rows, G perGate), gate-major (deriveGates.ts). */
  perGate: number;
  /** Column of the run's hsel / csel holding each derived cell. */
  pick: number[];
  /** Width of the run's hsel / csel rows. */
  width: number;
}

/** The asked cells, then the lowest others up to `want` cells (at most H). */
function padded(asked: number[], H: number, want: number): number[] {
  const out = [...asked];
  const have = new Set(asked);
  for (let j = 0; j < H && out.length < Math.min(H, want); j++) if (!have.has(j)) out.push(j);
  return out;
}

function planLayer(model: CharModel, l: number, asked: number[] | undefined, stepped: boolean): LayerPlan {
  const layer = model.layers[l];
  const H = layer.hiddenSize;
  const top = l === model.layers.length - 1;
  // Rows whose preactivations come back (columns of the MatMuls): the asked
  // cells, padded to MIN_COLUMNS columns; an RNN's signals are h alone and
  // need none. A stepped run (an intervention) sizes its preactivations by
  // the cells whose h come back, so there the rows are those cells: for the
  // top layer all of them.
  const all = Array.from({ length: H }, (_, j) => j);
  let derived: number[];
  let rowCells: number[];
  if (layer.kind === 'rnn') {
    derived = asked ?? [];
    rowCells = !stepped ? [] : top ? all : derived;
  } else {
    const G = gateCount(layer.kind);
    derived = top && stepped ? padded(asked ?? [], H, H) : asked ? padded(asked, H, Math.ceil(MIN_COLUMNS / G)) : [];
    rowCells = derived;
  }
  const hCells = Int32Array.from(top ? all : derived);
  return {
    derived,
    asked: asked?.length ?? 0,
    rows: {
      ...selectRows(model, l, rowCells),
      cells: hCells,
      cellTensor: new ort.Tensor('int32', hCells, [hCells.length]),
    },
    perGate: rowCells.length,
    pick: top ? derived : derived.map((_, m) => m),
    width: hCells.length,
  };
}

interface Run {
  from: number;
  to: number;
  /** State before the run (at the checkpoint cp_j). */
  start: RecurrentState;
  out: SegmentOutput;
}

/**
 * The windows of ids in order. cells[l] = the cells of layer l to derive
 * (undefined: none). Runs with `runner` (its intervention plan, if any, applies).
 */
export async function* modelWindows(
  model: CharModel,
  runner: ModelRunner,
  ids: Int32Array,
  cells: (number[] | undefined)[],
): AsyncGenerator<ModelWindow> {
  const T = ids.length;
  const stepped = runner.intervention !== undefined;
  const plans = model.layers.map((_, l) => planLayer(model, l, cells[l], stepped));
  const rows = plans.map((p) => p.rows);
  const windows = Math.ceil(T / MAX_WINDOW);
  const checkpointOf = (j: number): number => Math.floor((j * MAX_WINDOW) / CHECKPOINT_EVERY) * CHECKPOINT_EVERY;
  let state = zeroState(model);
  let prev: Run | undefined;
  for (let j = 0; j < windows; j++) {
    const from = checkpointOf(j);
    const to = j + 1 < windows ? checkpointOf(j + 1) : T;
    const out = await runner.runSegment(ids.subarray(from, to), state, rows, { from });
    const run: Run = { from, to, start: state, out };
    if (prev) yield windowOf(model, plans, j - 1, T, prev, run);
    prev = run;
    state = out.final;
  }
  if (prev) yield windowOf(model, plans, windows - 1, T, prev, undefined);
}

/** Window j from the run that starts at its checkpoint (a) and the next one (b, when the window reaches into it). */
function windowOf(model: CharModel, plans: LayerPlan[], j: number, T: number, a: Run, b: Run | undefined): ModelWindow {
  const from = j * MAX_WINDOW;
  const to = Math.min(T, from + MAX_WINDOW);
  const n = to - a.from; // steps derived: from the checkpoint, where c starts
  const signals = plans.map((p, l) => {
    if (p.asked === 0) return undefined;
    const layer = model.layers[l];
    const k = p.asked;
    const G = gateCount(layer.kind);
    const kp = p.perGate;
    const pick = p.pick.slice(0, k); // the padding cells were for the MatMuls only
    const joined = (name: keyof LayerSegmentOutput): Float32Array | undefined => stepsOf(a, b, l, name, a.from, to);
    const seg: LayerSegmentOutput = {
      hsel: columns(joined('hsel')!, p.width, pick),
      prex: gateColumns(joined('prex')!, G, kp, k),
      preh: gateColumns(joined('preh')!, G, kp, k),
      prehr: mapOpt(joined('prehr'), (v) => gateColumns(v, G, kp, k)),
      csel: mapOpt(joined('csel'), (v) => columns(v, p.width, pick)),
    };
    const c0 = a.start[l].c;
    const all = deriveSignals(
      layer.kind,
      layer.kind === 'gru' && layer.linearBeforeReset,
      n,
      k,
      seg,
      c0 ? Float32Array.from(p.derived.slice(0, k), (cell) => c0[cell]) : null,
    );
    const out: Partial<Record<Signal, Float32Array>> = {};
    for (const [s, v] of Object.entries(all) as [Signal, Float32Array][]) out[s] = v.subarray((from - a.from) * k);
    return out;
  });
  const top = plans.length - 1;
  return { from, to, signals, topH: stepsOf(a, b, top, 'hsel', from, to)! };
}

const mapOpt = <A, B>(x: A | undefined, f: (x: A) => B): B | undefined => (x === undefined ? undefined : f(x));

/** Rows of steps [from, to) of one output of layer l, from run a and, past its end, run b. */
function stepsOf(
  a: Run,
  b: Run | undefined,
  l: number,
  name: keyof LayerSegmentOutput,
  from: number,
  to: number,
): Float32Array | undefined {
  const va = a.out.layers[l][name];
  if (!va) return undefined;
  const width = va.length / (a.to - a.from);
  if (to <= a.to) return va.subarray((from - a.from) * width, (to - a.from) * width);
  const out = new Float32Array((to - from) * width);
  out.set(va.subarray((from - a.from) * width));
  out.set(b!.out.layers[l][name]!.subarray(0, (to - b!.from) * width), (a.to - from) * width);
  return out;
}

/** Columns `pick` of a (rows, width) block, as (rows, pick.length). */
function columns(v: Float32Array, width: number, pick: number[]): Float32Array {
  const k = pick.length;
  if (k === width && pick.every((c, m) => c === m)) return v;
  const rows = v.length / width;
  const out = new Float32Array(rows * k);
  for (let t = 0; t < rows; t++) for (let m = 0; m < k; m++) out[t * k + m] = v[t * width + pick[m]];
  return out;
}

/** The first k cells of gate-major columns (col = gate * kp + m): (rows, G kp) -> (rows, G k). */
function gateColumns(v: Float32Array, G: number, kp: number, k: number): Float32Array {
  if (k === kp || v.length === 0) return v;
  const rows = v.length / (G * kp);
  const out = new Float32Array(rows * G * k);
  let o = 0;
  for (let r = 0; r < rows * G; r++) for (let m = 0; m < k; m++) out[o++] = v[r * kp + m]; // r = t * G + gate
  return out;
}
