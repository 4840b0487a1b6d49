// Owns the onnxruntime sessions of the inference graph (passGraph.ts) and is
// the only module that calls session.run for analysis.
//
// Contract (checked on load against the session's input/output names):
//   inputs  ids, [targets], per layer h0_l, [c0_l], cells_l, wsel_l, bx_l, rsel_l, bh_l
//   outputs per layer hT_l, [cT_l], hsel_l, prex_l, preh_l, [prehr_l], [hcp_l, ccp_l]; [logp]
// Shapes are in passGraph.ts. One session per variant (with / without logp,
// with / without the all-cells reset gate of GRU layers with
// linear_before_reset = 0, and with the text split into M chained parts of
// fixed length so one run yields M checkpoints, and the int8 draft), created
// lazily and kept.
// With an intervention plan every run goes through the stepped variant
// instead (passGraph.ts), in chunks of STEP_CHUNKS characters, each chunk fed
// the plan's coefficients for its absolute steps (`from`).

import * as os from 'os';
import * as ort from 'onnxruntime-node';
import type { CharModel } from '../model/types';
import { gateCount } from '../model/types';
import { buildPassGraph, needsResetAll } from './passGraph';
import { InterventionPlan } from './intervention';
import { Vocabulary } from '../model/vocab';
import { DRAFT_CHECK_TEXT, MAX_DRAFT_ERROR } from './quantisedLstm';

/** State of one layer between characters. (H) each; c is null for GRU. */
export interface LayerState {
  h: Float32Array;
  c: Float32Array | null;
}
export type RecurrentState = LayerState[];

export function zeroState(model: CharModel): RecurrentState {
  return model.layers.map((l) => ({
    h: new Float32Array(l.hiddenSize),
    c: l.kind === 'lstm' ? new Float32Array(l.hiddenSize) : null,
  }));
}

export function copyState(s: RecurrentState): RecurrentState {
  return s.map((l) => ({ h: l.h.slice(), c: l.c ? l.c.slice() : null }));
}

/** Max abs difference between two states of the same model. */
export function stateDistance(a: RecurrentState, b: RecurrentState): number {
  let d = 0;
  for (let l = 0; l < a.length; l++) {
    const pairs: [Float32Array | null, Float32Array | null][] = [
      [a[l].h, b[l].h],
      [a[l].c, b[l].c],
    ];
    for (const [x, y] of pairs) {
      if (!x || !y) continue;
      for (let j = 0; j < x.length; j++) d = Math.max(d, Math.abs(x[j] - y[j]));
    }
  }
  return d;
}

/** Rows of one layer's W, R and biases for a set of cells, as graph inputs. */
export interface RowSelection {
  cells: Int32Array; // (k)
  wsel: ort.Tensor; // (I, S)
  bx: ort.Tensor; // (S)
  rsel: ort.Tensor; // (H, S)
  bh: ort.Tensor; // (S)
  cellTensor: ort.Tensor;
}

/** Gate-major selected rows: column gate * k + m holds row gate * H + cells[m]. */
export function selectRows(model: CharModel, l: number, cells: ArrayLike<number>): RowSelection {
  const layer = model.layers[l];
  const H = layer.hiddenSize;
  const I = layer.inputSize;
  const G = gateCount(layer.kind);
  const k = cells.length;
  const S = G * k;
  const wsel = new Float32Array(I * S);
  const rsel = new Float32Array(H * S);
  const bx = new Float32Array(S);
  const bh = new Float32Array(S);
  for (let m = 0; m < k; m++) {
    const j = cells[m];
    if (!Number.isInteger(j) || j < 0 || j >= H) throw new RangeError(`cell ${j} is outside layer ${l} (H = ${H})`);
    for (let gate = 0; gate < G; gate++) {
      const row = gate * H + j;
      const col = gate * k + m;
      for (let a = 0; a < I; a++) wsel[a * S + col] = layer.W[row * I + a];
      for (let a = 0; a < H; a++) rsel[a * S + col] = layer.R[row * H + a];
      bx[col] = layer.B[row];
      bh[col] = layer.B[G * H + row];
    }
  }
  const cellArr = Int32Array.from(cells);
  return {
    cells: cellArr,
    cellTensor: new ort.Tensor('int32', cellArr, [k]),
    wsel: new ort.Tensor('float32', wsel, [I, S]),
    bx: new ort.Tensor('float32', bx, [S]),
    rsel: new ort.Tensor('float32', rsel, [H, S]),
    bh: new ort.Tensor('float32', bh, [S]),
  };
}

export interface LayerSegmentOutput {
  hsel: Float32Array; // (T, k)
  prex: Float32Array; // (T, S)
  preh: Float32Array; // (T, S)
  prehr?: Float32Array; // (T, S) GRU with linear_before_reset = 0 only
  csel?: Float32Array; // (T, k) c of the selected cells, stepped runs of LSTM layers only
}

export interface SegmentOutput {
  final: RecurrentState;
  /** With `parts` = M: the state after each of the M parts (the last equals final). */
  states?: RecurrentState[];
  layers: LayerSegmentOutput[];
  /** ln p(ids[t+1] | state after t), (T); the last row is meaningless (target 0). */
  logp?: Float32Array;
}

export interface RunnerOptions {
  /**
   * onnxruntime intra-op threads (default 1). Batch-1 LSTM steps are tiny
   * parallel regions: on an idle 2-core machine 2 spinning threads gained
   * ~25% on the bare LSTM op at H = 256, but on a loaded one (the editor,
   * language servers, other workers) they gained nothing and burned twice
   * the CPU, and without spinning every step pays a thread wake-up
   * (bench/inferenceBench.ts).
   */
  intraOpThreads?: number;
  /** Let idle onnxruntime threads spin (default false: on a shared machine spinning burns the other core). */
  allowSpinning?: boolean;
  /**
   * Threads of the urgent lane (default: 2 when the machine has 2 or more
   * cores, else 1): short runs someone is waiting for, such as the visible
   * range after an edit. They spin while the run lasts (a thread wake-up per
   * character costs more than the second core gains) and stop spinning the
   * moment it returns (session.force_spinning_stop), so the second core is
   * only taken for the burst. The bare LSTM op at H = 256 measured here:
   * 1 thread 40k chars/s, 2 without spinning 34k, 2 spinning 56k.
   */
  urgentThreads?: number;
  /** Run with these cells clamped (intervention.ts): every run is stepped and needs `from`. */
  intervention?: InterventionPlan;
}

/** Fixed lengths of the stepped graph's sessions; a run is split greedily into them, so nothing is padded. */
export const STEP_CHUNKS = [32, 4, 1] as const;

/** What ModelRunner.draftCheck found: whether drafts are shown, the measured error and why. */
export interface DraftCheck {
  faithful: boolean;
  error?: number; // mean |h_draft - h_exact|
  reason: string;
}

/** Which thread setting a run uses: `background` for long passes, `urgent` for runs the user waits for. */
export type Lane = 'background' | 'urgent';

export class ModelRunner {
  private readonly sessions = new Map<string, Promise<ort.InferenceSession>>();
  readonly threads: number;
  readonly urgentThreads: number;
  private readonly spinning: boolean;
  readonly intervention?: InterventionPlan;
  /** Identity coefficient tensors per layer and chunk length, for chunks no clamp touches. */
  private readonly identityRows = new Map<string, Record<string, ort.Tensor>>();
  private draftChecked?: Promise<DraftCheck>;

  constructor(
    readonly model: CharModel,
    options: RunnerOptions = {},
  ) {
    this.spinning = options.allowSpinning ?? false;
    this.intervention = options.intervention;
    if (this.intervention && this.intervention.model !== model)
      throw new Error('the intervention plan was made for another model');
    this.threads = options.intraOpThreads ?? 1;
    this.urgentThreads = options.urgentThreads ?? Math.min(2, os.availableParallelism());
    for (const [name, n] of [
      ['intraOpThreads', this.threads],
      ['urgentThreads', this.urgentThreads],
    ] as const) {
      if (!Number.isInteger(n) || n < 1) throw new RangeError(`${name} must be a positive integer, got ${n}`);
    }
  }

  /**
   * Creates sessions now (session creation takes 60-200 ms), so that load
   * errors surface at load time and the first pass is not slowed down.
   * parts / partLength: the M x P variant a long pass uses.
   */
  async warmUp(variants: { logp?: boolean; parts?: number; partLength?: number; lane?: Lane }[] = [{}]): Promise<void> {
    for (const v of variants) {
      if (this.intervention) {
        for (const n of STEP_CHUNKS) await this.session(v.logp === true, false, 1, 0, v.lane ?? 'background', n);
        continue;
      }
      const M = v.parts ?? 1;
      const P = M > 1 ? (v.partLength ?? 0) : 0;
      const lane = v.lane ?? 'background';
      await this.session(v.logp === true, false, M, P, lane);
      if (lane === 'urgent' && this.hasUrgentLane) {
        // A new spinning pool spins until its first run returns (~35 ms of a
        // core here); one short run now makes force_spinning_stop park it.
        const rows = this.model.layers.map((_, l) => selectRows(this.model, l, []));
        await this.runSegment(new Int32Array(Math.max(1, M * P)), zeroState(this.model), rows, {
          logp: v.logp,
          parts: M,
          lane,
        });
      }
    }
  }

  /**
   * Whether runSegment can draft: an LSTM model without an intervention
   * (onnxruntime has no quantised GRU or RNN op, and a draft is never stepped).
   */
  get canDraft(): boolean {
    return !this.intervention && this.model.layers.every((l) => l.kind === 'lstm');
  }

  /** Creates the draft pass's session now (see warmUp) and checks the draft (draftCheck). */
  async warmUpDraft(logp: boolean): Promise<void> {
    if (!(await this.draftCheck()).faithful) return;
    await this.session(logp, false, 1, 0, 'background', 0, true);
  }

  /** Whether drafts are shown for this model (draftCheck). */
  async draftFaithful(): Promise<boolean> {
    return (await this.draftCheck()).faithful;
  }

  /**
   * Whether the draft follows this model closely enough to be shown: its mean
   * |Δh| against the exact graph on DRAFT_CHECK_TEXT (quantisedLstm.ts), every
   * cell of every layer, is at most MAX_DRAFT_ERROR. Measured once; a model
   * without a draft, or a draft that fails to run, gets `faithful: false` and
   * the reason, never an error.
   */
  draftCheck(): Promise<DraftCheck> {
    this.draftChecked ??= (async (): Promise<DraftCheck> => {
      if (this.intervention) return { faithful: false, reason: 'the model runs with an intervention' };
      if (!this.canDraft) return { faithful: false, reason: 'only LSTM layers have an int8 op' };
      try {
        const error = await this.measureDraftError();
        return error <= MAX_DRAFT_ERROR
          ? { faithful: true, error, reason: `mean |Δh| ${error.toFixed(4)} on the check text` }
          : {
              faithful: false,
              error,
              reason: `mean |Δh| ${error.toFixed(4)} on the check text, over ${MAX_DRAFT_ERROR}`,
            };
      } catch (e) {
        return { faithful: false, reason: `the draft graph failed: ${e instanceof Error ? e.message : String(e)}` };
      }
    })();
    return this.draftChecked;
  }

  /** Mean |h_draft - h_exact| over every cell and step of DRAFT_CHECK_TEXT. */
  async measureDraftError(): Promise<number> {
    const vocab = new Vocabulary(this.model.vocab);
    const ids = Int32Array.from(DRAFT_CHECK_TEXT, (ch) => vocab.idOf(ch.codePointAt(0)!));
    const rows = this.model.layers.map((layer, l) =>
      selectRows(
        this.model,
        l,
        Array.from({ length: layer.hiddenSize }, (_, j) => j),
      ),
    );
    const exact = await this.runSegment(ids, zeroState(this.model), rows);
    const draft = await this.runSegment(ids, zeroState(this.model), rows, { draft: true });
    let sum = 0;
    let n = 0;
    exact.layers.forEach((e, l) => {
      const d = draft.layers[l].hsel; // (T, H)
      for (let k = 0; k < d.length; k++) sum += Math.abs(d[k] - e.hsel[k]);
      n += d.length;
    });
    return sum / n;
  }

  /** False when urgent runs would get no more threads: they then use the background sessions. */
  private get hasUrgentLane(): boolean {
    return this.urgentThreads > this.threads;
  }

  private session(
    logp: boolean,
    resetAll: boolean,
    M: number,
    P: number,
    lane: Lane,
    stepped = 0,
    draft = false,
  ): Promise<ort.InferenceSession> {
    // A draft runs on one thread: its int8 steps are too short to share (one
    // thread measured faster than two spinning ones).
    const urgent = lane === 'urgent' && this.hasUrgentLane && !draft;
    const key = `${logp}|${resetAll}|${M}|${P}|${urgent}|${stepped}|${draft}`;
    let s = this.sessions.get(key);
    if (!s) {
      const parts = M > 1 ? { count: M, length: P } : undefined;
      const resetAllLayers = this.model.layers.map(() => resetAll);
      const bytes = buildPassGraph(this.model, {
        logp,
        resetAll: resetAllLayers,
        parts,
        stepped: stepped || undefined,
        draft,
      });
      const spin = urgent || (this.spinning && !draft);
      s = ort.InferenceSession.create(bytes, {
        intraOpNumThreads: urgent ? this.urgentThreads : draft ? 1 : this.threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        extra: {
          session: { intra_op: { allow_spinning: spin ? '1' : '0' }, ...(urgent ? { force_spinning_stop: '1' } : {}) },
        },
      }).then((sess) => {
        checkContract(this.model, sess, logp, resetAll, M > 1, stepped > 0);
        return sess;
      });
      this.sessions.set(key, s);
    }
    return s;
  }

  /**
   * Runs ids (T >= 1) from `state`. selections[l] chooses the rows of layer l
   * whose preactivations come back. With logp, row t of the result is
   * ln p(ids[t+1]) (the caller supplies `nextId` for the row after the last).
   */
  async runSegment(
    ids: Int32Array,
    state: RecurrentState,
    selections: RowSelection[],
    options: {
      logp?: boolean;
      nextId?: number;
      parts?: number;
      lane?: Lane;
      /** Absolute step of ids[0]; required with an intervention plan. */
      from?: number;
      /** Approximate values from the int8 draft graph (canDraft models; no parts). */
      draft?: boolean;
    } = {},
  ): Promise<SegmentOutput> {
    const T = ids.length;
    if (T < 1) throw new RangeError('runSegment needs at least one character');
    const M = options.parts ?? 1;
    if (!Number.isInteger(M) || M < 1 || T % M !== 0)
      throw new RangeError(`cannot split ${T} characters into ${M} equal parts`);
    const V = this.model.vocab.chars.length;
    for (let t = 0; t < T; t++) {
      if (ids[t] < 0 || ids[t] >= V)
        throw new RangeError(`character id ${ids[t]} at position ${t} is outside the vocabulary (size ${V})`);
    }
    if (options.draft && (!this.canDraft || M > 1))
      throw new Error('a draft run needs an LSTM model without an intervention, in one part');
    if (this.intervention) return this.runStepped(ids, state, selections, { ...options, parts: M });
    const resetAll = this.model.layers.some((_, l) => needsResetAll(this.model, l) && selections[l].cells.length > 0);
    const logp = options.logp === true;
    const lane = options.lane ?? 'background';
    const sess = await this.session(logp, resetAll, M, M > 1 ? T / M : 0, lane, 0, options.draft === true);
    const feeds: Record<string, ort.Tensor> = { ids: new ort.Tensor('int32', ids, [T]) };
    if (logp) {
      const targets = new Int32Array(T);
      targets.set(ids.subarray(1));
      targets[T - 1] = options.nextId ?? 0;
      feeds.targets = new ort.Tensor('int32', targets, [T, 1]);
    }
    this.model.layers.forEach((_, l) => Object.assign(feeds, this.layerFeeds(l, state, selections[l])));
    const out = await sess.run(feeds);
    const data = (name: string): Float32Array => out[name].data as Float32Array;
    const states =
      M > 1
        ? Array.from({ length: M }, (_, m) =>
            this.model.layers.map((layer, l) => {
              const H = layer.hiddenSize;
              return {
                h: data(`hcp_${l}`).slice(m * H, (m + 1) * H),
                c: layer.kind === 'lstm' ? data(`ccp_${l}`).slice(m * H, (m + 1) * H) : null,
              };
            }),
          )
        : undefined;
    return {
      states,
      final: this.model.layers.map((layer, l) => ({
        h: data(`hT_${l}`).slice(),
        c: layer.kind === 'lstm' ? data(`cT_${l}`).slice() : null,
      })),
      layers: this.model.layers.map((_, l) => ({
        hsel: data(`hsel_${l}`),
        prex: data(`prex_${l}`),
        preh: data(`preh_${l}`),
        prehr: resetAll && needsResetAll(this.model, l) ? data(`prehr_${l}`) : undefined,
      })),
      logp: logp ? data('logp') : undefined,
    };
  }

  /** runSegment with the intervention plan: stepped chunks, state rewritten after every step. */
  private async runStepped(
    ids: Int32Array,
    state: RecurrentState,
    selections: RowSelection[],
    options: { logp?: boolean; nextId?: number; parts: number; lane?: Lane; from?: number },
  ): Promise<SegmentOutput> {
    const plan = this.intervention!;
    const from = options.from;
    if (from === undefined || !Number.isInteger(from) || from < 0)
      throw new Error('a run with an intervention needs the absolute step of its first character (from)');
    const T = ids.length;
    const M = options.parts;
    const P = T / M;
    const logp = options.logp === true;
    const lane = options.lane ?? 'background';
    const layers = this.model.layers;
    const k = selections.map((sel) => sel.cells.length);
    const S = layers.map((layer, l) => gateCount(layer.kind) * k[l]);
    const out: LayerSegmentOutput[] = layers.map((layer, l) => ({
      hsel: new Float32Array(T * k[l]),
      prex: new Float32Array(T * S[l]),
      preh: new Float32Array(T * S[l]),
      csel: layer.kind === 'lstm' ? new Float32Array(T * k[l]) : undefined,
    }));
    const lp = logp ? new Float32Array(T) : undefined;
    const states: RecurrentState[] = [];
    let cur = state;
    let t0 = 0;
    for (let m = 0; m < M; m++) {
      const end = (m + 1) * P;
      while (t0 < end) {
        const n = STEP_CHUNKS.find((c) => c <= end - t0)!;
        const sess = await this.session(logp, false, 1, 0, lane, n);
        const feeds: Record<string, ort.Tensor> = { ids: new ort.Tensor('int32', ids.slice(t0, t0 + n), [n]) };
        if (logp) {
          const targets = new Int32Array(n);
          for (let t = 0; t < n; t++) targets[t] = t0 + t + 1 < T ? ids[t0 + t + 1] : (options.nextId ?? 0);
          feeds.targets = new ort.Tensor('int32', targets, [n, 1]);
        }
        layers.forEach((_, l) =>
          Object.assign(feeds, this.layerFeeds(l, cur, selections[l]), this.editFeeds(plan, l, from + t0, n)),
        );
        const res = await sess.run(feeds);
        const data = (name: string): Float32Array => res[name].data as Float32Array;
        layers.forEach((_, l) => {
          out[l].hsel.set(data(`hsel_${l}`), t0 * k[l]);
          out[l].prex.set(data(`prex_${l}`), t0 * S[l]);
          out[l].preh.set(data(`preh_${l}`), t0 * S[l]);
          if (out[l].csel) out[l].csel.set(data(`csel_${l}`), t0 * k[l]);
        });
        if (lp) lp.set(data('logp'), t0);
        cur = layers.map((layer, l) => ({
          h: data(`hT_${l}`).slice(),
          c: layer.kind === 'lstm' ? data(`cT_${l}`).slice() : null,
        }));
        t0 += n;
      }
      states.push(cur);
    }
    return { final: cur, states: M > 1 ? states : undefined, layers: out, logp: lp };
  }

  /** h0_l (and c0_l) from `state` and the selected rows of layer l. */
  private layerFeeds(l: number, state: RecurrentState, sel: RowSelection): Record<string, ort.Tensor> {
    const layer = this.model.layers[l];
    const H = layer.hiddenSize;
    const feeds: Record<string, ort.Tensor> = {
      [`h0_${l}`]: new ort.Tensor('float32', state[l].h, [1, 1, H]),
      [`cells_${l}`]: sel.cellTensor,
      [`wsel_${l}`]: sel.wsel,
      [`bx_${l}`]: sel.bx,
      [`rsel_${l}`]: sel.rsel,
      [`bh_${l}`]: sel.bh,
    };
    if (layer.kind === 'lstm') feeds[`c0_${l}`] = new ort.Tensor('float32', state[l].c!, [1, 1, H]);
    return feeds;
  }

  /** ha_l, hb_l (and ca_l, cb_l) for steps [start, start + n) of layer l. */
  private editFeeds(plan: InterventionPlan, l: number, start: number, n: number): Record<string, ort.Tensor> {
    const layer = this.model.layers[l];
    const H = layer.hiddenSize;
    const key = `${l}|${n}`;
    const identity = !plan.touches(start, start + n);
    const cached = identity ? this.identityRows.get(key) : undefined;
    if (cached) return cached;
    const rows = identity ? new InterventionPlan(this.model, []).rows(l, 0, n) : plan.rows(l, start, n);
    const feeds: Record<string, ort.Tensor> = {
      [`ha_${l}`]: new ort.Tensor('float32', rows.ha, [n, H]),
      [`hb_${l}`]: new ort.Tensor('float32', rows.hb, [n, H]),
    };
    if (layer.kind === 'lstm') {
      feeds[`ca_${l}`] = new ort.Tensor('float32', rows.ca, [n, H]);
      feeds[`cb_${l}`] = new ort.Tensor('float32', rows.cb, [n, H]);
    }
    if (identity) this.identityRows.set(key, feeds);
    return feeds;
  }

  async dispose(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    for (const s of all) await (await s).release();
  }
}

function checkContract(
  model: CharModel,
  sess: ort.InferenceSession,
  logp: boolean,
  resetAll: boolean,
  parts: boolean,
  stepped = false,
): void {
  const inputs = ['ids', ...(logp ? ['targets'] : [])];
  const outputs: string[] = [];
  model.layers.forEach((layer, l) => {
    inputs.push(
      `h0_${l}`,
      ...(layer.kind === 'lstm' ? [`c0_${l}`] : []),
      `cells_${l}`,
      `wsel_${l}`,
      `bx_${l}`,
      `rsel_${l}`,
      `bh_${l}`,
    );
    outputs.push(`hT_${l}`, ...(layer.kind === 'lstm' ? [`cT_${l}`] : []), `hsel_${l}`, `prex_${l}`, `preh_${l}`);
    if (stepped) {
      inputs.push(`ha_${l}`, `hb_${l}`, ...(layer.kind === 'lstm' ? [`ca_${l}`, `cb_${l}`] : []));
      if (layer.kind === 'lstm') outputs.push(`csel_${l}`);
    }
    if (resetAll && needsResetAll(model, l)) outputs.push(`prehr_${l}`);
    if (parts) outputs.push(`hcp_${l}`, ...(layer.kind === 'lstm' ? [`ccp_${l}`] : []));
  });
  if (logp) outputs.push('logp');
  const same = (a: readonly string[], b: string[]): boolean => a.length === b.length && b.every((n) => a.includes(n));
  if (!same(sess.inputNames, inputs) || !same(sess.outputNames, outputs)) {
    throw new Error(
      `inference graph contract broken: inputs [${sess.inputNames.join(', ')}] outputs [${sess.outputNames.join(', ')}], ` +
        `expected inputs [${inputs.join(', ')}] outputs [${outputs.join(', ')}]`,
    );
  }
}
