// A CharModel with seeded random weights, for tests, benchmarks and as the
// starting point of training. Weights ~ U(-s, s) with s = 1/sqrt(H), as
// PyTorch initialises nn.LSTM / nn.GRU / nn.RNN; the embedding ~ U(-1, 1).

import { seededRandom } from '../util/seededRandom';
import { gateCount } from './types';
import type { CharModel, RecurrentKind, RecurrentLayer, VocabularySpec } from './types';

export interface RandomModelOptions {
  vocab: VocabularySpec;
  /** Embedding size E; omit for one-hot input. */
  embeddingDim?: number;
  layers: { kind: RecurrentKind; hiddenSize: number; linearBeforeReset?: boolean }[];
  seed?: number;
  /** Weight scale multiplier (default 1). Larger values saturate gates, useful in tests. */
  scale?: number;
}

export function randomCharModel(o: RandomModelOptions): CharModel {
  if (o.layers.length === 0) throw new RangeError('a model needs at least one recurrent layer');
  const rand = seededRandom(o.seed ?? 1);
  const scale = o.scale ?? 1;
  const uniform = (n: number, s: number): Float32Array =>
    Float32Array.from({ length: n }, () => (2 * rand() - 1) * s * scale);
  const V = o.vocab.chars.length;
  let I = o.embeddingDim ?? V;
  const layers: RecurrentLayer[] = o.layers.map((spec) => {
    const H = spec.hiddenSize;
    const G = gateCount(spec.kind);
    const s = 1 / Math.sqrt(H);
    const common = {
      inputSize: I,
      hiddenSize: H,
      W: uniform(G * H * I, s),
      R: uniform(G * H * H, s),
      B: uniform(2 * G * H, s),
    };
    I = H;
    if (spec.kind === 'gru') return { kind: 'gru', ...common, linearBeforeReset: spec.linearBeforeReset ?? true };
    return { kind: spec.kind, ...common };
  });
  const H = I;
  return {
    vocab: o.vocab,
    input:
      o.embeddingDim === undefined
        ? { kind: 'onehot' }
        : { kind: 'embedding', dim: o.embeddingDim, table: uniform(V * o.embeddingDim, 1) },
    layers,
    output: { W: uniform(V * H, 1 / Math.sqrt(H)), b: uniform(V, 1 / Math.sqrt(H)) },
    metadata: {},
  };
}
