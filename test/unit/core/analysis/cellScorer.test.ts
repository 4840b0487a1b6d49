import * as assert from 'assert';
import { CellScorer } from '../../../../src/core/analysis/cellScorer';
import type { CellSource } from '../../../../src/core/analysis/cellScorer';
import { discoverLabels } from '../../../../src/core/analysis/cellLabels';
import type { FeatureSpec } from '../../../../src/core/analysis/codeFeatures';
import { Rng } from '../../../../src/core/util/seededRandom';
import { pearson } from '../../../helpers/pearson';

const FEATS: FeatureSpec[] = [
  { id: 'inString', kind: 'binary', name: 'inside string', label: 'quote detector' },
  { id: 'column', kind: 'continuous', name: 'column in line', label: 'line position' },
];

/** Exact best F1 over every threshold between sorted values, both directions. */
function bestF1(x: number[], on: number[]): number {
  const idx = x.map((_, i) => i).sort((a, b) => x[a] - x[b]);
  const P = on.reduce((a, b) => a + b, 0);
  const n = x.length;
  let best = 0;
  let onBelow = 0;
  for (let k = 0; k <= n; k++) {
    // predict on for the n-k largest (above) or for the k smallest (below)
    if (k === 0 || k === n || x[idx[k]] !== x[idx[k - 1]]) {
      best = Math.max(best, (2 * (P - onBelow)) / (n - k + P), (2 * onBelow) / (k + P));
    }
    if (k < n) onBelow += on[idx[k]];
  }
  return best;
}

// A sample of T steps: column = a sawtooth, inString = runs of on/off; cells are
// [noisy column, noisy string detector, inverted string detector, pure noise] in two sources.
function sample(T: number, seed: number) {
  const rng = new Rng(seed);
  const col = new Float32Array(T);
  const str = new Uint8Array(T);
  let on = 0;
  for (let t = 0; t < T; t++) {
    col[t] = t % 37;
    if (rng.next() < 0.08) on = 1 - on;
    str[t] = on;
  }
  const a = new Float32Array(T * 2); // source 0, H = 2
  const b = new Float32Array(T * 2); // source 1, H = 2
  for (let t = 0; t < T; t++) {
    a[t * 2] = Math.tanh(col[t] / 20 - 1) + 0.1 * rng.normal();
    a[t * 2 + 1] = 0.8 * str[t] - 0.4 + 0.3 * rng.normal();
    b[t * 2] = -str[t] + 0.05 * rng.normal();
    b[t * 2 + 1] = rng.normal();
  }
  return { col, str, a, b };
}
const SOURCES: CellSource[] = [
  { layer: 0, signal: 'h', size: 2 },
  { layer: 1, signal: 'c', size: 2 },
];

async function feed(scorer: CellScorer, s: ReturnType<typeof sample>, chunks: number[]): Promise<void> {
  let t0 = 0;
  for (const T of chunks) {
    await scorer.observe(
      [s.a.subarray(t0 * 2, (t0 + T) * 2), s.b.subarray(t0 * 2, (t0 + T) * 2)],
      [s.str.subarray(t0, t0 + T), s.col.subarray(t0, t0 + T)],
    );
    t0 += T;
  }
}

describe('CellScorer (streaming statistics)', () => {
  const T = 3000;
  const s = sample(T, 7);
  const cell = (src: Float32Array, u: number): number[] => Array.from({ length: T }, (_, t) => src[t * 2 + u]);
  const cells = [cell(s.a, 0), cell(s.a, 1), cell(s.b, 0), cell(s.b, 1)];
  const ys = [Array.from(s.str), Array.from(s.col)];

  it('matches a direct two-pass Pearson r for every cell and feature, whatever the chunking and engine', async () => {
    const tables = [];
    for (const [engine, chunks] of [
      ['onnx', [T]],
      ['onnx', [1, 499, 0, 1000, 1500]],
      ['js', [T]],
      ['js', [700, 2300]],
    ] as const) {
      const scorer = new CellScorer(SOURCES, FEATS, { engine });
      await feed(scorer, s, [...chunks]);
      await scorer.dispose();
      tables.push(scorer.result());
    }
    for (const table of tables) {
      assert.strictEqual(table.count, T);
      for (let k = 0; k < 2; k++) {
        for (let j = 0; j < 4; j++) {
          const want = pearson(cells[j], ys[k]);
          assert.ok(
            Math.abs(table.r[k * 4 + j] - want) < 1e-5,
            `r[${k},${j}] = ${table.r[k * 4 + j]}, two-pass ${want}`,
          );
        }
      }
    }
  });

  it('finds a best-threshold F1 close to the exact best over all thresholds, never above it', async () => {
    const scorer = new CellScorer(SOURCES, FEATS);
    await feed(scorer, s, [200, 2800]);
    const table = scorer.result();
    const js = new CellScorer(SOURCES, FEATS, { engine: 'js' });
    await feed(js, s, [200, 2800]);
    const jsTable = js.result();
    for (let j = 0; j < 4; j++) {
      const exact = bestF1(cells[j], ys[0]);
      const got = table.f1[j];
      assert.ok(Math.abs(jsTable.f1[j] - got) < 2e-3, `cell ${j}: onnx F1 ${got}, js F1 ${jsTable.f1[j]}`);
      assert.ok(got <= exact + 1e-9 && got > exact - 0.03, `cell ${j}: histogram F1 ${got}, exact ${exact}`);
    }
    assert.ok(Number.isNaN(table.f1[4]), 'no F1 for a continuous feature');
    // The inverted detector (c of layer 1, unit 0) is on below its threshold.
    assert.strictEqual(table.above[2], 0);
    assert.ok(
      table.f1[2] > 0.99 && table.threshold[2] > -1 && table.threshold[2] < 0,
      `F1 ${table.f1[2]} threshold ${table.threshold[2]}`,
    );
    assert.strictEqual(table.above[1], 1);
  });

  it('labels the planted cells with the right feature and score, and leaves the noise cell alone', async () => {
    const scorer = new CellScorer(SOURCES, FEATS);
    await feed(scorer, s, [1000, 1000, 1000]);
    const d = discoverLabels(scorer.result(), { minAbsR: 0.6, topK: 2 });
    const byUnit = new Map(d.labels.map((l) => [`${l.signal}${l.layer}:${l.unit}`, l]));
    assert.strictEqual(byUnit.get('h0:0')?.feature, 'column');
    assert.strictEqual(byUnit.get('h0:1')?.feature, 'inString');
    assert.strictEqual(byUnit.get('c1:0')?.feature, 'inString');
    assert.ok(!byUnit.has('c1:1'), 'pure noise gets no label');
    const inverted = byUnit.get('c1:0')!;
    assert.ok(inverted.r < -0.99, `r = ${inverted.r}`);
    assert.match(inverted.text, /^quote detector \(r = -(0\.99|1\.00), φ = -(0\.99|1\.00), F1 = (0\.99|1\.00)\)$/);
    // Expected r of 0.8*str + noise(0.3): cov / (sd_x sd_y) with var(str) = p(1-p).
    const p = ys[0].reduce((a, b) => a + b, 0) / T;
    const want = (0.8 * Math.sqrt(p * (1 - p))) / Math.sqrt(0.64 * p * (1 - p) + 0.09);
    assert.ok(Math.abs(byUnit.get('h0:1')!.r - want) < 0.03, `r ${byUnit.get('h0:1')!.r}, expected about ${want}`);
    const str = d.features.find((f) => f.feature === 'inString')!;
    assert.deepStrictEqual(
      str.top.map((c) => `${c.signal}${c.layer}:${c.unit}`),
      ['c1:0', 'h0:1'],
    );
  });

  it('scores a detector with outlying values by phi: low r, high phi, labelled; phi matches the exact best threshold', async () => {
    // A c-like cell: 1 where the feature is on, 0 off, but 40 at a few off steps (a counter elsewhere).
    const T2 = 2000;
    const on = new Uint8Array(T2);
    const x = new Float32Array(T2);
    for (let t = 0; t < T2; t++) {
      on[t] = t % 50 < 5 ? 1 : 0;
      x[t] = on[t] ? 1 : t % 97 === 30 ? 40 : 0.02 * Math.sin(t);
    }
    const scorer = new CellScorer([{ layer: 0, signal: 'c', size: 1 }], [FEATS[0]]);
    await scorer.observe([x], [on]);
    const table = scorer.result();
    // Exact phi of the best threshold, by brute force over thresholds between sorted values.
    const xs = Array.from(x);
    let bestPhi = 0;
    for (const th of [...new Set(xs)].sort((a, b) => a - b)) {
      let tp = 0,
        fp = 0,
        fn = 0,
        tn = 0;
      xs.forEach((v, t) => {
        const p = v >= th;
        if (p && on[t]) tp++;
        else if (p) fp++;
        else if (on[t]) fn++;
        else tn++;
      });
      const d = Math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn));
      if (d > 0 && Math.abs((tp * tn - fp * fn) / d) > Math.abs(bestPhi)) bestPhi = (tp * tn - fp * fn) / d;
    }
    assert.ok(table.r[0] < 0.5, `r ${table.r[0]}`);
    assert.ok(table.phi[0] <= bestPhi + 1e-6 && table.phi[0] > bestPhi - 0.02, `phi ${table.phi[0]}, exact ${bestPhi}`);
    const d = discoverLabels(table, { minAbsR: 0.6 });
    assert.strictEqual(d.labels.length, 1);
    assert.ok(d.labels[0].score > 0.9 && d.labels[0].score === d.labels[0].phi);
  });

  it('reports constant and never-on features as skipped instead of scoring them', async () => {
    const scorer = new CellScorer(SOURCES, FEATS);
    const T2 = 100;
    await scorer.observe(
      [s.a.subarray(0, T2 * 2), s.b.subarray(0, T2 * 2)],
      [new Uint8Array(T2), new Float32Array(T2).fill(3)],
    );
    const d = discoverLabels(scorer.result());
    assert.strictEqual(d.features[0].skipped, 'never on in the sample');
    assert.strictEqual(d.features[1].skipped, 'constant over the sample');
    assert.strictEqual(d.labels.length, 0);
  });

  it('names mismatched chunks and bad sources', async () => {
    const scorer = new CellScorer(SOURCES, FEATS);
    await assert.rejects(
      scorer.observe([s.a.subarray(0, 10)], [s.str.subarray(0, 5), s.col.subarray(0, 5)]),
      /expected 2 activation arrays/,
    );
    await assert.rejects(
      scorer.observe([s.a.subarray(0, 10), s.b.subarray(0, 8)], [s.str.subarray(0, 5), s.col.subarray(0, 5)]),
      /activations of c1: 8 values, expected T\*H = 5\*2/,
    );
    await assert.rejects(
      scorer.observe([s.a.subarray(0, 10), s.b.subarray(0, 10)], [s.str.subarray(0, 5), s.col.subarray(0, 4)]),
      /feature column: 4 values, expected 5/,
    );
    assert.throws(() => new CellScorer([{ layer: 0, signal: 'h', size: 0 }], FEATS), /size must be a positive integer/);
  });
});
