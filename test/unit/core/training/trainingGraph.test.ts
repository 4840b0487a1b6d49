import * as assert from 'assert';
import { GraphSession } from '../../../../src/core/training/graphSession';
import { ParamLayout, initParams } from '../../../../src/core/training/modelParams';
import type { ModelShape } from '../../../../src/core/training/modelParams';
import { Rng } from '../../../../src/core/util/seededRandom';
import { float64Loss } from './float64Loss';

// Finite differences of a float64 loss (plain loops, test helper) against the
// gradients the ONNX training graph computes in float32.
async function gradCheck(shape: ModelShape, T: number, B: number, dropout: boolean): Promise<void> {
  const rng = new Rng(7);
  const layout = new ParamLayout(shape);
  const p32 = initParams(layout, rng);
  for (let j = 0; j < p32.length; j++) p32[j] += rng.uniform(-0.3, 0.3); // break symmetry, larger gradients
  const H = shape.hiddenSize;
  const s = await GraphSession.create(shape, T, B, 'train', p32, { threads: 1, dropout });
  for (const a of [...s.h, ...s.c]) for (let j = 0; j < a.length; j++) a[j] = rng.uniform(-0.5, 0.5);
  const h0 = s.h.map((a) => a.slice());
  const c0 = s.c.map((a) => a.slice());
  const xIds = Int32Array.from({ length: T * B }, () => rng.int(shape.vocabSize));
  const yIds = Int32Array.from({ length: T * B }, () => rng.int(shape.vocabSize));
  const masks = dropout
    ? Array.from({ length: shape.layers - 1 }, () =>
        Float32Array.from({ length: T * B * H }, () => (rng.next() < 0.3 ? 0 : 1 / 0.7)),
      )
    : undefined;
  const r = await s.run(xIds, yIds, masks);
  const p64 = Float64Array.from(p32);
  const loss64 = float64Loss(layout, p64, xIds, yIds, T, B, h0, c0, masks);
  assert.ok(Math.abs(r.loss - loss64) < 1e-5 * Math.abs(loss64), `loss ${r.loss} vs float64 ${loss64}`);
  const eps = 1e-5;
  let worst = 0;
  for (const spec of layout.specs) {
    for (let j = 0; j < spec.size; j++) {
      const q = spec.offset + j;
      const old = p64[q];
      p64[q] = old + eps;
      const lp = float64Loss(layout, p64, xIds, yIds, T, B, h0, c0, masks);
      p64[q] = old - eps;
      const lm = float64Loss(layout, p64, xIds, yIds, T, B, h0, c0, masks);
      p64[q] = old;
      const num = (lp - lm) / (2 * eps);
      const ana = r.grads![q];
      const err = Math.abs(num - ana) / (Math.abs(num) + Math.abs(ana) + 1e-4);
      worst = Math.max(worst, err);
      assert.ok(err < 2e-3, `${spec.name}[${j}]: graph ${ana} vs finite difference ${num}`);
    }
  }
  await s.release();
  assert.ok(worst < 2e-3);
}

describe('training graph gradients (finite differences, float64)', () => {
  it('LSTM, 2 layers, embedding, carried state', async () => {
    await gradCheck({ kind: 'lstm', vocabSize: 6, embeddingSize: 4, hiddenSize: 5, layers: 2 }, 4, 3, false);
  });
  it('LSTM, 3 layers, dropout masks between layers', async () => {
    await gradCheck({ kind: 'lstm', vocabSize: 5, embeddingSize: 3, hiddenSize: 4, layers: 3 }, 3, 2, true);
  });
  it('LSTM, 1 layer, one-hot input', async () => {
    await gradCheck({ kind: 'lstm', vocabSize: 6, embeddingSize: 0, hiddenSize: 5, layers: 1 }, 4, 2, false);
  });
  it('GRU (linear_before_reset = 1), 2 layers, embedding', async () => {
    await gradCheck({ kind: 'gru', vocabSize: 6, embeddingSize: 4, hiddenSize: 5, layers: 2 }, 4, 3, false);
  });
  it('vanilla RNN (tanh), 2 layers, embedding, dropout', async () => {
    await gradCheck({ kind: 'rnn', vocabSize: 6, embeddingSize: 4, hiddenSize: 5, layers: 2 }, 5, 3, true);
  });
  it('vanilla RNN, 1 layer, one-hot input', async () => {
    await gradCheck({ kind: 'rnn', vocabSize: 5, embeddingSize: 0, hiddenSize: 4, layers: 1 }, 4, 2, false);
  });
  it('rejects ids outside the vocabulary by name', async () => {
    const shape: ModelShape = { kind: 'lstm', vocabSize: 4, embeddingSize: 2, hiddenSize: 3, layers: 1 };
    const s = await GraphSession.create(shape, 2, 1, 'train', initParams(new ParamLayout(shape), new Rng(1)), {
      threads: 1,
    });
    await assert.rejects(
      s.run(Int32Array.from([0, 9]), Int32Array.from([0, 1])),
      /character id 9 at position 1 is outside the vocabulary/,
    );
  });
});
