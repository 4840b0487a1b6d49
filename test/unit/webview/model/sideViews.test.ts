import * as assert from 'assert';
import type { SaturationData, TrainingView } from '../../../../src/protocol/panelProtocol';
import { saturationView } from '../../../../webview/model/saturationModel';
import { formatRate } from '../../../../src/protocol/rateFormat';
import { FORMATION_FEATURES, formationCurves, trainingCurves } from '../../../../webview/model/trainingModel';

describe('webview saturation and training models', () => {
  it('groups saturation points of the shown layer by gate and marks toggled cells', () => {
    const data: SaturationData = {
      uri: 'file:///a',
      version: 1,
      chars: 100,
      layers: [
        {
          layer: 0,
          points: [
            { cell: 0, gate: 'i', left: 0.1, right: 0.2 },
            { cell: 1, gate: 'i', left: 0.3, right: 0.4 },
            { cell: 0, gate: 'f', left: 0, right: 0.9 },
          ],
        },
        { layer: 1, points: [{ cell: 0, gate: 'r', left: 0.5, right: 0.5 }] },
      ],
    };
    const v = saturationView(data, {
      cells: [
        { layer: 0, cell: 1 },
        { layer: 1, cell: 0 },
      ],
      primary: null,
      layer: 0,
    })!;
    assert.strictEqual(v.chars, 100);
    assert.deepStrictEqual(
      v.gates.map((g) => g.gate),
      ['i', 'f'],
    );
    assert.deepStrictEqual(v.gates[0].dots, [
      { x: 0.1, y: 0.2, cell: 0, on: false },
      { x: 0.3, y: 0.4, cell: 1, on: true },
    ]);
    assert.strictEqual(saturationView(data, { cells: [], primary: null, layer: 3 }), null);
  });

  it('turns training points into train and validation curves with a summary', () => {
    const t: TrainingView = {
      state: 'running',
      title: 'workspace',
      charsPerSecond: 45_300,
      sample: '',
      sampleStep: 0,
      points: [
        { step: 10, trainBpc: 4.5 },
        { step: 20, trainBpc: 3.25, valBpc: 3.5 },
        { step: 30, trainBpc: 3.0 },
      ],
    };
    const c = trainingCurves(t);
    assert.deepStrictEqual(c.curves[0].points, [
      { x: 10, y: 4.5 },
      { x: 20, y: 3.25 },
      { x: 30, y: 3 },
    ]);
    assert.deepStrictEqual(c.curves[1].points, [{ x: 20, y: 3.5 }]);
    assert.strictEqual(c.summary, 'running · step 30 · train 3.00 bpc · val 3.50 bpc · 45.3k chars/s');
    assert.deepStrictEqual([formatRate(950), formatRate(1500), formatRate(2_500_000)], ['950', '1.5k', '2.5M']);
  });

  it('charts the features that end highest and lists the kept snapshots, newest first', () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const at = (step: number, snapshot: boolean) => ({
      step,
      valBpc: 3 - step / 100,
      snapshot,
      scores: names.map((name, k) => ({ name, score: name === 'h' ? null : (k + 1) * 0.1 * (step / 30) })),
    });
    const t: TrainingView = {
      state: 'running',
      title: 'run',
      points: [],
      charsPerSecond: 0,
      sample: '',
      sampleStep: 0,
      formation: [at(10, true), at(20, false), at(30, true)],
    };
    const f = formationCurves(t);
    assert.strictEqual(f.curves.length, FORMATION_FEATURES);
    assert.deepStrictEqual(
      f.curves.map((c) => c.label),
      ['g', 'f', 'e', 'd'],
    );
    assert.deepStrictEqual(
      f.curves[0].points.map((p) => p.x),
      [10, 20, 30],
    );
    assert.deepStrictEqual(f.snapshots, [
      { step: 30, label: 'step 30 · val 2.70 bpc' },
      { step: 10, label: 'step 10 · val 2.90 bpc' },
    ]);
    assert.deepStrictEqual(formationCurves({ ...t, formation: undefined }), { curves: [], snapshots: [] });
  });
});
