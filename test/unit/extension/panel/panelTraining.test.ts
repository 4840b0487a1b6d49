import * as assert from 'assert';
import { MAX_POINTS, PanelTraining } from '../../../../src/extension/panel/panelTraining';
import type { TrainingView } from '../../../../src/protocol/panelProtocol';

describe('panel training view data', () => {
  it('collects progress, validation points when they change, samples and the end state', () => {
    const seen: (TrainingView | null)[] = [];
    const t = new PanelTraining((v) => seen.push(v));
    assert.throws(
      () => t.progress({ step: 1, trainBitsPerChar: 4, charsPerSecond: 1 }),
      /training progress before start\(\)/,
    );
    t.start('workspace, LSTM 128');
    t.progress({ step: 10, trainBitsPerChar: 5, charsPerSecond: 1000 });
    t.progress({ step: 20, trainBitsPerChar: 4, valBitsPerChar: 4.5, charsPerSecond: 2000 });
    t.progress({ step: 30, trainBitsPerChar: 3.5, valBitsPerChar: 4.5, charsPerSecond: 2100 }); // same validation: not a new point
    t.progress({ step: 30, trainBitsPerChar: 3.4, valBitsPerChar: 4.2, charsPerSecond: 2200 }); // same step: replaces
    t.sample({ step: 30, text: 'int main' });
    t.finish('done', 'saved');
    const v = t.view!;
    assert.deepStrictEqual(v.points, [
      { step: 10, trainBpc: 5 },
      { step: 20, trainBpc: 4, valBpc: 4.5 },
      { step: 30, trainBpc: 3.4, valBpc: 4.2 },
    ]);
    assert.deepStrictEqual(
      [v.state, v.message, v.sample, v.sampleStep, v.charsPerSecond, v.title],
      ['done', 'saved', 'int main', 30, 2200, 'workspace, LSTM 128'],
    );
    assert.strictEqual(seen.length, 7);
    assert.throws(() => t.progress({ step: 40, trainBitsPerChar: NaN, charsPerSecond: 1 }), /finite train bits\/char/);
    t.start('again');
    assert.deepStrictEqual(t.view!.points, []);
  });

  it('keeps long runs under MAX_POINTS by thinning old points, keeping validation points and the last one', () => {
    const t = new PanelTraining();
    t.start('long');
    for (let s = 1; s <= 5000; s++)
      t.progress({
        step: s,
        trainBitsPerChar: 8 / s,
        valBitsPerChar: s % 500 === 0 ? 1 / s : undefined,
        charsPerSecond: 1,
      });
    const p = t.view!.points;
    assert.ok(p.length <= MAX_POINTS, `${p.length} points`);
    assert.strictEqual(p[p.length - 1].step, 5000);
    assert.strictEqual(p.filter((q) => q.valBpc !== undefined).length, 10);
    assert.ok(
      p.every((q, i) => i === 0 || q.step > p[i - 1].step),
      'steps stay in order',
    );
  });

  it('records how cells form: scores per validation, which snapshots are kept, and their files by step', () => {
    const views: (TrainingView | null)[] = [];
    const t = new PanelTraining((v) => views.push(v));
    t.start('run');
    const scores = [{ name: 'double-quote string', score: 0.4 }];
    t.cells({ step: 10, valBitsPerChar: 3.1, scores, path: '/m/run-step-10.onnx', removed: [] });
    t.cells({ step: 20, valBitsPerChar: 2.9, scores, path: '/m/run-step-20.onnx', removed: [] });
    t.cells({ step: 30, valBitsPerChar: 2.8, scores, path: '/m/run-step-30.onnx', removed: [20] });
    const f = t.view!.formation!;
    assert.deepStrictEqual(
      f.map((p) => [p.step, p.snapshot]),
      [
        [10, true],
        [20, false],
        [30, true],
      ],
    );
    assert.strictEqual(t.snapshotAt(30), '/m/run-step-30.onnx');
    assert.strictEqual(t.snapshotAt(20), undefined);
    t.start('next');
    assert.strictEqual(t.snapshotAt(30), undefined);
    assert.deepStrictEqual(t.view!.formation, []);
  });
});
