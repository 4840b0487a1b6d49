import * as assert from 'assert';
import { GraphSession } from '../../../../src/core/training/graphSession';
import { ParamLayout, initParams } from '../../../../src/core/training/modelParams';
import type { ModelShape } from '../../../../src/core/training/modelParams';
import { ShardedSession, shardSizes } from '../../../../src/core/training/shardedSession';
import { Rng } from '../../../../src/core/util/seededRandom';

// The sharded step must be the single-session step: the same loss and
// gradient over the whole batch, the same carried state per stream (seen
// through the next step), with stream resets routed to the right shard.
async function compare(shape: ModelShape, T: number, B: number, shards: number, dropout: boolean): Promise<void> {
  const rng = new Rng(11);
  const layout = new ParamLayout(shape);
  const params = initParams(layout, rng);
  const H = shape.hiddenSize;
  const one = await GraphSession.create(shape, T, B, 'train', params, { threads: 1, dropout });
  const many = await ShardedSession.create(shape, T, B, params, { shards, dropout });
  try {
    for (let step = 0; step < 3; step++) {
      const x = Int32Array.from({ length: T * B }, () => rng.int(shape.vocabSize));
      const y = Int32Array.from({ length: T * B }, () => rng.int(shape.vocabSize));
      const masks = dropout
        ? Array.from({ length: shape.layers - 1 }, () =>
            Float32Array.from({ length: T * B * H }, () => (rng.next() < 0.3 ? 0 : 1 / 0.7)),
          )
        : undefined;
      if (step === 2) for (const b of [0, B - 1]) [one, many].forEach((s) => s.resetStream(b));
      const a = await one.run(x, y, masks);
      const b = await many.run(x, y, masks);
      assert.ok(Math.abs(a.loss - b.loss) < 1e-5, `step ${step}: loss ${a.loss} vs sharded ${b.loss}`);
      let scale = 0;
      for (const g of a.grads!) scale = Math.max(scale, Math.abs(g));
      for (let i = 0; i < a.grads!.length; i++)
        assert.ok(
          Math.abs(a.grads![i] - b.grads![i]) <= 1e-5 * scale,
          `step ${step}: grad[${i}] ${a.grads![i]} vs sharded ${b.grads![i]}`,
        );
      // Parameters change in place between steps, as Adam does.
      for (let i = 0; i < params.length; i++) params[i] -= 0.05 * a.grads![i];
    }
  } finally {
    await one.release();
    await many.release();
  }
}

describe('ShardedSession (data-parallel training step)', () => {
  it('splits a batch into contiguous shards, the larger first', () => {
    assert.deepStrictEqual(shardSizes(7, 3), [3, 2, 2]);
    assert.deepStrictEqual(shardSizes(4, 4), [1, 1, 1, 1]);
    assert.throws(() => shardSizes(2, 3), /cannot split a batch of 2 streams into 3 shards/);
    assert.throws(() => shardSizes(2, 0), /shards must be an integer >= 1/);
  });
  it('LSTM, uneven shards: same loss, gradient and carried state as one session', async () => {
    await compare({ kind: 'lstm', vocabSize: 7, embeddingSize: 4, hiddenSize: 6, layers: 1 }, 5, 5, 2, false);
  });
  it('GRU, 2 layers with dropout masks, 3 shards', async () => {
    await compare({ kind: 'gru', vocabSize: 6, embeddingSize: 3, hiddenSize: 5, layers: 2 }, 4, 6, 3, true);
  });
  it('RNN, one stream per shard', async () => {
    await compare({ kind: 'rnn', vocabSize: 5, embeddingSize: 0, hiddenSize: 4, layers: 1 }, 3, 2, 2, false);
  });
  it('release() after a step failed in one shard while another still runs: no abort, the shards exit', async () => {
    // Shard 0 gets a long step; shard 1 fails at once on a bad id. Terminating
    // shard 0 mid-step would abort this whole process (exit 134).
    const shape: ModelShape = { kind: 'lstm', vocabSize: 8, embeddingSize: 8, hiddenSize: 256, layers: 1 };
    const T = 120;
    const params = initParams(new ParamLayout(shape), new Rng(3));
    const s = await ShardedSession.create(shape, T, 2, params, { shards: 2 });
    const x = new Int32Array(T * 2).fill(1);
    x[1] = 99; // stream 1, step 0: shard 1
    const exits = (s as unknown as { shards: { handle: { exited: Promise<number> } }[] }).shards.map(
      (sh) => sh.handle.exited,
    );
    await assert.rejects(s.run(x, new Int32Array(T * 2)), /character id 99/);
    await s.release();
    await Promise.all(exits);
  });
  it('rejects a batch of the wrong size and a stream outside it', async () => {
    const shape: ModelShape = { kind: 'lstm', vocabSize: 4, embeddingSize: 2, hiddenSize: 3, layers: 1 };
    const params = initParams(new ParamLayout(shape), new Rng(1));
    const s = await ShardedSession.create(shape, 2, 2, params, { shards: 2 });
    try {
      await assert.rejects(s.run(new Int32Array(3), new Int32Array(3)), /expected 4 input and target ids/);
      assert.throws(() => s.resetStream(2), /stream 2 is outside the batch/);
      await assert.rejects(
        s.run(Int32Array.from([0, 1, 2, 9]), new Int32Array(4)),
        /training shard 1\.\.1: character id 9 at position 1 is outside the vocabulary/,
      );
    } finally {
      await s.release();
    }
  });
});
