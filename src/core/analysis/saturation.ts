// Gate saturation per cell (Karpathy, Johnson & Fei-Fei 2015, Fig. 3): the
// fraction of characters at which a gate is left-saturated (< 0.1) and
// right-saturated (> 0.9). Streaming: chunks of gate values add to counts.
// Gates are sigmoids in [0, 1]: i, f, o for LSTM, r, z for GRU.

import type { RecurrentKind } from '../model/types';

/** The sigmoid gates counted per layer kind: i, f, o (LSTM), r, z (GRU), none (RNN). */
export function saturationGates(kind: RecurrentKind): string[] {
  return kind === 'lstm' ? ['i', 'f', 'o'] : kind === 'gru' ? ['r', 'z'] : [];
}

export interface SaturationOptions {
  /** Below this a gate counts as left-saturated (default 0.1). */
  low?: number;
  /** Above this a gate counts as right-saturated (default 0.9). */
  high?: number;
}

export interface GateSaturation {
  /** (H) fraction of characters with the gate below `low`. */
  left: Float32Array;
  /** (H) fraction of characters with the gate above `high`. */
  right: Float32Array;
}

export interface LayerSaturation {
  layer: number;
  count: number; // characters seen
  gates: Record<string, GateSaturation>;
}

export class SaturationCounter {
  private readonly low: number;
  private readonly high: number;
  private readonly counts: number[]; // per layer
  private readonly left: Map<string, Uint32Array>[]; // per layer, gate -> (H)
  private readonly right: Map<string, Uint32Array>[];

  /** layers[l] = { size: H, gates: names of the sigmoid gates counted } */
  constructor(
    private readonly layers: readonly { size: number; gates: readonly string[] }[],
    options: SaturationOptions = {},
  ) {
    this.low = options.low ?? 0.1;
    this.high = options.high ?? 0.9;
    if (!(this.low >= 0 && this.low < this.high && this.high <= 1)) {
      throw new Error(`saturation thresholds need 0 <= low < high <= 1, got low ${this.low}, high ${this.high}`);
    }
    this.counts = layers.map(() => 0);
    this.left = layers.map((l) => new Map(l.gates.map((g) => [g, new Uint32Array(l.size)])));
    this.right = layers.map((l) => new Map(l.gates.map((g) => [g, new Uint32Array(l.size)])));
  }

  /** Adds T characters of layer l: gates[name] is (T, H) for every gate named at construction. */
  observe(l: number, gates: Readonly<Record<string, Float32Array | undefined>>): void {
    const spec = this.layers[l];
    if (spec === undefined) throw new RangeError(`layer ${l} is outside the ${this.layers.length} layers counted`);
    const H = spec.size;
    let T = -1;
    for (const g of spec.gates) {
      const v = gates[g];
      if (v === undefined) throw new Error(`gate ${g} of layer ${l} is missing`);
      if (T < 0) T = v.length / H;
      if (v.length !== T * H || !Number.isInteger(T))
        throw new Error(`gate ${g} of layer ${l}: ${v.length} values do not fill (T, ${H}) with T = ${T}`);
      const left = this.left[l].get(g)!;
      const right = this.right[l].get(g)!;
      for (let t = 0; t < T; t++) {
        for (let j = 0; j < H; j++) {
          const x = v[t * H + j];
          if (x < this.low) left[j]++;
          else if (x > this.high) right[j]++;
        }
      }
    }
    this.counts[l] += Math.max(T, 0);
  }

  result(): LayerSaturation[] {
    return this.layers.map((spec, l) => {
      const n = this.counts[l];
      const gates: Record<string, GateSaturation> = {};
      for (const g of spec.gates) {
        const frac = (c: Uint32Array): Float32Array => Float32Array.from(c, (x) => (n > 0 ? x / n : 0));
        gates[g] = { left: frac(this.left[l].get(g)!), right: frac(this.right[l].get(g)!) };
      }
      return { layer: l, count: n, gates };
    });
  }
}
