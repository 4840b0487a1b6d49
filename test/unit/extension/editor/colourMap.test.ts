import * as assert from 'assert';
import {
  LEVELS,
  allBuckets,
  bucketBackground,
  bucketOf,
  bucketRuns,
  colourId,
  levelOf,
  normalise,
} from '../../../../src/extension/editor/colourMap';

describe('colour map', () => {
  it('normalises each signal to [-1, 1] around its neutral value', () => {
    assert.strictEqual(normalise('h', 0.5), 0.5);
    assert.strictEqual(normalise('h', 3), 1);
    assert.ok(Math.abs(normalise('c', 2) - Math.tanh(2)) < 1e-12);
    assert.strictEqual(normalise('f', 0.5), 0);
    assert.strictEqual(normalise('i', 1), 1);
    assert.strictEqual(normalise('z', 0), -1);
    assert.strictEqual(normalise('surprisal', 4), 0.5);
    assert.strictEqual(normalise('surprisal', 40), 1);
    assert.ok(Number.isNaN(normalise('h', Number.NaN)));
  });

  it('levels are symmetric, neutral near zero, and capped at LEVELS', () => {
    assert.strictEqual(levelOf(0), 0);
    assert.strictEqual(levelOf(0.04), 0);
    assert.strictEqual(levelOf(0.1), 1);
    assert.strictEqual(levelOf(-0.1), -1);
    assert.strictEqual(levelOf(0.3), 2);
    assert.strictEqual(levelOf(0.6), 3);
    assert.strictEqual(levelOf(0.99), LEVELS);
    assert.strictEqual(levelOf(1), LEVELS);
    assert.strictEqual(levelOf(-1), -LEVELS);
    assert.strictEqual(levelOf(Number.NaN), 0);
  });

  it('maps values to bucket keys per signal family', () => {
    assert.strictEqual(bucketOf('h', -0.9), 'neg4');
    assert.strictEqual(bucketOf('h', 0.2), 'pos1');
    assert.strictEqual(bucketOf('o', 0.5), '');
    assert.strictEqual(bucketOf('o', 0.95), 'pos4');
    assert.strictEqual(bucketOf('surprisal', 7), 'surprisal4');
    assert.strictEqual(bucketOf('surprisal', 0), '');
    assert.deepStrictEqual(allBuckets().length, 3 * LEVELS);
    assert.ok(allBuckets().includes(bucketOf('c', -5)));
  });

  it('builds a CSS background from the theme variable and the opacity', () => {
    assert.strictEqual(colourId('pos3'), 'lstmLens.pos3');
    assert.strictEqual(
      bucketBackground('pos3', 0.5),
      'color-mix(in srgb, var(--vscode-lstmLens-pos3) 50%, transparent)',
    );
    assert.match(bucketBackground('neg1', 7), / 100%,/);
  });

  it('merges equal neighbours into runs and skips neutral, invalid and line-end steps', () => {
    // text "ab\r\nc😀d": steps a b \r\n c 😀 d with UTF-16 starts 0 1 2 4 5 7 (end 8)
    const text = 'ab\r\nc😀d';
    const offsets = [0, 1, 2, 4, 5, 7, 8];
    const values = [0.9, 0.9, 0.9, 0.9, 0.9, 0.0];
    const valid = [1, 1, 1, 1, 1, 1];
    const runs = bucketRuns('h', offsets, values, valid, (a, b) => text.slice(a, b));
    assert.deepStrictEqual(runs, [
      { bucket: 'pos4', start: 0, end: 2 },
      { bucket: 'pos4', start: 4, end: 7 }, // c and the surrogate pair, as one run of 3 units
    ]);
    const partly = bucketRuns('h', offsets, [-0.9, 0.9, 0, -0.3, -0.3, -0.3], [1, 1, 1, 1, 0, 1]);
    assert.deepStrictEqual(partly, [
      { bucket: 'neg4', start: 0, end: 1 },
      { bucket: 'pos4', start: 1, end: 2 },
      { bucket: 'neg2', start: 4, end: 5 },
      { bucket: 'neg2', start: 7, end: 8 },
    ]);
    // Stale values (2: from before an edit, not re-read yet) keep their colour until replaced.
    const stale = bucketRuns('h', offsets, [-0.9, 0.9, 0, -0.3, -0.3, -0.3], [1, 2, 2, 2, 0, 2]);
    assert.deepStrictEqual(stale, partly);
  });
});
