import * as assert from 'assert';
import type { PanelGradientFlow } from '../../../../src/protocol/panelProtocol';
import { gradientFlowView, gradientHeader, logSafe, seriesKey } from '../../../../webview/model/gradientFlowModel';

describe('webview gradient flow model', () => {
  const g: PanelGradientFlow = {
    uri: 'file:///x.ts',
    version: 1,
    line: 3,
    column: 7,
    char: ' ',
    target: 'b',
    p: 0.12345,
    targetIsGuess: false,
    series: [
      { name: 'input', values: [1, 0.1, 0, 0.001] },
      { name: 'L0 h', values: [2, -1, Number.NaN] },
      { name: 'L1 c', values: [0.5, 0.25, 0.125, 1e-9, Infinity] },
    ],
  };

  it('maps norms that a log axis cannot show (≤ 0, NaN, ∞) to gaps', () => {
    assert.deepStrictEqual(logSafe([1, 0, -2, 1e-30, Number.NaN, Infinity, -Infinity]), [
      1,
      null,
      null,
      1e-30,
      null,
      null,
      null,
    ]);
  });

  it('names the prediction, the target and its probability, and says when the target is a guess', () => {
    assert.strictEqual(gradientHeader(g), "Prediction after '·' at line 3:7 of 'b' (p = 0.123)");
    assert.strictEqual(
      gradientHeader({ ...g, char: '\n', target: 'x', p: 0.9, targetIsGuess: true }),
      "Prediction after '⏎' at line 3:7 of 'x' (p = 0.900; the model's own guess)",
    );
  });

  it('reads layer and signal from a series name', () => {
    assert.deepStrictEqual(seriesKey('L0 h'), { layer: 0, colour: 'h' });
    assert.deepStrictEqual(seriesKey('L12 c'), { layer: 12, colour: 'c' });
    assert.deepStrictEqual(seriesKey('input'), { layer: -1, colour: 'input' });
  });

  it('gives distances 0 … n−1 for the longest series and one log-safe line per series', () => {
    const v = gradientFlowView(g);
    assert.deepStrictEqual(v.distances, [0, 1, 2, 3, 4]);
    assert.deepStrictEqual(
      v.series.map((s) => [s.name, s.layer, s.colour]),
      [
        ['input', -1, 'input'],
        ['L0 h', 0, 'h'],
        ['L1 c', 1, 'c'],
      ],
    );
    assert.deepStrictEqual(v.series[0]?.data, [1, 0.1, null, 0.001]);
    assert.deepStrictEqual(v.series[1]?.data, [2, null, null]);
    assert.deepStrictEqual(v.series[2]?.data, [0.5, 0.25, 0.125, 1e-9, null]);
    assert.deepStrictEqual(gradientFlowView({ ...g, series: [] }).distances, []);
  });
});
