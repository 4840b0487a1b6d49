import * as assert from 'assert';
import { buildReport, cellName, sparkline, visibleChars } from '../../../../src/core/analysis/cellReport';
import { CellScorer } from '../../../../src/core/analysis/cellScorer';
import { discoverLabels } from '../../../../src/core/analysis/cellLabels';
import { FEATURES } from '../../../../src/core/analysis/codeFeatures';
import type { FeatureExcerpt } from '../../../../src/core/analysis/discoverCells';

describe('cell report', () => {
  it('draws sparklines from the values range or a given one', () => {
    assert.strictEqual(sparkline([0, 1, 2, 3, 4, 5, 6, 7]), '▁▂▃▄▅▆▇█');
    assert.strictEqual(sparkline([0, 1, 0.5], 0, 1), '▁█▅');
    assert.strictEqual(sparkline([2, 2]), '▅▅'); // flat: the middle block
    assert.strictEqual(sparkline([-5, NaN, 5], -1, 1), '▁ █');
    assert.strictEqual(cellName({ layer: 1, signal: 'c', unit: 37 }), 'L1 c[37]');
    assert.strictEqual(visibleChars(['a', '\t', '\r', '\n', '\u0001']), 'a→␍⏎·');
  });

  it('lists labelled cells, a table per scored feature with an aligned excerpt, and the skipped features', async () => {
    // 200 steps: inString on in [50, 120), a cell that copies it (unit 0) and one that is noise-free column (unit 1).
    const T = 200;
    const feats = FEATURES.map((f) => (f.kind === 'binary' ? new Uint8Array(T) : new Float32Array(T)));
    const kStr = FEATURES.findIndex((f) => f.id === 'inString');
    const kCol = FEATURES.findIndex((f) => f.id === 'column');
    const act = new Float32Array(T * 3);
    for (let t = 0; t < T; t++) {
      feats[kStr][t] = t >= 50 && t < 120 ? 1 : 0;
      feats[kCol][t] = t % 40;
      act[t * 3] = feats[kStr][t] ? 0.9 : -0.2 + 0.01 * Math.sin(t);
      act[t * 3 + 1] = (t % 40) / 40;
      act[t * 3 + 2] = Math.sin(t * 1.7);
    }
    const scorer = new CellScorer([{ layer: 0, signal: 'c', size: 3 }], FEATURES);
    await scorer.observe([act], feats);
    await scorer.dispose();
    // One planted string (2 on/off changes): below the default minimum of changes, allowed here.
    const discovery = discoverLabels(scorer.result(), { minAbsR: 0.6, topK: 2, minChanges: 2 });
    const chars = Array.from('s = "a`b"\tx\n'.padEnd(30, '.'));
    const excerpt: FeatureExcerpt = {
      feature: 'inString',
      textName: 'a.js',
      start: 40,
      chars,
      featureValues: Array.from(feats[kStr].subarray(40, 70)),
      cells: discovery.features[kStr].top.map((s) => ({
        cell: s,
        values: Array.from({ length: 30 }, (_, e) => act[(40 + e) * 3 + s.unit]),
      })),
    };
    const md = buildReport(
      { discovery, excerpts: [excerpt], texts: [{ name: 'a.js', language: 'javascript', chars: T }], truncated: false },
      { modelName: 'tiny' },
    );
    assert.match(md, /^# Interpretable cells\n/);
    assert.match(md, /Model \*\*tiny\*\*, sample of 1 text \(javascript\), 200 characters\./);
    assert.match(md, /\| L0 c\[0\] \| quote detector \(r = 1\.00, φ = 1\.00, F1 = 1\.00\) \|/);
    assert.match(md, /\| L0 c\[1\] \| line position \(r = 1\.00\) \|/);
    assert.ok(!/L0 c\[2\] \| [a-z]/.test(md), 'the noise cell gets no label');
    assert.match(md, /### inside string — on at 35\.0% of characters/);
    assert.match(md, /\| 1 \| L0 c\[0\] \| 1\.00 \| 1\.00 \| 1\.00 \| > /);
    assert.match(md, /Not scored: inside "…" string \(never on in the sample\);/);
    // The excerpt block: fence longer than any backtick run, rows as long as the excerpt.
    const block = md.split('```\n')[1].replace(/\n$/, '').split('\n');
    assert.strictEqual(block[0], `${visibleChars(chars)}  a.js:40`);
    assert.strictEqual(Array.from(block[1].split('  ')[0]).length, 30);
    assert.match(block[1], /^▁{10}█{20} {2}L0 c\[0\]$/);
    assert.match(block[block.length - 1], /^▁{10}█{20} {2}inside string$/);
  });
});
