import * as assert from 'assert';
import { SaturationCounter } from '../../../../src/core/analysis/saturation';
import { DISCOVERY_VERSION, discoveryCacheKey, modelHash, sampleHash } from '../../../../src/core/analysis/cacheKey';
import { randomCharModel } from '../../../../src/core/model/randomModel';

describe('SaturationCounter', () => {
  it('counts left- and right-saturated steps per cell and gate across chunks', () => {
    const sat = new SaturationCounter([{ size: 2, gates: ['i', 'f'] }]);
    // (T=3, H=2) then (T=1, H=2)
    sat.observe(0, {
      i: Float32Array.from([0.05, 0.5, 0.95, 0.1, 0.2, 0.91]),
      f: Float32Array.from([0.99, 0.99, 0.99, 0.99, 0.0, 0.5]),
    });
    sat.observe(0, { i: Float32Array.from([0.0, 1.0]), f: Float32Array.from([0.5, 0.5]) });
    const [layer] = sat.result();
    assert.strictEqual(layer.count, 4);
    assert.deepStrictEqual(Array.from(layer.gates.i.left), [0.5, 0]); // 0.05, 0.0 (0.1 is not < 0.1)
    assert.deepStrictEqual(Array.from(layer.gates.i.right), [0.25, 0.5]); // 0.95 | 0.91, 1.0
    assert.deepStrictEqual(Array.from(layer.gates.f.left), [0.25, 0]);
    assert.deepStrictEqual(Array.from(layer.gates.f.right), [0.5, 0.5]);
  });

  it('names a missing gate, a ragged chunk and bad thresholds', () => {
    const sat = new SaturationCounter([{ size: 2, gates: ['i'] }]);
    assert.throws(() => sat.observe(0, {}), /gate i of layer 0 is missing/);
    assert.throws(() => sat.observe(0, { i: new Float32Array(3) }), /gate i of layer 0: 3 values do not fill \(T, 2\)/);
    assert.throws(() => sat.observe(1, { i: new Float32Array(2) }), /layer 1 is outside the 1 layers/);
    assert.throws(() => new SaturationCounter([], { low: 0.9, high: 0.1 }), /0 <= low < high <= 1/);
  });
});

describe('discovery cache keys', () => {
  const vocab = { chars: ['a', 'b', '\n'] };
  const model = randomCharModel({ vocab, layers: [{ kind: 'lstm', hiddenSize: 3 }], seed: 1 });

  it('hashes model weights but not metadata', () => {
    const same = { ...model, metadata: { 'lstm_lens.name': 'renamed' } };
    assert.strictEqual(modelHash(same), modelHash(model));
    const changed = randomCharModel({ vocab, layers: [{ kind: 'lstm', hiddenSize: 3 }], seed: 1 });
    changed.layers[0].R[4] += 1e-6;
    assert.notStrictEqual(modelHash(changed), modelHash(model));
  });

  it('hashes texts, languages and settings, not names, and keeps text boundaries', () => {
    const a = sampleHash([
      { name: 'x', text: 'ab', language: 'c' },
      { name: 'y', text: 'c', language: 'c' },
    ]);
    assert.strictEqual(
      a,
      sampleHash([
        { name: 'other', text: 'ab', language: 'c' },
        { name: 'y', text: 'c', language: 'c' },
      ]),
    );
    assert.notStrictEqual(
      a,
      sampleHash([
        { name: 'x', text: 'a', language: 'c' },
        { name: 'y', text: 'bc', language: 'c' },
      ]),
    );
    assert.notStrictEqual(
      a,
      sampleHash([
        { name: 'x', text: 'ab', language: 'python' },
        { name: 'y', text: 'c', language: 'c' },
      ]),
    );
    assert.notStrictEqual(
      a,
      sampleHash(
        [
          { name: 'x', text: 'ab', language: 'c' },
          { name: 'y', text: 'c', language: 'c' },
        ],
        { tabSize: 2 },
      ),
    );
    assert.strictEqual(
      discoveryCacheKey('f'.repeat(64), '0'.repeat(64)),
      `cells-v${DISCOVERY_VERSION}-${'f'.repeat(24)}-${'0'.repeat(24)}`,
    );
  });
});
