// Seeded random CharModels and texts for engine tests: legitimate inputs,
// since every test compares two independent computations on the same model.
// W and R ~ U(-s, s) with s = scale * sqrt(8 / (I + H)) (scale 0.5 unless
// given), B ~ U(-scale, scale), the embedding and output W ~ U(-1, 1), the
// output b ~ U(-0.5, 0.5); randomCharModel (src/core/model/randomModel.ts)
// initialises as PyTorch does instead.

import type { CharModel, RecurrentKind, RecurrentLayer } from '../../src/core/model/types';
import { gateCount } from '../../src/core/model/types';
import { seededRandom } from '../../src/core/util/seededRandom';

export interface RandomModelSpec {
  layers: { kind: RecurrentKind; hidden: number; linearBeforeReset?: boolean }[];
  embedding?: number; // E; one-hot when absent
  chars?: string;
  scale?: number;
  seed?: number;
}

export const DEFAULT_CHARS = ' \nabcdefghijklmnopqrstuvwxyz{}();=.,"\t\uFFFD';

export function randomModel(spec: RandomModelSpec): CharModel {
  const rand = seededRandom(spec.seed ?? 1);
  const scale = spec.scale ?? 0.5;
  const fill = (n: number, s = scale): Float32Array => Float32Array.from({ length: n }, () => (rand() * 2 - 1) * s);
  const chars = [...(spec.chars ?? DEFAULT_CHARS)];
  const V = chars.length;
  let I = spec.embedding ?? V;
  const layers: RecurrentLayer[] = spec.layers.map((l) => {
    const H = l.hidden;
    const G = gateCount(l.kind);
    const s = scale * Math.sqrt(8 / (I + H));
    const common = { inputSize: I, hiddenSize: H, W: fill(G * H * I, s), R: fill(G * H * H, s), B: fill(2 * G * H) };
    const layer: RecurrentLayer =
      l.kind === 'gru'
        ? { kind: 'gru', ...common, linearBeforeReset: l.linearBeforeReset ?? true }
        : { kind: l.kind, ...common };
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
  const rand = seededRandom(seed);
  const pool = [...chars];
  let s = '';
  for (let i = 0; i < length; i++) s += pool[Math.floor(rand() * pool.length)];
  return s;
}
