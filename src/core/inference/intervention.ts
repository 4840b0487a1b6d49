// Interventions on cells: clamp a cell to a value, ablate it (zero or its
// mean) or flip its sign over a range of characters, and see what the model
// does without it.
//
// Semantics (the same as a PyTorch hook on the state): after every step t in
// [from, to), h_t and c_t of the unit (GRU: h_t) are replaced, so step t + 1,
// the layer above and the output all read the replaced value. Every mode is
// an affine map of the unit's own value,
//   h := a h + hb     c := a c + cb
//   zero  a = 0, hb = cb = 0        value V  a = 0, hb = cb = V
//   mean  a = 0, hb = mean h, cb = mean c (over a sample, computed first)
//   flip  a = -1, hb = cb = 0
// and several clamps on one unit compose in the order given.

import type { CharModel } from '../model/types';

export type InterventionMode = 'zero' | 'mean' | 'value' | 'flip';
export const INTERVENTION_MODES: readonly InterventionMode[] = ['zero', 'mean', 'value', 'flip'];

/** What a user asks for. Steps [from, to) (code points); absent = from the start / to the end. */
export interface CellIntervention {
  layer: number;
  unit: number;
  mode: InterventionMode;
  /** The clamped value, mode 'value' only. */
  value?: number;
  from?: number;
  to?: number;
}

/** An intervention resolved to its affine map (see the top of this file). */
export interface StateClamp {
  layer: number;
  unit: number;
  from: number;
  to: number; // exclusive; Infinity = to the end
  a: number;
  hb: number;
  cb: number;
}

/** Mean of h and c (c absent for GRU) of one unit over a sample. */
export type UnitMeans = (layer: number, unit: number) => { h: number; c: number };

/** Checks an intervention against the model; throws RangeError naming the problem. */
export function checkIntervention(model: CharModel, iv: CellIntervention): void {
  const layer = model.layers[iv.layer];
  if (!Number.isInteger(iv.layer) || !layer)
    throw new RangeError(`intervention layer ${iv.layer} does not exist (the model has ${model.layers.length})`);
  if (!Number.isInteger(iv.unit) || iv.unit < 0 || iv.unit >= layer.hiddenSize)
    throw new RangeError(`intervention cell ${iv.unit} is outside layer ${iv.layer} (H = ${layer.hiddenSize})`);
  if (!INTERVENTION_MODES.includes(iv.mode))
    throw new RangeError(`intervention mode '${String(iv.mode)}' is not one of ${INTERVENTION_MODES.join(', ')}`);
  if (iv.mode === 'value' && !Number.isFinite(iv.value))
    throw new RangeError(`a clamp needs a finite value, got ${String(iv.value)}`);
  const from = iv.from ?? 0;
  const to = iv.to ?? Infinity;
  if (!Number.isInteger(from) || from < 0) throw new RangeError(`intervention start ${from} is not a step >= 0`);
  if (to !== Infinity && (!Number.isInteger(to) || to <= from))
    throw new RangeError(`intervention range ${from}-${to} is empty or reversed`);
  if (layer.kind === 'gru' && !layer.linearBeforeReset)
    throw new RangeError(
      `layer ${iv.layer} is a GRU with linear_before_reset = 0; interventions run GRUs as PyTorch does (linear_before_reset = 1)`,
    );
}

/** The affine maps of a list of interventions; `means` is needed for mode 'mean'. */
export function resolveInterventions(
  model: CharModel,
  list: readonly CellIntervention[],
  means?: UnitMeans,
): StateClamp[] {
  return list.map((iv) => {
    checkIntervention(model, iv);
    const base = { layer: iv.layer, unit: iv.unit, from: iv.from ?? 0, to: iv.to ?? Infinity };
    switch (iv.mode) {
      case 'zero':
        return { ...base, a: 0, hb: 0, cb: 0 };
      case 'value':
        return { ...base, a: 0, hb: iv.value!, cb: iv.value! };
      case 'flip':
        return { ...base, a: -1, hb: 0, cb: 0 };
      case 'mean': {
        if (!means) throw new Error('mean ablation needs the means of the sample');
        const m = means(iv.layer, iv.unit);
        return { ...base, a: 0, hb: m.h, cb: m.c };
      }
    }
  });
}

/** Per layer, the affine coefficients of a run of T steps starting at step `start`. Each (T, H). */
export interface EditRows {
  ha: Float32Array;
  hb: Float32Array;
  ca: Float32Array;
  cb: Float32Array;
}

/** Resolved clamps of one model, answering "which coefficients apply to steps [start, start + T)". */
export class InterventionPlan {
  private list: StateClamp[];

  constructor(
    readonly model: CharModel,
    clamps: readonly StateClamp[],
  ) {
    this.list = clamps.map((k) => ({ ...k }));
  }

  get clamps(): readonly StateClamp[] {
    return this.list;
  }

  /**
   * Steps [p, p + oldLen) of the text became newLen new steps: ranges move
   * with the text, as the editor moves a selection. A range edge inside the
   * replaced steps goes to their start (from) or to the end of the new ones (to).
   */
  applyEdit(p: number, oldLen: number, newLen: number): void {
    const moved = (x: number, edge: 'from' | 'to'): number => {
      if (x <= p) return x;
      if (x >= p + oldLen) return x + newLen - oldLen;
      return edge === 'from' ? p : p + newLen;
    };
    this.list = this.list
      .map((k) => ({ ...k, from: moved(k.from, 'from'), to: k.to === Infinity ? Infinity : moved(k.to, 'to') }))
      .map((k) => (k.to <= k.from ? { ...k, to: k.from + 1 } : k));
  }

  /** True when some clamp applies to a step in [start, end). */
  touches(start: number, end: number): boolean {
    return this.clamps.some((k) => k.from < end && k.to > start);
  }

  /** Coefficients of layer l for steps [start, start + T); identity where no clamp applies. */
  rows(l: number, start: number, T: number): EditRows {
    const H = this.model.layers[l].hiddenSize;
    const rows: EditRows = {
      ha: new Float32Array(T * H).fill(1),
      hb: new Float32Array(T * H),
      ca: new Float32Array(T * H).fill(1),
      cb: new Float32Array(T * H),
    };
    for (const k of this.clamps) {
      if (k.layer !== l) continue;
      const a = Math.max(k.from, start);
      const b = Math.min(k.to, start + T);
      for (let t = a; t < b; t++) {
        const i = (t - start) * H + k.unit;
        // compose: a2 (a1 x + b1) + b2
        rows.ha[i] *= k.a;
        rows.hb[i] = k.a * rows.hb[i] + k.hb;
        rows.ca[i] *= k.a;
        rows.cb[i] = k.a * rows.cb[i] + k.cb;
      }
    }
    return rows;
  }
}

/** "L0 c[19] := 0 over 120-400" style, as hovers, the status bar and the CLI print it. */
export function describeIntervention(model: CharModel, iv: CellIntervention): string {
  const kind = model.layers[iv.layer]?.kind;
  const signal = kind === 'gru' ? 'h' : 'h,c';
  const what =
    iv.mode === 'zero'
      ? ':= 0'
      : iv.mode === 'mean'
        ? ':= mean'
        : iv.mode === 'flip'
          ? ':= −itself'
          : `:= ${Number((iv.value ?? 0).toFixed(4))}`;
  const range =
    iv.from === undefined && iv.to === undefined ? '' : ` over ${iv.from ?? 0}–${iv.to === undefined ? 'end' : iv.to}`;
  return `L${iv.layer} ${signal}[${iv.unit}] ${what}${range}`;
}

/**
 * CLI forms: clamp `L:K=V[@FROM-TO]`; ablate `L:K[:zero|mean|flip][@FROM-TO]`.
 * FROM-TO are character indices, TO exclusive; either may be left out ("@10-", "@-50").
 */
export function parseIntervention(spec: string, form: 'clamp' | 'ablate'): CellIntervention {
  const at = spec.indexOf('@');
  const body = at < 0 ? spec : spec.slice(0, at);
  const range = at < 0 ? undefined : spec.slice(at + 1);
  const bad = (why: string): never => {
    const shape = form === 'clamp' ? 'L:K=V[@FROM-TO]' : 'L:K[:zero|mean|flip][@FROM-TO]';
    throw new RangeError(`--${form} '${spec}': ${why} (expected ${shape})`);
  };
  const m = form === 'clamp' ? /^(\d+):(\d+)=(.+)$/.exec(body) : /^(\d+):(\d+)(?::(zero|mean|flip))?$/.exec(body);
  if (!m) bad('not understood');
  const iv: CellIntervention = { layer: Number(m![1]), unit: Number(m![2]), mode: 'zero' };
  if (form === 'clamp') {
    const v = Number(m![3]);
    if (m![3].trim() === '' || !Number.isFinite(v)) bad(`'${m![3]}' is not a number`);
    iv.mode = 'value';
    iv.value = v;
  } else iv.mode = (m![3] as InterventionMode | undefined) ?? 'zero';
  if (range !== undefined) {
    const r = /^(\d*)-(\d*)$/.exec(range);
    if (!r || (r[1] === '' && r[2] === '')) bad(`range '${range}' is not FROM-TO`);
    if (r![1] !== '') iv.from = Number(r![1]);
    if (r![2] !== '') iv.to = Number(r![2]);
    if (iv.to !== undefined && iv.to <= (iv.from ?? 0)) bad(`range '${range}' is empty`);
  }
  return iv;
}
