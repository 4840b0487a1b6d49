// Gate saturation of every cell over one text (the panel's saturation view):
// a chunked pass of the inference engine with every cell of every layer
// selected, gates derived per chunk (deriveGates.ts) and counted by
// SaturationCounter. Memory O(chunk * H); nothing is kept beyond one chunk.
// discoverCells.ts runs the same kind of pass for scoring.

import type { CharModel } from '../model/types';
import { Vocabulary } from '../model/vocab';
import { deriveSignals } from '../inference/deriveGates';
import { ModelRunner, selectRows, zeroState } from '../inference/modelRunner';
import { SaturationCounter } from './saturation';
import type { LayerSaturation, SaturationOptions } from './saturation';

export interface TextSaturationOptions extends SaturationOptions {
  /** Characters per engine run (default 2048). */
  chunkSize?: number;
  /** Characters counted at most, from the start (default 200 000). */
  maxChars?: number;
  intraOpThreads?: number;
}

export interface TextSaturation {
  chars: number; // characters counted
  truncated: boolean;
  layers: LayerSaturation[];
}

/** The sigmoid gates counted per layer kind: i, f, o (LSTM), r, z (GRU). */
export function saturationGates(kind: 'lstm' | 'gru'): string[] {
  return kind === 'lstm' ? ['i', 'f', 'o'] : ['r', 'z'];
}

export async function textSaturation(
  model: CharModel,
  text: string,
  options: TextSaturationOptions = {},
  signal?: AbortSignal,
): Promise<TextSaturation> {
  const chunkSize = options.chunkSize ?? 2048;
  const maxChars = options.maxChars ?? 200_000;
  if (!(Number.isInteger(chunkSize) && chunkSize >= 1))
    throw new Error(`chunkSize must be a positive integer, got ${chunkSize}`);
  if (!(Number.isInteger(maxChars) && maxChars >= 1))
    throw new Error(`maxChars must be a positive integer, got ${maxChars}`);
  let ids = new Vocabulary(model.vocab).encode(text);
  if (ids.length === 0) throw new Error('saturation needs a non-empty text');
  const truncated = ids.length > maxChars;
  if (truncated) ids = ids.subarray(0, maxChars);

  const counter = new SaturationCounter(
    model.layers.map((l) => ({ size: l.hiddenSize, gates: saturationGates(l.kind) })),
    options,
  );
  const runner = new ModelRunner(model, { intraOpThreads: options.intraOpThreads });
  const rows = model.layers.map((l, i) =>
    selectRows(
      model,
      i,
      Array.from({ length: l.hiddenSize }, (_, j) => j),
    ),
  );
  try {
    let state = zeroState(model);
    for (let t0 = 0; t0 < ids.length; t0 += chunkSize) {
      signal?.throwIfAborted();
      const T = Math.min(chunkSize, ids.length - t0);
      const out = await runner.runSegment(ids.subarray(t0, t0 + T), state, rows);
      model.layers.forEach((layer, l) => {
        const d = deriveSignals(
          layer.kind,
          layer.kind === 'gru' && layer.linearBeforeReset,
          T,
          layer.hiddenSize,
          out.layers[l],
          state[l].c,
        );
        counter.observe(l, d);
      });
      state = out.final;
    }
  } finally {
    await runner.dispose();
  }
  return { chars: ids.length, truncated, layers: counter.result() };
}
