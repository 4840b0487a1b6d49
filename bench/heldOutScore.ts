// Held-out bits/char of a model over an id sequence, by the trainer's own
// evaluation: the eval graph (trainingGraph.ts) over B streams of T
// characters, state carried, B = 32 or fewer on short texts. One scorer for
// every model a benchmark compares.

import type { CharModel } from '../src/core/model/types';
import { GraphSession } from '../src/core/training/graphSession';
import { modelToParams, ParamLayout, shapeOfModel } from '../src/core/training/modelParams';
import { TextBatches } from '../src/core/training/textBatches';

export async function heldOutBitsPerChar(model: CharModel, ids: Int32Array, T = 100, maxB = 32): Promise<number> {
  const shape = shapeOfModel(model);
  const params = modelToParams(new ParamLayout(shape), model);
  const B = Math.max(1, Math.min(maxB, Math.floor((ids.length - 1) / (T + 1))));
  const s = await GraphSession.create(shape, T, B, 'eval', params, { threads: 2 });
  try {
    const batches = new TextBatches(ids, T, B);
    let sum = 0;
    for (let k = 0; k < batches.batchesPerEpoch; k++) {
      const b = batches.next();
      sum += (await s.run(b.x, b.y)).loss;
    }
    return sum / batches.batchesPerEpoch / Math.LN2;
  } finally {
    await s.release();
  }
}
