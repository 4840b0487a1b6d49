import * as assert from 'assert';
import { BUNDLED_LABELS_VERSION, openingCell, parseBundledLabels } from '../../../../src/core/analysis/bundledLabels';
import type { CellDiscovery, CellScore } from '../../../../src/core/analysis/cellLabels';
import type { FeatureId } from '../../../../src/core/analysis/codeFeatures';
import { DISCOVERY_VERSION } from '../../../../src/core/analysis/cacheKey';

const score = (feature: FeatureId, unit: number, s: number): CellScore => ({
  layer: 0,
  signal: 'c',
  unit,
  feature,
  r: s,
  score: s,
});

function discovery(tops: [FeatureId, number, number][], labels: CellScore[] = []): CellDiscovery {
  return {
    count: 1000,
    minAbsR: 0.6,
    features: tops.map(([feature, unit, s]) => ({
      feature,
      name: feature,
      kind: 'binary',
      coverage: 0.1,
      top: [score(feature, unit, s)],
    })),
    labels: labels.map((l) => ({ ...l, text: `${l.feature} (r = ${l.r})` })),
  };
}

describe('bundled labels', () => {
  it('open on the inside-string detector first, then double quotes, then comments, then the best label', () => {
    assert.strictEqual(
      openingCell(
        discovery([
          ['inComment', 2, 0.9],
          ['inString', 19, 0.7],
        ]),
      )?.unit,
      19,
    );
    assert.strictEqual(
      openingCell(
        discovery([
          ['inString', 19, 0.5],
          ['inDoubleQuote', 7, 0.74],
          ['inComment', 2, 0.9],
        ]),
      )?.unit,
      7,
      'an inside-string cell under the threshold is passed over',
    );
    assert.strictEqual(
      openingCell(
        discovery([
          ['inString', 19, 0.5],
          ['inComment', 2, 0.65],
        ]),
      )?.unit,
      2,
    );
    const best = score('atLineStart', 44, 0.8);
    assert.strictEqual(openingCell(discovery([['inString', 19, 0.5]], [best]))?.unit, 44);
    assert.strictEqual(openingCell(discovery([['inString', 19, 0.5]])), undefined);
  });

  it('refuse a file that is not a labels file, naming it', () => {
    assert.throws(() => parseBundledLabels('{', 'x.labels.json'), /x\.labels\.json: not JSON/);
    assert.throws(
      () => parseBundledLabels('{"version": 99}', 'x.labels.json'),
      /not a bundled labels file of version 1/,
    );
    const ok = {
      version: BUNDLED_LABELS_VERSION,
      model: { file: 'm.onnx', sha256: 'ab'.repeat(32) },
      createdBy: 't',
      sample: [],
      stored: { version: DISCOVERY_VERSION, discovery: discovery([]), texts: [], excerpts: [], saturation: [] },
    };
    assert.ok(parseBundledLabels(JSON.stringify(ok), 'x'));
    assert.throws(
      () => parseBundledLabels(JSON.stringify({ ...ok, model: { file: 'm.onnx', sha256: 'nope' } }), 'x'),
      /no model SHA-256/,
    );
    assert.throws(
      () => parseBundledLabels(JSON.stringify({ ...ok, stored: { version: DISCOVERY_VERSION } }), 'x'),
      /no discovery/,
    );
    assert.strictEqual(
      parseBundledLabels(JSON.stringify({ ...ok, stored: { version: DISCOVERY_VERSION - 1 } }), 'x'),
      undefined,
      'labels of an older discovery are not used',
    );
  });
});
