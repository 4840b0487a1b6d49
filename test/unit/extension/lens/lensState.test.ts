import * as assert from 'assert';
import { LensState, MAX_TOGGLED, cellTitle, describeLayers } from '../../../../src/extension/lens/lensState';
import type { ActiveModel, StateKey } from '../../../../src/extension/lens/lensState';

const model: ActiveModel = {
  id: 'bundled',
  name: 'default',
  path: '/x/default.onnx',
  info: {
    layers: [
      { kind: 'lstm', hiddenSize: 8, inputSize: 4 },
      { kind: 'gru', hiddenSize: 4, inputSize: 8 },
    ],
    vocabSize: 10,
    vocab: [],
    metadata: {},
    threads: 1,
    draft: { used: false, reason: 'turned off' },
  },
};

function watch(s: LensState): StateKey[][] {
  const seen: StateKey[][] = [];
  s.onDidChange((c) => seen.push([...c].sort()));
  return seen;
}

describe('lens state', () => {
  it('clamps a restored cell into the new model and keeps signals the layer has', () => {
    const s = new LensState();
    s.restore({
      primary: { layer: 5, cell: 99 },
      toggled: [
        { layer: 0, cell: 3 },
        { layer: 1, cell: 9 },
      ],
      signal: 'c',
      mode: 'surprisal',
    });
    s.setModel(model);
    assert.deepStrictEqual(s.primary, { layer: 1, cell: 3 });
    assert.deepStrictEqual(s.toggled, [{ layer: 0, cell: 3 }]);
    assert.strictEqual(s.signal, 'h', 'GRU layer has no c');
    assert.strictEqual(s.mode, 'surprisal');
  });

  it('ignores malformed saved state', () => {
    const s = new LensState();
    s.restore({ primary: { layer: -1, cell: 'x' }, toggled: 'nope', signal: 'q', mode: 'loud' });
    assert.deepStrictEqual(s.persisted(), {
      primary: { layer: 0, cell: 0 },
      chosen: false,
      toggled: [],
      signal: 'h',
      mode: 'activation',
    });
    s.restore(null);
    s.restore(42);
  });

  it('opens on a labelled cell only until the user chooses one, and remembers the choice', () => {
    const s = new LensState();
    assert.strictEqual(s.openOn({ layer: 0, cell: 5, signal: 'c' }), false, 'no model yet');
    s.setModel(model);
    assert.strictEqual(s.openOn({ layer: 0, cell: 99, signal: 'c' }), false, 'a cell the model does not have');
    assert.strictEqual(s.openOn({ layer: 0, cell: 5, signal: 'c' }), true);
    assert.deepStrictEqual([s.primary, s.signal, s.chosen], [{ layer: 0, cell: 5 }, 'c', false]);
    assert.strictEqual(s.openOn({ layer: 1, cell: 2, signal: 'c' }), true, 'still no user choice');
    assert.deepStrictEqual([s.primary, s.signal], [{ layer: 1, cell: 2 }, 'h'], 'a GRU layer has no c: h is kept');
    s.stepCell(1);
    assert.strictEqual(s.chosen, true, 'Next Cell is a choice');
    assert.strictEqual(s.openOn({ layer: 0, cell: 5, signal: 'c' }), false);
    assert.deepStrictEqual(s.primary, { layer: 1, cell: 3 });
    const again = new LensState();
    again.restore(s.persisted());
    assert.strictEqual(again.chosen, true, 'the choice survives a reload');
  });

  it('selects, steps with wrap-around, switches layers and reports what changed', () => {
    const s = new LensState();
    s.setModel(model);
    const seen = watch(s);
    s.setSignal('f');
    s.selectCell({ layer: 0, cell: 7 });
    s.stepCell(1);
    assert.deepStrictEqual(s.primary, { layer: 0, cell: 0 });
    s.stepCell(-1);
    assert.deepStrictEqual(s.primary, { layer: 0, cell: 7 });
    s.setLayer(1);
    assert.deepStrictEqual(s.primary, { layer: 1, cell: 3 }, 'cell clamped to the GRU layer');
    assert.strictEqual(s.signal, 'h', 'f does not exist in a GRU layer');
    assert.deepStrictEqual(seen, [['signal'], ['primary'], ['primary'], ['primary'], ['layer', 'primary', 'signal']]);
  });

  it('rejects cells, layers and signals the model does not have, naming them', () => {
    const s = new LensState();
    s.setModel(model);
    assert.throws(
      () => s.selectCell({ layer: 0, cell: 8 }),
      /cell 8 of layer 0 does not exist in default \(2 layers: LSTM 8, GRU 4\)/,
    );
    assert.throws(() => s.setLayer(2), /layer 2 does not exist \(the model has 2\)/);
    s.selectCell({ layer: 1, cell: 0 });
    assert.throws(() => s.setSignal('c'), /signal 'c' does not exist in GRU layer 1 \(has h, r, z, n\)/);
  });

  it('toggles cells, capped, and lists primary first without repeats', () => {
    const s = new LensState();
    s.setModel(model);
    s.toggleCell({ layer: 0, cell: 2 });
    s.toggleCell({ layer: 0, cell: 0 });
    s.toggleCell({ layer: 1, cell: 1 });
    s.toggleCell({ layer: 0, cell: 2 });
    assert.deepStrictEqual(s.toggled, [
      { layer: 0, cell: 0 },
      { layer: 1, cell: 1 },
    ]);
    assert.deepStrictEqual(s.shownCells(), [
      { layer: 0, cell: 0 },
      { layer: 1, cell: 1 },
    ]);
    for (let j = 0; j < 8; j++) s.toggleCell({ layer: 0, cell: j }, true);
    for (let j = 0; j < 4; j++) s.toggleCell({ layer: 1, cell: j }, true);
    assert.ok(s.toggled.length <= MAX_TOGGLED);
  });

  it('asks the worker for every signal of the shown cells, and surprisal only in surprisal mode', () => {
    const s = new LensState();
    s.setModel(model);
    s.selectCell({ layer: 0, cell: 5 });
    s.toggleCell({ layer: 1, cell: 2 });
    assert.deepStrictEqual(s.selectionSpec(), {
      cells: [
        { layer: 0, cell: 5, signals: ['h', 'c', 'i', 'f', 'o', 'g'] },
        { layer: 1, cell: 2, signals: ['h', 'r', 'z', 'n'] },
      ],
      surprisal: false,
    });
    s.setMode('surprisal');
    assert.strictEqual(s.selectionSpec().surprisal, true);
  });

  it('finds the best label of a cell; a new model drops the labels', () => {
    const s = new LensState();
    s.setModel(model);
    s.setLabels([
      { layer: 0, cell: 1, signal: 'h', text: 'weak', score: 0.6 },
      { layer: 0, cell: 1, signal: 'c', text: 'quote detector', score: 0.9 },
    ]);
    assert.strictEqual(s.labelOf({ layer: 0, cell: 1 })?.text, 'quote detector');
    assert.strictEqual(s.labelOf({ layer: 0, cell: 2 }), undefined);
    s.setModel(model);
    assert.deepStrictEqual(s.labels, []);
    assert.strictEqual(cellTitle({ layer: 1, cell: 37 }), 'L1 #37');
    assert.strictEqual(describeLayers(model.info), '2 layers: LSTM 8, GRU 4');
  });
});
