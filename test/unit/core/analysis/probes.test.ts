import * as assert from 'assert';
import { discoverCells } from '../../../../src/core/analysis/discoverCells';
import { fitProbes, planRows, probeScore } from '../../../../src/core/analysis/probes';
import { prepareTexts } from '../../../../src/core/analysis/preparedTexts';
import { Rng } from '../../../../src/core/util/seededRandom';
import { randomModel } from '../../../helpers/randomModel';

/** (n, N) standard normal values (Box–Muller), seeded. */
function gaussian(n: number, N: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n * N }, () => {
    const u = Math.max(1e-12, rng.next());
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
  });
}

describe('linear probes', function () {
  this.timeout(60_000);
  const n = 800;
  const N = 24;
  const X = gaussian(n, N, 5);
  const train = Array.from({ length: 500 }, (_, i) => i);
  const test = Array.from({ length: 300 }, (_, i) => 500 + i);

  it('recover a planted rule from few cells: an on/off one (φ) and a continuous one (r), fitted together', async () => {
    const onOff = Float32Array.from({ length: n }, (_, i) => (X[i * N + 3] - X[i * N + 7] > 0.8 ? 1 : 0));
    const rng = new Rng(9);
    const level = Float32Array.from({ length: n }, (_, i) => 2 * X[i * N + 11] + 0.3 * (rng.next() - 0.5));
    const [a, b] = await fitProbes(X, N, train, [
      { y: onOff, binary: true },
      { y: level, binary: false },
    ]);
    assert.ok(probeScore(X, N, test, onOff, true, a) > 0.8, `φ ${probeScore(X, N, test, onOff, true, a)}`);
    assert.ok(probeScore(X, N, test, level, false, b) > 0.98, `r ${probeScore(X, N, test, level, false, b)}`);
    const top = (w: Float32Array, k: number): number[] =>
      Array.from(w, (v, j) => [Math.abs(v), j])
        .sort((p, q) => q[0] - p[0])
        .slice(0, k)
        .map((p) => p[1])
        .sort((p, q) => p - q);
    assert.deepStrictEqual(top(a.w, 2), [3, 7]);
    assert.ok(a.w[3] > 0 && a.w[7] < 0, 'signs of the rule');
    assert.deepStrictEqual(top(b.w, 1), [11]);
    const zeros = Array.from(b.w).filter((v) => v === 0).length;
    assert.ok(zeros >= N / 2, `the L1 term zeroes most unused cells (${zeros} of ${N})`);
  });

  it('score an unrelated target near zero on held-out rows', async () => {
    const rng = new Rng(4);
    const noise = Float32Array.from({ length: n }, () => (rng.next() > 0.7 ? 1 : 0));
    const [p] = await fitProbes(X, N, train, [{ y: noise, binary: true }]);
    assert.ok(Math.abs(probeScore(X, N, test, noise, true, p)) < 0.2);
  });

  it('split files into training and test ones (one file: every third block is held out)', async () => {
    const model = randomModel({ layers: [{ kind: 'lstm', hidden: 4 }], embedding: 3, seed: 1 });
    const one = (await prepareTexts(model, [{ name: 'a.c', text: 'int x;\n'.repeat(100), language: 'c' }], 10_000))
      .prepared;
    const p1 = planRows(one, { maxTrain: 100, maxTest: 50 });
    assert.ok(p1.steps[0].every((t, i, a) => i === 0 || t > a[i - 1]));
    assert.ok(
      p1.trainRows <= 100 && p1.testRows <= 50 && p1.trainRows > 50 && p1.testRows > 20,
      `${p1.trainRows} ${p1.testRows}`,
    );
    assert.strictEqual(p1.isTest(0, 10), false);
    const block = (700 / 12) | 0;
    assert.strictEqual(p1.isTest(0, 2 * block + 1), true);
    const texts = ['a', 'b', 'c', 'd', 'e', 'f'].map((x) => ({
      name: `${x}.c`,
      text: `int ${x};\n`.repeat(40),
      language: 'c',
    }));
    const many = (await prepareTexts(model, texts, 10_000)).prepared;
    const p2 = planRows(many);
    const held = many.map((_, i) => p2.isTest(i, 0));
    assert.ok(held.some(Boolean) && !held.every(Boolean), `held-out files ${held.join(',')}`);
    many.forEach((p, i) =>
      assert.ok(
        p.chars.every((_, t) => p2.isTest(i, t) === held[i]),
        'whole files on one side',
      ),
    );
  });

  it('run in discovery: every scored feature gets a probe with its cells, control task, selectivity and random-model floor', async () => {
    const model = randomModel({
      layers: [
        { kind: 'lstm', hidden: 10 },
        { kind: 'gru', hidden: 6 },
      ],
      embedding: 5,
      seed: 3,
    });
    const texts = [
      { name: 'a.c', text: 'int f(int x) {\n  return g("ab", x); // c\n}\n'.repeat(25), language: 'c' },
      { name: 'b.c', text: 'while (y) {\n  z = "q r"; /* s */\n}\n'.repeat(25), language: 'c' },
      { name: 'c.c', text: 'if (a) { b("c"); }\n'.repeat(40), language: 'c' },
    ];
    const res = await discoverCells(model, texts, { probes: { floor: true, maxTrain: 600, maxTest: 400 } });
    assert.ok(res.probes && res.probes.length > 0);
    const scored = res.discovery.features.filter((f) => f.skipped === undefined).length;
    assert.ok(res.probes.length <= 2 * scored);
    const inString = res.probes.filter((p) => p.feature === 'inString');
    assert.deepStrictEqual(
      inString.map((p) => [p.layer, p.cells]),
      [
        [0, 20],
        [1, 6],
      ],
    );
    for (const p of res.probes) {
      assert.ok(p.score >= -1 && p.score <= 1 && p.floor !== undefined);
      assert.ok(Math.abs(p.selectivity - (p.score - p.control)) < 1e-9);
      assert.ok(p.cellsForMass >= 0 && p.cellsForMass <= p.cells);
      assert.ok(p.trainRows > 50 && p.testRows > 50);
    }
  });
});
