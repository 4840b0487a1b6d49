import * as assert from 'assert';
import { parseCellSpec, profileCell } from '../../../../src/core/analysis/cellProfile';
import { referenceForward } from '../../../../src/core/model/referenceForward';
import { Vocabulary } from '../../../../src/core/model/vocab';
import { randomModel } from '../../../helpers/randomModel';
import { pearson } from '../../../helpers/pearson';

// Two files of code-like text the random model's vocabulary covers.
const A = 'int f(void) {\n\treturn g("ab", x);\n}\n'.repeat(12);
const B = 'x = {a, b};\nwhile (x) { y = "c d"; }\n'.repeat(10);

describe('cell profile (the cell page)', function () {
  this.timeout(60_000);
  const model = randomModel({
    layers: [
      { kind: 'lstm', hidden: 12 },
      { kind: 'lstm', hidden: 8 },
    ],
    embedding: 6,
    seed: 3,
    scale: 1.5,
  });
  const texts = [
    { name: 'a.c', text: A, language: 'c' },
    { name: 'b.c', text: B, language: 'c' },
  ];
  const vocab = new Vocabulary(model.vocab);
  const refs = texts.map((t) => referenceForward(model, vocab.encode(t.text)));
  /** Values of a signal of one unit of an LSTM layer, over both texts in order. */
  const valuesOf = (l: number, s: 'h' | 'c' | 'f', unit: number): number[] =>
    refs.flatMap((r, i) => {
      const tr = r.layers[l] as unknown as Record<string, Float32Array>;
      const H = model.layers[l].hiddenSize;
      return Array.from({ length: texts[i].text.length }, (_, t) => tr[s][t * H + unit]);
    });

  it('finds the top places, highest first, each with the engine value, its line and column, and an excerpt as in the file', async () => {
    const cell = { layer: 1, unit: 5, signal: 'c' };
    const page = await profileCell(model, texts, cell, { top: 6, chunkSize: 64, before: 10, after: 5 });
    assert.strictEqual(page.count, A.length + B.length);
    const all = valuesOf(1, 'c', 5);
    const max = Math.max(...all);
    assert.ok(Math.abs(page.top[0].value - max) < 1e-4, `top ${page.top[0].value}, reference max ${max}`);
    assert.ok(Math.abs(page.stats.max - max) < 1e-4);
    for (let i = 1; i < page.top.length; i++) assert.ok(page.top[i - 1].value >= page.top[i].value, 'sorted by value');
    for (const p of page.top) {
      const text = texts.find((t) => t.name === p.file)!.text;
      const at = (p.file === 'a.c' ? 0 : A.length) + p.offset;
      assert.ok(Math.abs(all[at] - p.value) < 1e-4, `${p.file}@${p.offset}`);
      const lines = text.slice(0, p.offset).split('\n');
      assert.strictEqual(p.line, lines.length);
      assert.strictEqual(p.column, lines[lines.length - 1].length + 1);
      assert.strictEqual(p.excerpt, text.slice(p.excerptStart, p.offset + 6));
      assert.strictEqual(p.values.length, Array.from(p.excerpt).length);
      assert.ok(Math.abs(p.values[p.offset - p.excerptStart] - p.value) < 1e-6);
    }
    // Places at least (before + after) / 2 apart within a file.
    for (const p of page.top)
      for (const q of page.top)
        if (p !== q && p.file === q.file) assert.ok(Math.abs(p.offset - q.offset) >= 7, `${p.offset} and ${q.offset}`);
  });

  it('splits min..max into intervals with examples from each, and a histogram that counts every character', async () => {
    const page = await profileCell(
      model,
      texts,
      { layer: 0, unit: 2, signal: 'h' },
      { intervals: 4, perInterval: 3, bins: 10 },
    );
    assert.strictEqual(
      page.histogram.counts.reduce((a, b) => a + b, 0),
      page.count,
    );
    assert.strictEqual(page.intervals.length, 4);
    assert.strictEqual(
      page.intervals.reduce((a, iv) => a + iv.count, 0),
      page.count,
    );
    assert.ok(
      Math.abs(page.intervals[0].lo - page.stats.min) < 1e-9 && Math.abs(page.intervals[3].hi - page.stats.max) < 1e-9,
    );
    for (const iv of page.intervals) {
      assert.ok(iv.examples.length === Math.min(3, iv.count) || iv.examples.length > 0);
      for (const e of iv.examples) assert.ok(e.value >= iv.lo - 1e-6 && e.value <= iv.hi + 1e-6);
    }
    assert.strictEqual(
      page.predictionNote,
      'layer 0 is not the top layer: its effect on the prediction passes through layer 1',
    );
    assert.strictEqual(page.prediction, undefined);
  });

  it('reads the prediction effect off the output layer, and correlations and the forget gate off the engine', async () => {
    const page = await profileCell(model, texts, { layer: 1, unit: 3, signal: 'h' }, { effects: 3 });
    assert.ok(page.prediction);
    const col = Array.from({ length: model.output.b.length }, (_, k) => model.output.W[k * 8 + 3]);
    const sorted = [...col].sort((a, b) => b - a);
    assert.deepStrictEqual(
      page.prediction.up.map((e) => e.value),
      sorted.slice(0, 3),
    );
    assert.deepStrictEqual(
      page.prediction.down.map((e) => e.value),
      sorted.slice(-3).reverse(),
    );

    const own = valuesOf(1, 'h', 3);
    const best = page.correlated[0];
    const expect = pearson(own, valuesOf(best.layer, best.signal as 'h' | 'c', best.unit));
    assert.ok(Math.abs(best.r - expect) < 1e-3, `r ${best.r} vs ${expect}`);
    assert.ok(!page.correlated.some((c) => c.layer === 1 && c.unit === 3 && c.signal === 'h'), 'not itself');
    const f = valuesOf(1, 'f', 3);
    const fMean = f.reduce((a, b) => a + b, 0) / f.length;
    assert.ok(Math.abs((page.gates.forgetMean ?? NaN) - fMean) < 1e-4);
    assert.ok(Math.abs((page.gates.timescale ?? NaN) + 1 / Math.log(fMean)) < 1e-2);
    assert.ok(page.scores.some((s) => s.feature === 'inString' && s.phi !== undefined));
    assert.ok(page.moves.up.length > 0 && page.moves.up[0].value >= page.moves.down[0].value);
  });

  it('refuses cells the model does not have, naming them', async () => {
    await assert.rejects(profileCell(model, texts, { layer: 2, unit: 0, signal: 'h' }), /layer 2 does not exist/);
    await assert.rejects(
      profileCell(model, texts, { layer: 0, unit: 12, signal: 'h' }),
      /cell 12 is outside layer 0 \(H = 12\)/,
    );
    await assert.rejects(profileCell(model, texts, { layer: 0, unit: 1, signal: 'f' }), /signal must be h or c/);
    assert.deepStrictEqual(parseCellSpec('0:19'), { layer: 0, unit: 19 });
    assert.deepStrictEqual(parseCellSpec('L1#7'), { layer: 1, unit: 7 });
    assert.strictEqual(parseCellSpec('a:b'), undefined);
  });
});
