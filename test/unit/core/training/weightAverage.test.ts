import * as assert from 'assert';
import { WeightAverage } from '../../../../src/core/training/weightAverage';

describe('WeightAverage (moving average of the weights)', () => {
  it('follows the weights closely at first, then keeps `decay` of itself per update', () => {
    const start = new Float32Array([0, 10]);
    const avg = new WeightAverage(start, 0.5);
    start[0] = 99; // the average copied its start
    avg.update(new Float32Array([1, 0])); // d = min(0.5, 1/10) = 0.1
    assert.deepStrictEqual(Array.from(avg.values), [Math.fround(0.9), 1]);
    avg.update(new Float32Array([1, 0])); // d = min(0.5, 2/11)
    const d = 2 / 11;
    assert.ok(Math.abs(avg.values[0] - (d * 0.9 + (1 - d))) < 1e-6, `${avg.values[0]}`);
    for (let n = 0; n < 200; n++) avg.update(new Float32Array([3, -2]));
    // Long after the warm-up, d = 0.5: the average has converged to the constant weights.
    assert.ok(Math.abs(avg.values[0] - 3) < 1e-5 && Math.abs(avg.values[1] + 2) < 1e-5);
  });

  it('with decay d it is the geometric average (1 - d) Σ d^k w_{n-k} once warmed up', () => {
    const avg = new WeightAverage(new Float32Array([0]), 0.9);
    const w: number[] = [];
    for (let n = 0; n < 300; n++) {
      w.push(Math.sin(n));
      avg.update(new Float32Array([w[n]]));
    }
    let expected = 0;
    for (let k = 0; k < 150; k++) expected += 0.1 * Math.pow(0.9, k) * w[w.length - 1 - k];
    assert.ok(Math.abs(avg.values[0] - expected) < 1e-5, `${avg.values[0]} vs ${expected}`);
  });

  it('rejects a decay outside [0, 1) and weights of another size', () => {
    assert.throws(() => new WeightAverage(new Float32Array(2), 1), /decay must be in \[0, 1\), got 1/);
    assert.throws(() => new WeightAverage(new Float32Array(2), -0.1), /got -0\.1/);
    assert.throws(() => new WeightAverage(new Float32Array(2), NaN), /got NaN/);
    assert.throws(() => new WeightAverage(new Float32Array(2), 0.9).update(new Float32Array(3)), /over 2 values got 3/);
  });
});
