import * as assert from 'assert';
import {
  CELL_TYPES,
  customPlan,
  describePlan,
  FINE_TUNE_LEARNING_RATE,
  fineTunePlan,
  fitToCorpus,
  formatDuration,
  parseBudget,
  parseIntIn,
  PRESETS,
  trainOptionsFor,
  TRIO_HIDDEN,
  trioPlans,
} from '../../../../src/extension/training/trainingPresets';
import { resolveOptions } from '../../../../src/core/training/trainOptions';

describe('extension/trainingPresets', () => {
  it('offers quick ≈ 2 min, balanced ≈ 10 min, thorough ≈ 1 h, custom and the RNN vs GRU vs LSTM series', () => {
    assert.deepStrictEqual(
      PRESETS.map((p) => [p.id, p.plan?.maxSeconds]),
      [
        ['quick', 120],
        ['balanced', 600],
        ['thorough', 3600],
        ['custom', undefined],
        ['trio', undefined],
      ],
    );
    for (const p of PRESETS.filter((x) => x.plan)) {
      // Each preset's options pass the trainer's own checks.
      resolveOptions({ files: [{ name: 'a', text: 'x' }], ...trainOptionsFor(p.plan!, {}) });
    }
  });

  it('parses budgets in seconds, minutes, hours or steps, and names bad ones', () => {
    assert.deepStrictEqual(parseBudget('90s'), { maxSeconds: 90 });
    assert.deepStrictEqual(parseBudget(' 2 min '), { maxSeconds: 120 });
    assert.deepStrictEqual(parseBudget('1.5h'), { maxSeconds: 5400 });
    assert.deepStrictEqual(parseBudget('300 steps'), { maxSteps: 300 });
    assert.deepStrictEqual(parseBudget('1 step'), { maxSteps: 1 });
    assert.throws(() => parseBudget('soon'), /budget "soon" is not a duration or a step count/);
    assert.throws(() => parseBudget('2.5 steps'), /whole number/);
    assert.throws(() => parseBudget('0 s'), /between 1 second and 24 hours/);
    assert.throws(() => parseBudget('30 h'), /between 1 second and 24 hours/);
  });

  it('parses whole numbers in a range, naming the field', () => {
    assert.strictEqual(parseIntIn(' 2 ', 'layers', 1, 3), 2);
    assert.throws(() => parseIntIn('4', 'layers', 1, 3), /layers must be a whole number from 1 to 3, got "4"/);
    assert.throws(() => parseIntIn('1e2', 'hidden size', 8, 1024), /hidden size/);
  });

  it('builds a custom plan that validates with the trainer; step budgets validate about 10 times', () => {
    const p = customPlan(1, 32, { maxSteps: 40 });
    assert.strictEqual(p.evalEvery, 4);
    assert.strictEqual(p.patience, 0);
    assert.strictEqual(p.seqLength, 50);
    assert.strictEqual(p.embeddingSize, 16);
    const q = customPlan(2, 512, { maxSeconds: 300 });
    assert.strictEqual(q.dropout, 0.1);
    assert.strictEqual(q.embeddingSize, 64);
    resolveOptions({ files: [{ name: 'a', text: 'x' }], ...trainOptionsFor(q, {}) });
    assert.throws(() => customPlan(4, 32, { maxSteps: 1 }), /layers/);
    assert.throws(() => customPlan(1, 32, {}), /budget/);
  });

  it('fits B then T to a small corpus, and names what is missing', () => {
    const p = PRESETS[1].plan!; // T 100, B 32
    assert.deepStrictEqual([fitToCorpus(p, 1e6, 1000).batchSize, fitToCorpus(p, 1e6, 1000).seqLength], [32, 100]);
    const small = fitToCorpus(p, 1500, 300);
    assert.ok(small.batchSize * (small.seqLength + 1) <= 1500);
    assert.strictEqual(small.seqLength, 100);
    assert.strictEqual(small.batchSize, 8);
    const tiny = fitToCorpus(p, 60, 10);
    assert.strictEqual(tiny.batchSize, 1);
    assert.ok(tiny.seqLength + 1 <= 60);
    assert.throws(() => fitToCorpus(p, 5, 10), /training text has 5 characters; at least 9 are needed/);
    assert.throws(() => fitToCorpus(p, 1000, 1), /validation text has 1 characters/);
  });

  it('describes plans and durations', () => {
    assert.strictEqual(describePlan(PRESETS[0].plan!), 'quick: 1 layer × 128 LSTM, T 64, B 32, 2 min');
    assert.strictEqual(
      describePlan(customPlan(1, 32, { maxSteps: 40 })),
      'custom: 1 layer × 32 LSTM, T 50, B 32, 40 steps',
    );
    assert.strictEqual(formatDuration(45.4), '45 s');
    assert.strictEqual(formatDuration(72), '1 min 12 s');
    assert.strictEqual(formatDuration(3900), '1 h 5 min');
  });

  it('offers the three cell types for a custom run, each valid for the trainer', () => {
    assert.deepStrictEqual(
      CELL_TYPES.map((c) => c.kind),
      ['lstm', 'gru', 'rnn'],
    );
    for (const c of CELL_TYPES) {
      const p = customPlan(1, 32, { maxSteps: 40 }, c.kind);
      assert.strictEqual(resolveOptions({ files: [{ name: 'a', text: 'x' }], ...trainOptionsFor(p, {}) }).kind, c.kind);
    }
    assert.strictEqual(
      describePlan(customPlan(1, 32, { maxSteps: 40 }, 'rnn')),
      'custom: 1 layer × 32 RNN, T 50, B 32, 40 steps',
    );
  });

  it('the series trains the three cell types with the same size and budget', () => {
    const plans = trioPlans(parseBudget('90 s'));
    assert.deepStrictEqual(
      plans.map((p) => [p.preset, p.kind, p.layers, p.hiddenSize, p.seqLength, p.batchSize, p.maxSeconds]),
      [
        ['trio', 'rnn', 1, TRIO_HIDDEN, 100, 32, 90],
        ['trio', 'gru', 1, TRIO_HIDDEN, 100, 32, 90],
        ['trio', 'lstm', 1, TRIO_HIDDEN, 100, 32, 90],
      ],
    );
    assert.strictEqual(describePlan(plans[0]), `1 layer × ${TRIO_HIDDEN} RNN, T 100, B 32, 1 min 30 s`);
    for (const p of plans) resolveOptions({ files: [{ name: 'a', text: 'x' }], ...trainOptionsFor(p, {}) });
  });

  it('fine-tunes the active model with its sizes, a lower learning rate and the model file', () => {
    const active = {
      name: 'default',
      path: '/x/media/models/default.onnx',
      layers: [{ kind: 'lstm' as const, hiddenSize: 256, inputSize: 64 }],
      vocabSize: 100,
    };
    const p = fineTunePlan(active, parseBudget('2 min'));
    assert.strictEqual(p.preset, 'finetune');
    assert.strictEqual(p.initModelPath, active.path);
    assert.deepStrictEqual([p.kind, p.layers, p.hiddenSize, p.embeddingSize], ['lstm', 1, 256, 64]);
    assert.strictEqual(p.maxSeconds, 120);
    const o = trainOptionsFor(p, {});
    assert.strictEqual(o.learningRate, FINE_TUNE_LEARNING_RATE);
    resolveOptions({ files: [{ name: 'a', text: 'x' }], ...o });
    assert.strictEqual(describePlan(p), 'fine-tune default (1 layer × 256 LSTM, its vocabulary), T 100, B 32, 2 min');
    const mixed = { ...active, layers: [active.layers[0], { kind: 'gru' as const, hiddenSize: 256, inputSize: 256 }] };
    assert.throws(() => fineTunePlan(mixed, { maxSeconds: 60 }), /mixes layer kinds or sizes \(lstm 256, gru 256\)/);
    assert.throws(() => fineTunePlan(active, {}), /needs a time or step budget/);
    const onehot = fineTunePlan(
      { ...active, layers: [{ kind: 'rnn', hiddenSize: 32, inputSize: 100 }] },
      { maxSteps: 50 },
    );
    assert.deepStrictEqual([onehot.kind, onehot.embeddingSize, onehot.evalEvery], ['rnn', 0, 5]);
  });
});
