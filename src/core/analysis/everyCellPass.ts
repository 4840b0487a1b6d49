// The chunked pass of the inference engine that reads every cell of every
// layer, shared by the saturation view (textSaturation.ts) and cell discovery
// (discoverCells.ts). Each id sequence starts from the zero state, as a
// document does in the editor, and runs `chunkSize` characters per engine
// run; h comes from the graph, c and the gates are derived per chunk
// (deriveGates.ts). Memory O(chunkSize * H) per layer: a chunk's signals are
// handed to `onChunk` and dropped after it returns.

import type { CharModel } from '../model/types';
import { deriveSignals } from '../inference/deriveGates';
import type { DerivedSignals } from '../inference/deriveGates';
import { ModelRunner, selectRows, zeroState } from '../inference/modelRunner';

export interface EveryCellChunk {
  text: number; // index of the id sequence in `texts`
  t0: number; // first step of the chunk in that sequence
  T: number; // steps in the chunk
  layers: DerivedSignals[]; // (L) every signal of every cell, (T, H) each
}

export interface EveryCellPassOptions {
  /** Characters per engine run, a positive integer (the callers check it). */
  chunkSize: number;
  intraOpThreads?: number;
}

/** Runs `texts` (character ids) through the model in order and hands each chunk to `onChunk`. */
export async function everyCellPass(
  model: CharModel,
  texts: readonly Int32Array[],
  options: EveryCellPassOptions,
  onChunk: (chunk: EveryCellChunk) => void | Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const { chunkSize } = options;
  const runner = new ModelRunner(model, { intraOpThreads: options.intraOpThreads });
  const rows = model.layers.map((layer, l) =>
    selectRows(
      model,
      l,
      Array.from({ length: layer.hiddenSize }, (_, j) => j),
    ),
  );
  try {
    for (let text = 0; text < texts.length; text++) {
      const ids = texts[text];
      let state = zeroState(model);
      for (let t0 = 0; t0 < ids.length; t0 += chunkSize) {
        signal?.throwIfAborted();
        const T = Math.min(chunkSize, ids.length - t0);
        const out = await runner.runSegment(ids.subarray(t0, t0 + T), state, rows);
        const layers = model.layers.map((layer, l) =>
          deriveSignals(
            layer.kind,
            layer.kind === 'gru' && layer.linearBeforeReset,
            T,
            layer.hiddenSize,
            out.layers[l],
            state[l].c,
          ),
        );
        state = out.final;
        await onChunk({ text, t0, T, layers });
      }
    }
  } finally {
    await runner.dispose();
  }
}
