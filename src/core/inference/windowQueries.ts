// On-demand queries around a position: all signals of all cells of a layer
// for a window of characters, and the next-character distribution after a
// step. Both recompute from the nearest fresh checkpoint (at most N + window
// characters), so nothing per-gate is stored for the whole document.

import type { Signal } from '../model/types';
import { deriveSignals } from './deriveGates';
import type { DocumentAnalysis } from './documentAnalysis';
import { CancelledError } from './passScheduler';
import type { RowSelection } from './modelRunner';
import { selectRows } from './modelRunner';
import type { TopEntry } from './nextChar';
import { logProbsFromTop, surprisalBits, topK } from './nextChar';

export const MAX_WINDOW = 1000;

export interface LayerWindow {
  layer: number;
  from: number; // first step
  to: number; // end step (exclusive)
  hiddenSize: number; // H
  /** Each (to - from, H): row t = value after reading step from + t. */
  signals: Partial<Record<Signal, Float32Array>>;
}

const fullRowsCache = new WeakMap<object, RowSelection[]>();

/** All signals of every cell of `layer` for steps [from, to), to - from <= MAX_WINDOW. */
export async function layerWindow(
  doc: DocumentAnalysis,
  layer: number,
  from: number,
  to: number,
): Promise<LayerWindow> {
  const model = doc.model;
  const L = model.layers[layer];
  if (!Number.isInteger(layer) || !L)
    throw new RangeError(`layer ${layer} does not exist (model has ${model.layers.length})`);
  const T = doc.ids.length;
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to > T || from >= to) {
    throw new RangeError(`window ${from}..${to} is not a non-empty range inside 0..${T}`);
  }
  if (to - from > MAX_WINDOW)
    throw new RangeError(`window of ${to - from} characters is over the limit of ${MAX_WINDOW}`);
  const version = doc.version;
  let full = fullRowsCache.get(model);
  if (!full) {
    full = model.layers.map((ly, l) =>
      selectRows(
        model,
        l,
        Array.from({ length: ly.hiddenSize }, (_, j) => j),
      ),
    );
    fullRowsCache.set(model, full);
  }
  const rows = model.layers.map((_, l) => (l === layer ? full[l] : selectRows(model, l, [])));
  const cp = doc.startFor(from);
  const out = await doc.runner.runSegment(doc.ids.subarray(cp.step, to), cp.state, rows, { from: cp.step });
  if (version !== doc.version) throw new CancelledError(version);
  const H = L.hiddenSize;
  const n = to - cp.step;
  const c0 = cp.state[layer].c;
  const all = deriveSignals(L.kind, L.kind === 'gru' && L.linearBeforeReset, n, H, out.layers[layer], c0);
  const skip = (from - cp.step) * H;
  const signals: Partial<Record<Signal, Float32Array>> = {};
  for (const [s, v] of Object.entries(all) as [Signal, Float32Array][]) signals[s] = v.slice(skip);
  return { layer, from, to, hiddenSize: H, signals };
}

export interface NextChar {
  step: number;
  /** Most likely next characters after reading `step`, with probabilities. */
  top: { char: string; p: number }[];
  /** Surprisal (bits) of the character at step + 1, or null at the end. */
  surprisalBits: number | null;
}

/** Distribution after reading step `step` (-1 = before the first character). */
export async function nextAfter(doc: DocumentAnalysis, step: number, k = 5): Promise<NextChar> {
  const T = doc.ids.length;
  if (!Number.isInteger(step) || step < -1 || step >= T) throw new RangeError(`step ${step} is outside -1..${T - 1}`);
  const state = await doc.stateAt(step + 1);
  const lp = logProbsFromTop(doc.model, state[state.length - 1].h);
  return {
    step,
    top: topK(lp, k).map((e: TopEntry) => ({ char: doc.vocab.charOf(e.id), p: e.p })),
    surprisalBits: step + 1 < T ? surprisalBits(lp, doc.ids[step + 1]) : null,
  };
}
