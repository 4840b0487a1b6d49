import * as assert from 'assert';
import {
  DELTA_FULL_BITS,
  deltaBucket,
  deltaRuns,
  flowSeries,
  mean,
  mostChanged,
  saliencyBucket,
  saliencyRuns,
  stepAt,
} from '../../../../src/extension/intervention/overlayRuns';

describe('intervention overlays', () => {
  it('colours a rise in surprisal red (pos), a fall blue (neg), full at ±DELTA_FULL_BITS', () => {
    assert.strictEqual(deltaBucket(0), '');
    assert.strictEqual(deltaBucket(0.1), '');
    assert.strictEqual(deltaBucket(DELTA_FULL_BITS), 'pos4');
    assert.strictEqual(deltaBucket(10), 'pos4');
    assert.strictEqual(deltaBucket(-DELTA_FULL_BITS / 2), 'neg3');
    assert.strictEqual(deltaBucket(1), 'pos2');
  });

  it('merges equal neighbours and skips line ends', () => {
    const text = 'ab\ncd';
    const offsets = [0, 1, 2, 3, 4, 5];
    const runs = deltaRuns(offsets, [1, 1, 1, 1, 1], [5, 5, 5, 0, 1], (a, b) => text.slice(a, b));
    assert.deepStrictEqual(runs, [
      { bucket: 'pos4', start: 0, end: 2 },
      { bucket: 'neg2', start: 3, end: 4 },
    ]);
  });

  it('colours saliency by half decades of the largest', () => {
    assert.strictEqual(saliencyBucket(1, 1), 'surprisal4');
    assert.strictEqual(saliencyBucket(0.2, 1), 'surprisal3');
    assert.strictEqual(saliencyBucket(0.05, 1), 'surprisal2');
    assert.strictEqual(saliencyBucket(0.02, 1), 'surprisal1');
    assert.strictEqual(saliencyBucket(0.001, 1), '');
    assert.strictEqual(saliencyBucket(0, 1), '');
    const runs = saliencyRuns([10, 11, 12, 13], [0.001, 0.5, 1], () => 'x');
    assert.deepStrictEqual(runs, [{ bucket: 'surprisal4', start: 11, end: 13 }]);
  });

  it('lists the most changed steps, finds steps by offset, orders the flow by distance', () => {
    assert.deepStrictEqual(mostChanged([1, 2, 3, 4], [1, 5, 2, 4.5], 2), [1, 2]);
    assert.deepStrictEqual(mostChanged([1, 2], [1, 2], 5), []);
    assert.strictEqual(mean([1, 2, 3]), 2);
    const offsets = [0, 1, 3, 4]; // a surrogate pair at 1..3
    assert.deepStrictEqual(
      [0, 1, 2, 3, 4, -1].map((o) => stepAt(offsets, o)),
      [0, 1, 1, 2, -1, -1],
    );
    const series = flowSeries(
      [1, 2, 3],
      [
        { h: [4, 5, 6], c: [7, 8, 9] },
        { h: [1, 1, 2], c: null },
      ],
    );
    assert.deepStrictEqual(series, [
      { name: 'input', values: [3, 2, 1] },
      { name: 'L0 h', values: [6, 5, 4] },
      { name: 'L0 c', values: [9, 8, 7] },
      { name: 'L1 h', values: [2, 1, 1] },
    ]);
  });
});
