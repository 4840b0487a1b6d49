// Gate saturation of every cell over one text (the panel's saturation view):
// the chunked pass over every cell of every layer (everyCellPass.ts), its
// gates counted by SaturationCounter. Memory O(chunk * H); nothing is kept
// beyond one chunk. discoverCells.ts runs the same pass for scoring.

import type { CharModel } from '../model/types';
import { Vocabulary } from '../model/vocab';
import { everyCellPass } from './everyCellPass';
import { SaturationCounter, saturationGates } from './saturation';
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
  await everyCellPass(
    model,
    [ids],
    { chunkSize, intraOpThreads: options.intraOpThreads },
    ({ layers }) => layers.forEach((d, l) => counter.observe(l, d)),
    signal,
  );
  return { chars: ids.length, truncated, layers: counter.result() };
}
