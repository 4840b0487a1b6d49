import * as assert from 'assert';
import type { PanelModel, PanelSelection } from '../../../../src/protocol/panelProtocol';
import { cellRows, primaryCell } from '../../../../webview/model/cellListModel';

describe('webview cell list model', () => {
  const model: PanelModel = {
    name: 'm',
    layers: [
      { kind: 'lstm', hiddenSize: 24 },
      { kind: 'gru', hiddenSize: 4 },
    ],
    labels: [
      { layer: 0, cell: 3, signal: 'c', text: 'quote detector (r = 0.93)', score: 0.93 },
      { layer: 0, cell: 3, signal: 'h', text: 'line length (r = 0.61)', score: 0.61 },
      { layer: 0, cell: 12, signal: 'h', text: 'indentation (r = 0.7)', score: 0.7 },
      { layer: 1, cell: 1, signal: 'h', text: 'brackets (r = 0.8)', score: 0.8 },
    ],
  };
  const sel: PanelSelection = {
    cells: [
      { layer: 0, cell: 12 },
      { layer: 0, cell: 3 },
      { layer: 1, cell: 1 },
    ],
    primary: null,
    layer: 0,
  };

  it('lists every cell of the shown layer with toggle state, primary and best label', () => {
    const rows = cellRows(model, sel, '', 'index');
    assert.strictEqual(rows.length, 24);
    assert.deepStrictEqual(rows[3], {
      cell: 3,
      on: true,
      primary: false,
      label: 'c: quote detector (r = 0.93)',
      score: 0.93,
    });
    assert.deepStrictEqual(rows[12], {
      cell: 12,
      on: true,
      primary: true,
      label: 'h: indentation (r = 0.7)',
      score: 0.7,
    });
    assert.deepStrictEqual(rows[0], { cell: 0, on: false, primary: false, label: '', score: 0 });
    assert.deepStrictEqual(primaryCell(sel), { layer: 0, cell: 12 }, 'first toggled colours the editor');
    assert.deepStrictEqual(primaryCell({ ...sel, primary: { layer: 0, cell: 3 } }), { layer: 0, cell: 3 });
    assert.strictEqual(cellRows(model, { ...sel, layer: 1 }, '', 'index').length, 4);
  });

  it('searches by index prefix or label text, and sorts by label score', () => {
    assert.deepStrictEqual(
      cellRows(model, sel, '1', 'index').map((r) => r.cell),
      [1, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19],
    );
    assert.deepStrictEqual(
      cellRows(model, sel, ' 3 ', 'index').map((r) => r.cell),
      [3],
    );
    assert.deepStrictEqual(
      cellRows(model, sel, 'QUOTE', 'index').map((r) => r.cell),
      [3],
    );
    assert.deepStrictEqual(
      cellRows(model, sel, 'brackets', 'index').map((r) => r.cell),
      [],
      'labels of other layers do not match',
    );
    assert.deepStrictEqual(
      cellRows(model, sel, '', 'score')
        .slice(0, 3)
        .map((r) => r.cell),
      [3, 12, 0],
    );
    assert.deepStrictEqual(cellRows(null, sel, '', 'index'), []);
    assert.deepStrictEqual(cellRows(model, { ...sel, layer: 5 }, '', 'index'), []);
  });
});
