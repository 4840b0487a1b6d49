import * as assert from 'assert';
import type { CellDiscovery } from '../../../../src/core/analysis/cellLabels';
import { cellPickItems } from '../../../../src/extension/editor/cellPicks';
import {
  DEFAULT_MIN_SCORE,
  lastDiscoveryOf,
  minScoreOf,
  progressLine,
  rememberDiscovery,
  summaryLine,
  toLabelInfos,
} from '../../../../src/extension/discovery/discoveryLabels';
import { LensState } from '../../../../src/extension/lens/lensState';
import { readPackageManifest } from '../../../helpers/packageManifest';

const discovery: CellDiscovery = {
  count: 1234,
  minAbsR: 0.6,
  features: [],
  labels: [
    {
      layer: 0,
      signal: 'c',
      unit: 37,
      feature: 'inString',
      r: 0.93,
      score: 0.93,
      phi: 0.9,
      f1: 0.88,
      threshold: 0.4,
      above: true,
      text: 'quote detector (r = 0.93, φ = 0.90, F1 = 0.88)',
    },
    {
      layer: 1,
      signal: 'h',
      unit: 2,
      feature: 'indentLevels',
      r: -0.71,
      score: 0.71,
      text: 'indent depth (r = -0.71)',
    },
  ],
};

describe('extension/discoveryLabels', () => {
  it('maps discovery labels to the lens state (unit → cell), and Select Cell lists them first with their text', () => {
    const infos = toLabelInfos(discovery);
    // The threshold rule of an on/off label goes along: the editor draws such a cell as a detector.
    assert.deepStrictEqual(infos, [
      {
        layer: 0,
        cell: 37,
        signal: 'c',
        text: 'quote detector (r = 0.93, φ = 0.90, F1 = 0.88)',
        score: 0.93,
        feature: 'inString',
        threshold: 0.4,
        above: true,
      },
      {
        layer: 1,
        cell: 2,
        signal: 'h',
        text: 'indent depth (r = -0.71)',
        score: 0.71,
        feature: 'indentLevels',
        threshold: undefined,
        above: undefined,
      },
    ]);
    const state = new LensState();
    state.setModel({
      id: 'm',
      name: 'm',
      path: '/m.onnx',
      info: {
        layers: [
          { kind: 'lstm', hiddenSize: 64, inputSize: 8 },
          { kind: 'lstm', hiddenSize: 8, inputSize: 64 },
        ],
        vocabSize: 10,
      } as never,
    });
    state.setLabels(infos);
    assert.strictEqual(state.labelOf({ layer: 0, cell: 37 })?.text, infos[0].text);
    const items = cellPickItems(state.model!.info, state.labels, state.primary);
    assert.deepStrictEqual(
      items.slice(0, 2).map((i) => [i.label, i.description]),
      [
        ['L0 #37', infos[0].text],
        ['L1 #2', infos[1].text],
      ],
    );
    assert.match(items[0].detail!, /^c · score \|r\| = 0\.93/);
  });

  it('remembers the last discovery per model file version; another size or mtime, or a bad index, misses', () => {
    const m = { path: '/x/default.onnx', size: 100, mtimeMs: 5 };
    let index = rememberDiscovery(undefined, m, 'cells-v3-a-b');
    assert.strictEqual(lastDiscoveryOf(index, m), 'cells-v3-a-b');
    assert.strictEqual(lastDiscoveryOf(index, { ...m, mtimeMs: 6 }), undefined);
    assert.strictEqual(lastDiscoveryOf(index, { ...m, size: 101 }), undefined);
    index = rememberDiscovery(index, { ...m, mtimeMs: 6 }, 'cells-v3-c-d');
    assert.strictEqual(index.length, 1, 'a new version of the same file replaces the old entry');
    index = rememberDiscovery(index, { path: '/y.onnx', size: 1, mtimeMs: 1 }, 'cells-v3-e-f');
    assert.deepStrictEqual(
      index.map(([, k]) => k),
      ['cells-v3-e-f', 'cells-v3-c-d'],
    );
    assert.strictEqual(rememberDiscovery(index, { path: '/z.onnx', size: 1, mtimeMs: 1 }, 'k', 2).length, 2);
    assert.strictEqual(lastDiscoveryOf({ not: 'an index' }, m), undefined);
    assert.strictEqual(lastDiscoveryOf([['a'], 3, null], m), undefined);
  });

  it('writes the progress line and the summary', () => {
    assert.deepStrictEqual(progressLine({ done: 12000, total: 200000, text: 'src/a.ts' }), {
      message: 'scoring src/a.ts: 12,000 of 200,000 characters',
      percent: 6,
    });
    assert.strictEqual(progressLine({ done: 0, total: 0, text: 'e' }).percent, 0);
    assert.strictEqual(
      summaryLine(discovery, 1, 2.14, false),
      '2 labelled cells (best: L0 c[37] quote detector (r = 0.93, φ = 0.90, F1 = 0.88)), 1 file, 1,234 characters, in 2.1 s',
    );
    assert.strictEqual(
      summaryLine({ ...discovery, labels: [] }, 3, 1, true),
      '0 labelled cells (none reaches 0.60), 3 files, 1,234 characters, from the cache',
    );
  });

  it('reads the label threshold setting, with the manifest default, and names a bad value', () => {
    const manifest = readPackageManifest();
    assert.strictEqual(
      manifest.contributes.configuration.properties['lstmLens.discovery.minScore'].default,
      DEFAULT_MIN_SCORE,
    );
    assert.deepStrictEqual(minScoreOf(undefined), { minScore: DEFAULT_MIN_SCORE });
    assert.deepStrictEqual(minScoreOf(0.8), { minScore: 0.8 });
    assert.match(minScoreOf(1.5).problem!, /minScore must be a number from 0 to 1, got 1\.5; using 0\.6/);
    assert.strictEqual(minScoreOf('x').minScore, DEFAULT_MIN_SCORE);
  });
});
