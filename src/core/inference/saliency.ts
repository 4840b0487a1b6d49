// Gradient flow at one position: how much the prediction made after reading
// step `at` (of the character that follows; the model's own top guess when
// nothing follows) depends on every earlier character and state. Runs the
// saliency graph (saliencyGraph.ts) on onnxruntime over the window of
// `window` characters before `at`; with `full`, chains windows back to the
// start of the text, the state gradient of each window flowing into the one
// before.

import * as ort from 'onnxruntime-node';
import type { CharModel } from '../model/types';
import type { RecurrentState } from './modelRunner';
import { logProbsFromTop } from './nextChar';
import { buildSaliencyGraph } from './saliencyGraph';

/** Characters back the editor follows (the window is this plus the character at the cursor). */
export const SALIENCY_WINDOW = 400;

export interface SaliencyResult {
  /** The step whose following character is predicted. */
  at: number;
  /** Vocabulary id predicted: the character after `at`, or the top guess when none follows. */
  target: number;
  targetIsGuess: boolean;
  /** ln p(target | characters 0..at). */
  logp: number;
  /** First step covered: saliency[k] is that of step from + k, up to `at`. */
  from: number;
  /** ‖∂ ln p / ∂ x_t‖₂ over the input vector (embedding or one-hot) of each step. (at - from + 1) */
  saliency: Float32Array;
  /** Per layer, ‖∂ ln p / ∂ h_t‖₂ (every path) and (LSTM) ‖∂ ln p / ∂ c_t‖₂ (c_t as the state the next step reads). */
  layers: { h: Float32Array; c: Float32Array | null }[];
}

export class SaliencyEngine {
  private readonly sessions = new Map<number, Promise<ort.InferenceSession>>();

  constructor(
    readonly model: CharModel,
    readonly window = SALIENCY_WINDOW,
  ) {
    if (!Number.isInteger(window) || window < 1) throw new RangeError(`saliency window must be >= 1, got ${window}`);
    for (const [l, layer] of model.layers.entries())
      if (layer.kind === 'gru' && !layer.linearBeforeReset)
        throw new RangeError(`layer ${l}: saliency runs GRUs with linear_before_reset = 1 only`);
  }

  /** Creates the window's session now (a few hundred milliseconds), so that the first request is fast. */
  async warmUp(): Promise<void> {
    await this.session(this.window + 1);
  }

  private session(T: number): Promise<ort.InferenceSession> {
    let s = this.sessions.get(T);
    if (!s) {
      s = ort.InferenceSession.create(buildSaliencyGraph(this.model, T), {
        intraOpNumThreads: 1,
        interOpNumThreads: 1,
        executionMode: 'sequential',
      });
      this.sessions.set(T, s);
    }
    return s;
  }

  /**
   * Saliency of the prediction after step `at` of `ids`. stateAt(s) is the
   * state before reading step s (0 <= s <= ids.length), from the analysis.
   */
  async explain(
    ids: Int32Array,
    at: number,
    stateAt: (s: number) => Promise<RecurrentState>,
    options: { full?: boolean } = {},
  ): Promise<SaliencyResult> {
    const model = this.model;
    const n = ids.length;
    if (!Number.isInteger(at) || at < 0 || at >= n)
      throw new RangeError(`position ${at} is outside the text (0..${n - 1})`);
    let target: number;
    const targetIsGuess = at + 1 >= n;
    if (!targetIsGuess) target = ids[at + 1];
    else {
      const after = await stateAt(at + 1);
      const lp = logProbsFromTop(model, after[after.length - 1].h);
      target = lp.indexOf(Math.max(...lp));
    }
    const T = this.window + 1;
    let a = Math.max(0, at - this.window);
    const parts: { from: number; len: number; out: ort.InferenceSession.OnnxValueMapType }[] = [];
    // the target's window: starts at a, padded after `at` when the text is shorter than T
    let out = await this.runWindow(ids, a, Math.min(T, n - a), T, await stateAt(a), { row: at - a, target }, null);
    parts.push({ from: a, len: at - a + 1, out });
    while (options.full && a > 0) {
      const b = a;
      a = Math.max(0, b - T);
      out = await this.runWindow(ids, a, b - a, b - a, await stateAt(a), null, out);
      parts.unshift({ from: a, len: b - a, out });
    }
    const from = parts[0].from;
    const total = at - from + 1;
    const saliency = new Float32Array(total);
    const layers = model.layers.map((layer) => ({
      h: new Float32Array(total),
      c: layer.kind === 'lstm' ? new Float32Array(total) : null,
    }));
    for (const p of parts) {
      const data = (name: string): Float32Array => (p.out[name].data as Float32Array).subarray(0, p.len);
      saliency.set(data('sal'), p.from - from);
      layers.forEach((layer, l) => {
        layer.h.set(data(`gh_${l}`), p.from - from);
        layer.c?.set(data(`gc_${l}`), p.from - from);
      });
    }
    const last = parts[parts.length - 1];
    const logp = (last.out.logp.data as Float32Array)[at - last.from];
    return { at, target, targetIsGuess, logp, from, saliency, layers };
  }

  /**
   * One window of `len` real characters from step a, in a session of length
   * T >= len (rows past len are padding: nothing flows back from them).
   * `pick`: the target row; `later`: the outputs of the window after this one,
   * whose state gradient flows in at the end.
   */
  private async runWindow(
    ids: Int32Array,
    a: number,
    len: number,
    T: number,
    state: RecurrentState,
    pick: { row: number; target: number } | null,
    later: ort.InferenceSession.OnnxValueMapType | null,
  ): Promise<ort.InferenceSession.OnnxValueMapType> {
    const model = this.model;
    const V = model.vocab.chars.length;
    const sess = await this.session(T);
    const winIds = new Int32Array(T);
    winIds.set(ids.subarray(a, a + len));
    const y = new Float32Array(T * V);
    const wt = new Float32Array(T);
    if (pick) {
      y[pick.row * V + pick.target] = 1;
      wt[pick.row] = 1;
    }
    const feeds: Record<string, ort.Tensor> = {
      ids: new ort.Tensor('int32', winIds, [T]),
      y: new ort.Tensor('float32', y, [T, V]),
      wt: new ort.Tensor('float32', wt, [T, 1]),
    };
    model.layers.forEach((layer, l) => {
      const H = layer.hiddenSize;
      const zeros = new Float32Array(H);
      feeds[`h0_${l}`] = new ort.Tensor('float32', state[l].h, [1, H]);
      feeds[`dhT_${l}`] = new ort.Tensor('float32', later ? (later[`dh0_${l}`].data as Float32Array) : zeros, [1, H]);
      if (layer.kind === 'lstm') {
        feeds[`c0_${l}`] = new ort.Tensor('float32', state[l].c!, [1, H]);
        feeds[`dcT_${l}`] = new ort.Tensor('float32', later ? (later[`dc0_${l}`].data as Float32Array) : zeros, [1, H]);
      }
    });
    return sess.run(feeds);
  }

  async dispose(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    for (const s of all) await (await s).release();
  }
}
