import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readModelFile } from '../../../../src/core/model/modelFile';
import { referenceForward } from '../../../../src/core/model/referenceForward';
import { Vocabulary } from '../../../../src/core/model/vocab';
import { GraphSession } from '../../../../src/core/training/graphSession';
import { modelToParams, ParamLayout, shapeOfModel } from '../../../../src/core/training/modelParams';
import { train } from '../../../../src/core/training/trainer';
import { WeightAverage } from '../../../../src/core/training/weightAverage';
import type { TrainProgress } from '../../../../src/core/training/trainer';

// A tiny corpus with structure a small LSTM learns in a few hundred steps.
function corpus(): { name: string; text: string }[] {
  const files = [];
  for (let f = 0; f < 6; f++) {
    let text = '';
    for (let j = 0; j < 60; j++) text += `let x${(j * 7 + f) % 10} = "ab${j % 3}";\n`;
    files.push({ name: `f${f}.js`, text });
  }
  return files;
}

describe('train()', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-train-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('brings validation loss down, checkpoints the best model, and the file reloads with the same logits', async () => {
    const out = path.join(tmp, 'm.onnx');
    const progress: TrainProgress[] = [];
    const checkpoints: number[] = [];
    const r = await train(
      {
        files: corpus(),
        hiddenSize: 24,
        embeddingSize: 8,
        seqLength: 16,
        batchSize: 8,
        learningRate: 1e-2,
        maxSteps: 150,
        evalEvery: 50,
        threads: 1,
        outPath: out,
        validationFraction: 0.15,
      },
      { onProgress: (p) => progress.push(p), onCheckpoint: (c) => checkpoints.push(c.valBitsPerChar) },
    );
    assert.strictEqual(r.stoppedBy, 'steps');
    assert.strictEqual(r.steps, 150);
    assert.strictEqual(r.summary.validationFiles, 1);
    const first = progress.find((p) => p.valBitsPerChar !== undefined)!.valBitsPerChar!;
    assert.ok(Math.log2(r.summary.vocabSize) > 3, 'uniform guessing costs > 3 bits');
    assert.ok(
      r.bestValBitsPerChar < 1.5,
      `validation ${r.bestValBitsPerChar} bits/char after 150 steps (first ${first})`,
    );
    assert.ok(checkpoints.length >= 1 && checkpoints[checkpoints.length - 1] === r.bestValBitsPerChar);
    assert.ok(progress.every((p) => p.charsPerSecond > 0 && p.fraction! <= 1));

    const model = await readModelFile(out);
    assert.strictEqual(model.metadata['lstm_lens.val_bits_per_char'], r.bestValBitsPerChar.toFixed(4));
    const text = 'let x3 = "ab1";\nlet';
    const ids = new Vocabulary(model.vocab).encode(text);
    const ref = referenceForward(model, ids).logits; // (T, V) from the reloaded file
    const layout = new ParamLayout(shapeOfModel(r.model));
    const ours = await GraphSession.create(layout.shape, ids.length, 1, 'infer', modelToParams(layout, r.model), {
      threads: 1,
    });
    const logits = (await ours.run(ids)).logits!;
    await ours.release();
    for (let j = 0; j < ref.length; j++)
      assert.ok(Math.abs(ref[j] - logits[j]) < 1e-4, `logit ${j}: file ${ref[j]} vs trainer ${logits[j]}`);
  });

  it("trains a vanilla RNN the same way; the file reloads as an RNN with the trainer's logits", async () => {
    const out = path.join(tmp, 'rnn.onnx');
    const r = await train({
      files: corpus(),
      kind: 'rnn',
      hiddenSize: 24,
      embeddingSize: 8,
      seqLength: 16,
      batchSize: 8,
      learningRate: 1e-2,
      maxSteps: 150,
      evalEvery: 50,
      threads: 1,
      outPath: out,
      validationFraction: 0.15,
    });
    assert.ok(r.bestValBitsPerChar < 2, `validation ${r.bestValBitsPerChar} bits/char after 150 steps`);
    const model = await readModelFile(out);
    assert.deepStrictEqual(
      model.layers.map((l) => l.kind),
      ['rnn'],
    );
    const ids = new Vocabulary(model.vocab).encode('let x3 = "ab1";\nlet');
    const ref = referenceForward(model, ids).logits;
    const layout = new ParamLayout(shapeOfModel(r.model));
    const ours = await GraphSession.create(layout.shape, ids.length, 1, 'infer', modelToParams(layout, r.model), {
      threads: 1,
    });
    const logits = (await ours.run(ids)).logits!;
    await ours.release();
    for (let j = 0; j < ref.length; j++)
      assert.ok(Math.abs(ref[j] - logits[j]) < 1e-4, `logit ${j}: file ${ref[j]} vs trainer ${logits[j]}`);
  });

  it('continues training a saved model with its vocabulary, and stops when aborted', async () => {
    const first = await train({
      files: corpus(),
      hiddenSize: 16,
      embeddingSize: 4,
      seqLength: 8,
      batchSize: 4,
      maxSteps: 20,
      evalEvery: 10,
      threads: 1,
    });
    const ac = new AbortController();
    let steps = 0;
    const second = await train(
      { files: corpus(), initModel: first.model, seqLength: 8, batchSize: 4, evalEvery: 5, threads: 1, maxSteps: 1000 },
      {
        onProgress: (p) => {
          steps = p.step;
          if (p.step >= 10) ac.abort();
        },
      },
      ac.signal,
    );
    assert.strictEqual(second.stoppedBy, 'aborted');
    assert.ok(steps >= 10 && second.steps < 1000);
    assert.deepStrictEqual(second.model.vocab, first.model.vocab);
    assert.ok(
      second.bestValBitsPerChar <= first.bestValBitsPerChar + 1e-9,
      `continued ${second.bestValBitsPerChar} vs first ${first.bestValBitsPerChar}`,
    );
    // Continuing reports the held-out score it started from: the first run's own best, on the same split.
    assert.ok(
      Math.abs(second.startValBitsPerChar! - first.bestValBitsPerChar) < 1e-3,
      `started at ${second.startValBitsPerChar}, the first run ended at ${first.bestValBitsPerChar}`,
    );
    assert.strictEqual(first.startValBitsPerChar, undefined);
  });

  it('with emaDecay, validates and saves the moving average of the weights Adam moves', async () => {
    const first = await train({
      files: corpus(),
      hiddenSize: 12,
      embeddingSize: 4,
      seqLength: 8,
      batchSize: 4,
      maxSteps: 10,
      evalEvery: 10,
      threads: 1,
    });
    const layout = new ParamLayout(shapeOfModel(first.model));
    // The same continued run twice, snapshotting every step: its raw weights, then their average.
    const run = async (emaDecay: number): Promise<{ val: number; params: Float32Array }[]> => {
      const snaps: { val: number; params: Float32Array }[] = [];
      await train(
        {
          files: corpus(),
          initModel: first.model,
          seqLength: 8,
          batchSize: 4,
          evalEvery: 1,
          threads: 1,
          maxSteps: 12,
          learningRate: 2e-2,
          emaDecay,
        },
        { onSnapshot: (s) => void snaps.push({ val: s.valBitsPerChar, params: modelToParams(layout, s.model) }) },
      );
      return snaps;
    };
    const raw = await run(0);
    const averaged = await run(0.8);
    assert.strictEqual(averaged.length, 12);
    const expected = new WeightAverage(modelToParams(layout, first.model), 0.8);
    let apart = 0;
    for (let n = 0; n < raw.length; n++) {
      expected.update(raw[n].params);
      for (let j = 0; j < layout.total; j++) {
        assert.ok(
          Math.abs(averaged[n].params[j] - expected.values[j]) < 1e-5,
          `step ${n + 1}, weight ${j}: saved ${averaged[n].params[j]}, average of the raw weights ${expected.values[j]}`,
        );
        apart = Math.max(apart, Math.abs(raw[n].params[j] - expected.values[j]));
      }
    }
    assert.ok(apart > 1e-3, `the average must differ from the raw weights (max gap ${apart})`);
    assert.notStrictEqual(averaged[11].val, raw[11].val);
    await assert.rejects(
      train({ files: corpus(), maxSteps: 1, emaDecay: 1 }),
      /option emaDecay must be a number in \[0, 1\), got 1/,
    );
  });

  it('rejects bad options by name', async () => {
    await assert.rejects(train({ files: [], maxSteps: 1 }), /no training files/);
    await assert.rejects(
      train({ files: corpus(), maxSteps: 1, layers: 4 }),
      /option layers must be an integer in 1\.\.3, got 4/,
    );
    await assert.rejects(train({ files: corpus() }), /no way to stop/);
    await assert.rejects(train({ files: corpus(), maxSteps: 1, batchSize: 64, seqLength: 100 }), /text too short/);
  });
});
