// Seeded random CharModels for engine tests: legitimate inputs, since every
// test compares two independent computations on the same model.

import type { CharModel, RecurrentKind, RecurrentLayer } from '../../../../src/core/model/types';

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RandomModelSpec {
  layers: { kind: RecurrentKind; hidden: number; linearBeforeReset?: boolean }[];
  embedding?: number; // E; one-hot when absent
  chars?: string;
  scale?: number;
  seed?: number;
}

export const DEFAULT_CHARS = ' \nabcdefghijklmnopqrstuvwxyz{}();=.,"\t\uFFFD';

export function randomModel(spec: RandomModelSpec): CharModel {
  const rand = rng(spec.seed ?? 1);
  const scale = spec.scale ?? 0.5;
  const fill = (n: number, s = scale): Float32Array => Float32Array.from({ length: n }, () => (rand() * 2 - 1) * s);
  const chars = [...(spec.chars ?? DEFAULT_CHARS)];
  const V = chars.length;
  let I = spec.embedding ?? V;
  const layers: RecurrentLayer[] = spec.layers.map((l) => {
    const H = l.hidden;
    const G = l.kind === 'lstm' ? 4 : 3;
    const s = scale * Math.sqrt(8 / (I + H));
    const layer: RecurrentLayer =
      l.kind === 'lstm'
        ? {
            kind: 'lstm',
            inputSize: I,
            hiddenSize: H,
            W: fill(G * H * I, s),
            R: fill(G * H * H, s),
            B: fill(2 * G * H),
          }
        : {
            kind: 'gru',
            inputSize: I,
            hiddenSize: H,
            W: fill(G * H * I, s),
            R: fill(G * H * H, s),
            B: fill(2 * G * H),
            linearBeforeReset: l.linearBeforeReset ?? true,
          };
    I = H;
    return layer;
  });
  return {
    vocab: { chars, unknownId: chars.indexOf('\uFFFD') >= 0 ? chars.indexOf('\uFFFD') : undefined },
    input: spec.embedding
      ? { kind: 'embedding', dim: spec.embedding, table: fill(V * spec.embedding, 1) }
      : { kind: 'onehot' },
    layers,
    output: { W: fill(V * I, 1), b: fill(V, 0.5) },
    metadata: {},
  };
}

export function randomText(seed: number, length: number, chars = 'abc def\n{}();=x.\t"é😀'): string {
  const rand = rng(seed);
  const pool = [...chars];
  let s = '';
  for (let i = 0; i < length; i++) s += pool[Math.floor(rand() * pool.length)];
  return s;
}

/** Max abs diff; throws with a label and the worst index when over tol. */
export function checkTensor(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, label: string): number {
  if (a.length !== b.length) throw new Error(`${label}: length ${a.length} != ${b.length}`);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= worst)) {
      worst = d;
      at = i;
    }
  }
  if (!(worst <= tol)) throw new Error(`${label}: max abs diff ${worst} at ${at} (${a[at]} vs ${b[at]}) over ${tol}`);
  return worst;
}
