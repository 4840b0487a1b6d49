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
  /** The asked cells (none: the layer's signals are not derived). */
  cells: number[];
  rows: RowSelection;
  /** Columns of the run's hsel / csel holding the asked cells. */
  hCols: number[];
  /** Columns of the run's preactivations holding the asked cells, in deriveGates.ts's gate-major order. */
  gateCols: number[];
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
  const G = gateCount(layer.kind);
  // Rows whose preactivations come back (columns of the MatMuls): the asked
  // cells, padded to MIN_COLUMNS columns; an RNN's signals are h alone and
  // need none. A stepped run (an intervention) sizes its preactivations by
  // the cells whose h come back, so there the rows are those cells: for the
  // top layer all of them.
  const all = Array.from({ length: H }, (_, j) => j);
  const cells = asked ?? [];
  const k = cells.length;
  let rowCells: number[];
  if (layer.kind === 'rnn') rowCells = !stepped ? [] : top ? all : cells;
  else if (top && stepped) rowCells = padded(cells, H, H);
  else rowCells = k > 0 ? padded(cells, H, Math.ceil(MIN_COLUMNS / G)) : [];
  // Whose h come back: all of the top layer's (the guesses need them); for
  // the others the rows' cells (an RNN's: the asked ones), asked ones first.
  const hCells = Int32Array.from(top ? all : layer.kind === 'rnn' ? cells : rowCells);
  return {
    cells,
    rows: {
      ...selectRows(model, l, rowCells),
      cells: hCells,
      cellTensor: new ort.Tensor('int32', hCells, [hCells.length]),
    },
    hCols: cells.map((cell, m) => (top ? cell : m)),
    gateCols:
      layer.kind === 'rnn'
        ? []
        : Array.from({ length: G * k }, (_, c) => Math.floor(c / k) * rowCells.length + (c % k)),
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
    if (p.cells.length === 0) return undefined;
    const layer = model.layers[l];
    const k = p.cells.length; // the padding cells were for the MatMuls only
    const steps = (name: keyof LayerSegmentOutput, cols: number[]): Float32Array | undefined =>
      stepsOf(a, b, l, name, a.from, to, cols);
    const seg: LayerSegmentOutput = {
      hsel: steps('hsel', p.hCols)!,
      prex: steps('prex', p.gateCols)!,
      preh: steps('preh', p.gateCols)!,
      prehr: steps('prehr', p.gateCols),
      csel: steps('csel', p.hCols),
    };
    const c0 = a.start[l].c;
    const all = deriveSignals(
      layer.kind,
      layer.kind === 'gru' && layer.linearBeforeReset,
      n,
      k,
      seg,
      c0 ? Float32Array.from(p.cells, (cell) => c0[cell]) : null,
    );
    const out: Partial<Record<Signal, Float32Array>> = {};
    for (const [s, v] of Object.entries(all) as [Signal, Float32Array][]) out[s] = v.subarray((from - a.from) * k);
    return out;
  });
  const top = plans.length - 1;
  return { from, to, signals, topH: stepsOf(a, b, top, 'hsel', from, to)! };
}

/**
 * Steps [from, to) of one output of layer l, from run a and, past its end,
 * run b: (to - from, width), or with `cols` only those columns of each row.
 */
function stepsOf(
  a: Run,
  b: Run | undefined,
  l: number,
  name: keyof LayerSegmentOutput,
  from: number,
  to: number,
  cols?: number[],
): Float32Array | undefined {
  const va = a.out.layers[l][name];
  if (!va) return undefined;
  const width = va.length / (a.to - a.from);
  const vb = b?.out.layers[l][name];
  if (!cols) {
    if (to <= a.to) return va.subarray((from - a.from) * width, (to - a.from) * width);
    const out = new Float32Array((to - from) * width);
    out.set(va.subarray((from - a.from) * width));
    out.set(vb!.subarray(0, (to - b!.from) * width), (a.to - from) * width);
    return out;
  }
  const k = cols.length;
  const out = new Float32Array((to - from) * k);
  for (let t = from, o = 0; t < to; t++) {
    const inA = t < a.to;
    const v = inA ? va : vb!;
    const base = (inA ? t - a.from : t - b!.from) * width;
    for (let m = 0; m < k; m++) out[o++] = v[base + cols[m]];
  }
  return out;
}
