import * as assert from 'assert';
import { discoverCells } from '../../../../src/core/analysis/discoverCells';
import type { DiscoverProgress } from '../../../../src/core/analysis/discoverCells';
import { FEATURES, computeCodeFeatures } from '../../../../src/core/analysis/codeFeatures';
import { parseText } from '../../../../src/core/analysis/syntaxTree';
import { syntaxFeatures } from '../../../../src/core/analysis/syntaxFeatures';
import { LANGUAGES } from '../../../../src/core/analysis/languages';
import { randomCharModel } from '../../../../src/core/model/randomModel';
import { referenceForward } from '../../../../src/core/model/referenceForward';
import { Vocabulary } from '../../../../src/core/model/vocab';
import { pearson } from '../../../helpers/pearson';

const JS = `// tiny parser
function parse(s) {
  const out = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "\\"") { out.push('quote'); } /* skip */
    else if (/[0-9]/.test(s[i])) out.push(\`d\${i}\`);
  }
  return out.join(", ");
}
`;
const PY = `def f(x):
    """Doc string."""
    if x > 10 and x < 20:
        return 'ten'  # teens
    while x:
        x -= 1
    return [y for y in range(x) if y % 2]
`;
const TEXTS = [
  { name: 'a.js', text: JS.repeat(2), language: 'javascript' },
  { name: 'b.py', text: PY, language: 'python' },
];

describe('discoverCells (engine glue)', function () {
  this.timeout(20000);
  const chars = [...new Set(Array.from(TEXTS.map((t) => t.text).join('')))].sort();
  const model = randomCharModel({
    vocab: { chars },
    embeddingDim: 6,
    layers: [
      { kind: 'lstm', hiddenSize: 7 },
      { kind: 'gru', hiddenSize: 5 },
    ],
    seed: 11,
    scale: 3,
  });

  // The reference: whole texts through the plain forward, concatenated; features likewise.
  const vocab = new Vocabulary(model.vocab);
  const traces = TEXTS.map((t) => referenceForward(model, vocab.encode(t.text)));
  // Features as discovery computes them: the lexer's, and the syntax tree's where a grammar reads the text.
  const featuresOf = async (t: (typeof TEXTS)[number]) => {
    const tree = await parseText(t.language, t.name, t.text);
    const syntax = tree ? syntaxFeatures(t.text, tree) : undefined;
    tree?.delete();
    return computeCodeFeatures(t.text, LANGUAGES[t.language], { syntax });
  };
  const concat = (parts: ArrayLike<number>[]): Float64Array => {
    const out = new Float64Array(parts.reduce((a, p) => a + p.length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  };
  const column = (a: Float32Array, H: number, j: number): Float64Array =>
    Float64Array.from({ length: a.length / H }, (_, t) => a[t * H + j]);
  // Cells in the scorer's order: L0 h, L0 c, L1 h.
  const refCells: Float64Array[] = [];
  for (const sig of ['h', 'c'] as const)
    for (let j = 0; j < 7; j++)
      refCells.push(
        concat(traces.map((tr) => column((tr.layers[0] as never as Record<string, Float32Array>)[sig], 7, j))),
      );
  for (let j = 0; j < 5; j++) refCells.push(concat(traces.map((tr) => column(tr.layers[1].h, 5, j))));
  let refFeatures: Float64Array[] = [];
  before(async () => {
    const feats = await Promise.all(TEXTS.map(featuresOf));
    refFeatures = FEATURES.map((_, k) => concat(feats.map((f) => f.values[k])));
  });

  it('scores every h and c cell like a direct two-pass computation over the reference forward, across chunks and texts', async () => {
    const progress: DiscoverProgress[] = [];
    const res = await discoverCells(model, TEXTS, { chunkSize: 37, label: { minAbsR: 0 } }, (p) => progress.push(p));
    const N = 19;
    assert.strictEqual(res.table.count, refFeatures[0].length);
    assert.deepStrictEqual(
      res.table.sources.map((s) => `${s.signal}${s.layer}:${s.size}`),
      ['h0:7', 'c0:7', 'h1:5'],
    );
    let compared = 0;
    FEATURES.forEach((_, k) => {
      for (let j = 0; j < N; j++) {
        const want = pearson(refCells[j], refFeatures[k]);
        const got = res.table.r[k * N + j];
        if (Number.isNaN(want)) {
          assert.ok(Number.isNaN(got), `feature ${FEATURES[k].id} cell ${j}: expected NaN, got ${got}`);
          continue;
        }
        assert.ok(Math.abs(got - want) < 2e-4, `feature ${FEATURES[k].id} cell ${j}: r ${got}, reference ${want}`);
        compared++;
      }
    });
    assert.ok(compared > 200, `only ${compared} scores compared`);
    assert.strictEqual(progress[progress.length - 1].done, res.table.count);
    assert.strictEqual(progress[progress.length - 1].total, res.table.count);
    assert.ok(progress.length >= Math.ceil((JS.length * 2) / 37));
    assert.deepStrictEqual(res.texts, [
      { name: 'a.js', language: 'javascript', chars: JS.length * 2 },
      { name: 'b.py', language: 'python', chars: PY.length },
    ]);
    assert.match(res.cacheKey, /^cells-v\d+-[0-9a-f]{24}-[0-9a-f]{24}$/);

    // Excerpt values are the reference activations at those steps.
    const ex = res.excerpts.find((e) => e.feature === 'inString')!;
    assert.ok(ex.cells.length > 0 && ex.chars.length > 10);
    const ti = TEXTS.findIndex((t) => t.name === ex.textName);
    for (const { cell, values } of ex.cells) {
      const tr = traces[ti].layers[cell.layer] as never as Record<string, Float32Array>;
      const H = cell.layer === 0 ? 7 : 5;
      values.forEach((v, e) => assert.ok(Math.abs(v - tr[cell.signal][(ex.start + e) * H + cell.unit]) < 1e-4));
    }

    // Saturation of layer 0's forget gate, against the reference gates.
    const f = concat(traces.map((tr) => (tr.layers[0] as never as Record<string, Float32Array>).f));
    for (let j = 0; j < 7; j++) {
      let left = 0;
      for (let t = 0; t < f.length / 7; t++) if (f[t * 7 + j] < 0.1) left++;
      assert.ok(Math.abs(res.saturation[0].gates.f.left[j] - left / res.table.count) <= 2 / res.table.count);
    }
    assert.deepStrictEqual(Object.keys(res.saturation[1].gates), ['r', 'z']);
  });

  it('caps the sample at maxChars and says so', async () => {
    const res = await discoverCells(model, TEXTS, { maxChars: 300, chunkSize: 128 });
    assert.strictEqual(res.table.count, 300);
    assert.strictEqual(res.truncated, true);
    assert.deepStrictEqual(
      res.texts.map((t) => t.chars),
      [300],
    );
  });

  it('stops when aborted and names bad input', async () => {
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(discoverCells(model, TEXTS, {}, undefined, ac.signal), /abort/i);
    await assert.rejects(
      discoverCells(model, [{ name: 'x.zz', text: 'a', language: 'cobol' }]),
      /x\.zz: unknown language 'cobol'/,
    );
    await assert.rejects(discoverCells(model, []), /at least one text/);
    await assert.rejects(discoverCells(model, [{ name: 'e', text: '', language: 'generic' }]), /non-empty/);
  });
});

describe('core/analysis/discoverCells on small samples', function () {
  this.timeout(60_000);
  const model = randomCharModel({
    vocab: { chars: [...'\uFFFD \n\t"\'/*#()[]{};=,.:<>+-_abcdefghijklmnopqrstuvwxyz0123456789'], unknownId: 0 },
    embeddingDim: 4,
    layers: [{ kind: 'lstm', hiddenSize: 64 }],
    seed: 11,
  });

  it('gives no label to a sample of a few dozen characters, and says why for every feature', async () => {
    const text = 'x = "a";\nif (y) { z(); } // q\n';
    const result = await discoverCells(model, [{ name: 'tiny.js', text, language: 'javascript' }], {
      label: { minAbsR: 0.6 },
    });
    assert.strictEqual(result.discovery.count, text.length);
    assert.deepStrictEqual(result.discovery.labels, []);
    // Every feature says why it was not scored; those the sample-size rule stops (column, indentation…) name it.
    for (const f of result.discovery.features) assert.ok(f.skipped, `${f.name} has a reason`);
    const column = result.discovery.features.find((f) => f.feature === 'column');
    assert.strictEqual(column?.skipped, `sample of ${text.length} characters, fewer than the 200 needed for labels`);
  });

  it('does not score a feature that changes too rarely (one string in a long sample)', async () => {
    const text = 'x = "just one string here";\n' + 'y = y + 1;\n'.repeat(40);
    const result = await discoverCells(model, [{ name: 'one.js', text, language: 'javascript' }], {
      label: { minAbsR: 0.6 },
    });
    const inString = result.discovery.features.find((f) => f.feature === 'inString');
    assert.match(inString?.skipped ?? '', /changes value only 2 times in the sample, fewer than the 4 needed/);
    assert.ok(!result.discovery.labels.some((l) => l.feature === 'inString'));
    const column = result.discovery.features.find((f) => f.feature === 'column');
    assert.strictEqual(column?.skipped, undefined, 'a feature that changes at every character is scored');
  });
});
