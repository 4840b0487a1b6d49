import * as assert from 'assert';
import {
  formatOutcome,
  formatProgress,
  modelFileName,
  progressIncrement,
  slug,
} from '../../../../src/extension/training/trainingReport';
import { formatRate } from '../../../../src/protocol/rateFormat';

const base = {
  step: 10,
  epoch: 0.5,
  trainBitsPerChar: 2.413,
  charsPerSecond: 48213,
  elapsedSeconds: 30,
  learningRate: 2e-3,
};

describe('extension/trainingReport', () => {
  it('formats progress with percent, bits/char, validation, chars/s and ETA', () => {
    assert.deepStrictEqual(formatProgress({ ...base, fraction: 0.372, etaSeconds: 72, valBitsPerChar: 2.551 }), {
      message: '37% · 2.41 bits/char (val 2.55) · 48.2k chars/s · ETA 1 min 12 s',
      percent: 37,
    });
    // Before the first step the loss is NaN and there is no budget fraction.
    assert.deepStrictEqual(formatProgress({ ...base, step: 0, trainBitsPerChar: NaN, charsPerSecond: 0 }), {
      message: 'step 0 · 0 chars/s',
      percent: undefined,
    });
  });

  it('turns percents into withProgress increments that never go backwards', () => {
    assert.strictEqual(progressIncrement(0, 10), 10);
    assert.strictEqual(progressIncrement(10, 25), 15);
    assert.strictEqual(progressIncrement(25, 20), 0);
    assert.strictEqual(progressIncrement(90, 130), 10);
    assert.strictEqual(progressIncrement(5, undefined), 0);
  });

  it('formats rates', () => {
    assert.strictEqual(formatRate(950.4), '950');
    assert.strictEqual(formatRate(1_234_567), '1.2M');
    assert.strictEqual(formatRate(NaN), '–');
  });

  it('says what happened at the end, including a cancel with and without a checkpoint', () => {
    const o = {
      steps: 120,
      seconds: 95,
      bestValBitsPerChar: 2.3456,
      saved: true,
      modelName: 'ws-quick-2026-01-02-0304',
    };
    assert.strictEqual(
      formatOutcome({ ...o, stoppedBy: 'time' }),
      'Trained "ws-quick-2026-01-02-0304": 120 steps in 1 min 35 s, validation 2.346 bits/char.',
    );
    assert.match(formatOutcome({ ...o, stoppedBy: 'early-stop' }), /stopped early/);
    assert.strictEqual(
      formatOutcome({ ...o, stoppedBy: 'aborted' }),
      'Training cancelled after 120 steps in 1 min 35 s; kept the best model so far, "ws-quick-2026-01-02-0304", validation 2.346 bits/char.',
    );
    assert.strictEqual(
      formatOutcome({ ...o, stoppedBy: 'aborted', saved: false, bestValBitsPerChar: Infinity }),
      'Training cancelled after 120 steps in 1 min 35 s, before the first checkpoint; no model was saved.',
    );
    assert.strictEqual(
      formatOutcome({ ...o, stoppedBy: 'time', modelName: 'ws-finetune-x', startValBitsPerChar: 2.9 }),
      'Fine-tuned "ws-finetune-x": 120 steps in 1 min 35 s; held-out 2.900 → 2.346 bits/char (−0.554), better on your held-out files.',
    );
    assert.match(
      formatOutcome({ ...o, stoppedBy: 'time', startValBitsPerChar: 2.2 }),
      /held-out 2\.200 → 2\.346 bits\/char \(\+0\.146\), no better on your held-out files: keep the model you had\./,
    );
  });

  it('names model files readably with the date, avoiding taken names', () => {
    const d = new Date(2026, 10, 25, 7, 5);
    assert.strictEqual(modelFileName('My Project!', 'quick', d), 'my-project-quick-2026-11-25-0705.onnx');
    const taken = new Set(['ws-custom-2026-11-25-0705.onnx', 'ws-custom-2026-11-25-0705-2.onnx']);
    assert.strictEqual(
      modelFileName('ws', 'custom', d, (n) => taken.has(n)),
      'ws-custom-2026-11-25-0705-3.onnx',
    );
    assert.strictEqual(slug('   '), 'workspace');
    assert.strictEqual(slug('Ünïcode Wörk'), 'unicode-work');
  });
});
