import * as assert from 'assert';
import {
  cellPickItems,
  layerPickItems,
  parseCellRef,
  signalPickItems,
} from '../../../../src/extension/editor/cellPicks';
import type { ModelInfo } from '../../../../src/protocol/analysisProtocol';

const info: ModelInfo = {
  layers: [
    { kind: 'lstm', hiddenSize: 3, inputSize: 2 },
    { kind: 'gru', hiddenSize: 2, inputSize: 3 },
  ],
  vocabSize: 5,
  vocab: [],
  metadata: {},
  threads: 1,
  draft: { used: false, reason: 'turned off' },
};

describe('cell picks', () => {
  it('lists every cell, labelled ones first by score, with the label searchable in the description', () => {
    const items = cellPickItems(
      info,
      [
        { layer: 1, cell: 1, signal: 'h', text: 'indent', score: 0.7 },
        { layer: 0, cell: 2, signal: 'c', text: 'quote detector', score: 0.9 },
        { layer: 0, cell: 2, signal: 'h', text: 'quote (h)', score: 0.8 },
      ],
      { layer: 0, cell: 1 },
    );
    assert.deepStrictEqual(
      items.map((i) => i.label),
      ['L0 #2', 'L1 #1', 'L0 #0', 'L0 #1', 'L1 #0'],
    );
    assert.strictEqual(items[0].description, 'quote detector');
    assert.match(items[0].detail!, /c · score \|r\| = 0\.90 · LSTM layer 0/);
    assert.strictEqual(items[3].description, '(current)');
    assert.ok(items[3].picked);
  });

  it('parses typed cell references', () => {
    assert.deepStrictEqual(parseCellRef('L1 #37', 0), { layer: 1, cell: 37 });
    assert.deepStrictEqual(parseCellRef('l0#5', 1), { layer: 0, cell: 5 });
    assert.deepStrictEqual(parseCellRef('1:2', 0), { layer: 1, cell: 2 });
    assert.deepStrictEqual(parseCellRef('37', 1), { layer: 1, cell: 37 });
    assert.deepStrictEqual(parseCellRef('#4', 0), { layer: 0, cell: 4 });
    assert.strictEqual(parseCellRef('quote', 0), undefined);
    assert.strictEqual(parseCellRef('', 0), undefined);
  });

  it('offers the signals of the layer kind plus surprisal, and the layers', () => {
    assert.deepStrictEqual(
      signalPickItems('lstm', 'c', false).map((i) => [i.label, i.picked]),
      [
        ['h', false],
        ['c', true],
        ['i', false],
        ['f', false],
        ['o', false],
        ['g', false],
        ['surprisal', false],
      ],
    );
    assert.deepStrictEqual(
      signalPickItems('gru', 'h', true).map((i) => i.label),
      ['h', 'r', 'z', 'n', 'surprisal'],
    );
    assert.ok(signalPickItems('gru', 'h', true).find((i) => i.label === 'surprisal')!.picked);
    const layers = layerPickItems(info, 1);
    assert.deepStrictEqual(
      layers.map((l) => l.label),
      ['Layer 0', 'Layer 1'],
    );
    assert.strictEqual(layers[1].description, 'GRU, 2 cells, input 3 (current)');
  });
});
