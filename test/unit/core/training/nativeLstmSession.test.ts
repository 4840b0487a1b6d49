import * as assert from 'assert';
import { GraphSession } from '../../../../src/core/training/graphSession';
import { ParamLayout, initParams } from '../../../../src/core/training/modelParams';
import type { ModelShape } from '../../../../src/core/training/modelParams';
import { loadNativeKernel } from '../../../../src/core/training/nativeKernel';
import type { NativeKernel } from '../../../../src/core/training/nativeKernel';
import { NativeLstmSession } from '../../../../src/core/training/nativeLstmSession';
import { createTrainSession } from '../../../../src/core/training/trainSession';
import { train } from '../../../../src/core/training/trainer';
import { Rng } from '../../../../src/core/util/seededRandom';

// The native kernel must be the ONNX training graph: the same loss, gradient
// and carried state, step after step, for every shape it takes (one-hot and
// embedded input, 1–3 layers, dropout masks, batches that are no multiple
// of the kernel's 16 columns, T = 1). `npm run compile` builds it wherever
// there is an x86-64 CPU and a C compiler, so there it must have loaded.

const load = loadNativeKernel();
const buildable = process.arch === 'x64' && process.platform !== 'win32';

function kernelOrSkip(ctx: Mocha.Context): NativeKernel {
  if (load.kernel) return load.kernel;
  if (buildable && !/AVX2/.test(load.why)) assert.fail(`the native kernel should be built here: ${load.why}`);
  ctx.skip();
}

/** Max |a - b| over the max |a|, per parameter tensor; the worst with its name. */
function worstError(layout: ParamLayout, a: Float32Array, b: Float32Array): { name: string; rel: number } {
  let worst = { name: '', rel: 0 };
  for (const s of layout.specs) {
    let err = 0;
    let scale = 0;
    for (let i = s.offset; i < s.offset + s.size; i++) {
      err = Math.max(err, Math.abs(a[i] - b[i]));
      scale = Math.max(scale, Math.abs(a[i]));
    }
    const rel = err / (scale || 1);
    if (!(rel <= worst.rel)) worst = { name: s.name, rel };
  }
  return worst;
}

async function compare(kernel: NativeKernel, shape: ModelShape, T: number, B: number, dropout: boolean): Promise<void> {
  const rng = new Rng(5);
  const layout = new ParamLayout(shape);
  const params = initParams(layout, rng);
  // Larger weights than at the start of training, so the gates leave their linear range.
  for (let i = 0; i < params.length; i++) params[i] += (rng.next() - 0.5) * 0.6;
  const { hiddenSize: H, layers: L, vocabSize: V } = shape;
  const withMasks = dropout && L > 1;
  const graph = await GraphSession.create(shape, T, B, 'train', params, { threads: 1, dropout: withMasks });
  const native = new NativeLstmSession(kernel, shape, T, B, params, withMasks);
  try {
    for (let k = 0; k < L; k++)
      for (let i = 0; i < B * H; i++) {
        graph.h[k][i] = native.h[k][i] = rng.next() - 0.5;
        graph.c[k][i] = native.c[k][i] = 2 * rng.next() - 1;
      }
    for (let step = 0; step < 3; step++) {
      const x = Int32Array.from({ length: T * B }, () => rng.int(V));
      const y = Int32Array.from({ length: T * B }, () => rng.int(V));
      const masks = withMasks
        ? Array.from({ length: L - 1 }, () =>
            Float32Array.from({ length: T * B * H }, () => (rng.next() < 0.3 ? 0 : 1 / 0.7)),
          )
        : undefined;
      if (step === 2) for (const s of [graph, native]) s.resetStream(B - 1);
      const a = await graph.run(x, y, masks);
      const b = await native.run(x, y, masks);
      const what = `${JSON.stringify(shape)} T ${T} B ${B} step ${step}`;
      assert.ok(Math.abs(a.loss - b.loss) <= 1e-5 * a.loss, `${what}: loss ${a.loss} vs native ${b.loss}`);
      const worst = worstError(layout, a.grads!, b.grads!);
      assert.ok(worst.rel <= 2e-5, `${what}: gradient of ${worst.name} off by ${worst.rel} of its largest value`);
      for (let k = 0; k < L; k++)
        for (let i = 0; i < B * H; i++)
          assert.ok(
            Math.abs(graph.h[k][i] - native.h[k][i]) <= 1e-5 && Math.abs(graph.c[k][i] - native.c[k][i]) <= 1e-5,
            `${what}: carried state of layer ${k} differs at ${i}`,
          );
      for (let i = 0; i < params.length; i++) params[i] -= 0.1 * a.grads![i];
    }
  } finally {
    await graph.release();
    await native.release();
  }
}

describe('native training kernel (NativeLstmSession)', () => {
  it('is built and loads wherever there is an x86-64 CPU and a C compiler', function () {
    kernelOrSkip(this);
  });

  const cases: [string, ModelShape, number, number, boolean][] = [
    ['1 layer, embedding', { kind: 'lstm', vocabSize: 11, embeddingSize: 5, hiddenSize: 7, layers: 1 }, 4, 3, false],
    [
      '2 layers, one-hot input, dropout',
      { kind: 'lstm', vocabSize: 11, embeddingSize: 0, hiddenSize: 9, layers: 2 },
      5,
      3,
      true,
    ],
    [
      '3 layers, dropout, B = 2',
      { kind: 'lstm', vocabSize: 13, embeddingSize: 6, hiddenSize: 10, layers: 3 },
      6,
      2,
      true,
    ],
    [
      '2 layers, B = 9 (a partial vector per row)',
      { kind: 'lstm', vocabSize: 20, embeddingSize: 8, hiddenSize: 16, layers: 2 },
      3,
      9,
      false,
    ],
    ['T = 1, B = 17', { kind: 'lstm', vocabSize: 30, embeddingSize: 0, hiddenSize: 24, layers: 1 }, 1, 17, false],
    [
      'the trainer size, B = 16',
      { kind: 'lstm', vocabSize: 100, embeddingSize: 64, hiddenSize: 64, layers: 1 },
      30,
      16,
      false,
    ],
  ];
  for (const [name, shape, T, B, dropout] of cases)
    it(`matches the ONNX graph's loss, gradient and state over 3 steps: ${name}`, async function () {
      await compare(kernelOrSkip(this), shape, T, B, dropout);
    });

  it('multiplies strided views like the definition (transposes, accumulate, edges)', function () {
    const kernel = kernelOrSkip(this);
    const rng = new Rng(3);
    for (const [M, N, K] of [
      [1, 1, 1],
      [7, 5, 3],
      [13, 17, 300],
      [100, 33, 513],
      [6, 16, 256],
      [4, 9, 0],
    ]) {
      for (const [ta, tb, acc] of [
        [0, 0, 0],
        [1, 0, 1],
        [0, 1, 0],
        [1, 1, 1],
      ] as const) {
        const A = Float32Array.from({ length: M * K }, () => rng.next() - 0.5);
        const Bm = Float32Array.from({ length: K * N }, () => rng.next() - 0.5);
        const ldc = N + 2;
        const C = Float32Array.from({ length: M * ldc }, () => rng.next() - 0.5);
        const [ars, acs] = ta ? [1, M] : [K, 1];
        const [brs, bcs] = tb ? [1, K] : [N, 1];
        const want = Float64Array.from(C);
        for (let i = 0; i < M; i++)
          for (let j = 0; j < N; j++) {
            let s = acc ? want[i * ldc + j] : 0;
            for (let k = 0; k < K; k++) s += A[i * ars + k * acs] * Bm[k * brs + j * bcs];
            want[i * ldc + j] = s;
          }
        kernel.gemm(M, N, K, A, ars, acs, Bm, brs, bcs, C, ldc, acc);
        for (let i = 0; i < C.length; i++)
          assert.ok(Math.abs(C[i] - want[i]) <= 1e-4, `M ${M} N ${N} K ${K} ta ${ta} tb ${tb} acc ${acc}: C[${i}]`);
      }
    }
    assert.throws(
      () => kernel.gemm(2, 2, 2, new Float32Array(3), 2, 1, new Float32Array(4), 2, 1, new Float32Array(4), 2, 0),
      /reaches past its array/,
    );
  });

  it('rejects ids outside the vocabulary, wrong sizes and missing masks, and leaves the state as it was', function () {
    const kernel = kernelOrSkip(this);
    const shape: ModelShape = { kind: 'lstm', vocabSize: 5, embeddingSize: 3, hiddenSize: 4, layers: 2 };
    const layout = new ParamLayout(shape);
    const params = initParams(layout, new Rng(1));
    const s = new NativeLstmSession(kernel, shape, 3, 2, params, true);
    s.h[0].fill(0.25);
    const x = Int32Array.from([0, 1, 2, 3, 4, 0]);
    const masks = [new Float32Array(3 * 2 * 4).fill(1)];
    assert.throws(
      () => void s.run(x, Int32Array.from([0, 1, 2, 5, 0, 0]), masks),
      /character id 5 at position 3 is outside the vocabulary \(size 5\)/,
    );
    assert.throws(() => void s.run(x.subarray(1), x, masks), /expected 6 input ids \(T=3 × B=2\), got 5/);
    assert.throws(() => void s.run(x, x), /needs 1 dropout masks of 24 values/);
    assert.ok(
      s.h[0].every((v) => v === 0.25),
      'a rejected step changed the carried state',
    );
    assert.throws(() => s.resetStream(2), /stream 2 is outside the batch/);
    assert.throws(
      () => new NativeLstmSession(kernel, { ...shape, kind: 'gru' }, 3, 2, new Float32Array(10), false),
      /trains LSTM models, not gru/,
    );
  });

  it('createTrainSession: native for an LSTM on one thread, the ONNX graph for GRU, RNN or when asked', async function () {
    kernelOrSkip(this);
    const lstm: ModelShape = { kind: 'lstm', vocabSize: 6, embeddingSize: 3, hiddenSize: 4, layers: 1 };
    const gru: ModelShape = { ...lstm, kind: 'gru' };
    const paramsOf = (shape: ModelShape): Float32Array => initParams(new ParamLayout(shape), new Rng(2));
    const opts = { threads: 1, dropout: false } as const;
    const made = [
      await createTrainSession(lstm, 2, 2, paramsOf(lstm), { ...opts, kernel: 'auto' }),
      await createTrainSession(lstm, 2, 2, paramsOf(lstm), { ...opts, kernel: 'onnx' }),
      await createTrainSession(lstm, 2, 2, paramsOf(lstm), { ...opts, threads: 2, kernel: 'auto' }),
      await createTrainSession(gru, 2, 2, paramsOf(gru), { ...opts, kernel: 'auto' }),
    ];
    assert.deepStrictEqual(
      made.map((m) => m.engine),
      ['native', 'onnx', 'onnx', 'onnx'],
    );
    for (const m of made) await m.session.release();
    await assert.rejects(
      createTrainSession(gru, 2, 2, paramsOf(gru), { ...opts, kernel: 'native' }),
      /LSTM models only, not gru/,
    );
  });

  it('train() gives the same run with either engine, and says which one trained', async function () {
    kernelOrSkip(this);
    const text = 'def f(x):\n    return "x" + x  # note\n'.repeat(40);
    const files = [
      { name: 'a.py', text },
      { name: 'b.py', text: text.toUpperCase() },
      { name: 'c.py', text: text.replace(/x/g, 'y') },
    ];
    const run = (kernel: 'native' | 'onnx'): ReturnType<typeof train> =>
      train({
        files,
        validationFiles: [files[2]],
        hiddenSize: 16,
        embeddingSize: 8,
        seqLength: 20,
        batchSize: 4,
        maxSteps: 12,
        evalEvery: 6,
        kernel,
      });
    const [a, b] = [await run('onnx'), await run('native')];
    assert.deepStrictEqual([a.engine, b.engine], ['onnx', 'native']);
    assert.ok(
      Math.abs(a.bestValBitsPerChar - b.bestValBitsPerChar) < 1e-3 &&
        Math.abs(a.trainBitsPerChar - b.trainBitsPerChar) < 1e-3,
      `onnx ${a.bestValBitsPerChar} / ${a.trainBitsPerChar} vs native ${b.bestValBitsPerChar} / ${b.trainBitsPerChar}`,
    );
  });
});
