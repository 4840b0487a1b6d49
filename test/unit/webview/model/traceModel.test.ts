import * as assert from 'assert';
import type { TraceData } from '../../../../src/protocol/panelProtocol';
import { offsetAt, traceView, visibleChar } from '../../../../webview/model/traceModel';

describe('webview trace model', () => {
  it('makes whitespace and control characters visible on the x axis', () => {
    assert.deepStrictEqual(['\n', '\r', '\t', ' ', 'a', '\u0001', '\u007f', '😀'].map(visibleChar), [
      '⏎',
      '␍',
      '⇥',
      '·',
      'a',
      '␁',
      '␡',
      '😀',
    ]);
  });

  const trace: TraceData = {
    uri: 'file:///x.ts',
    version: 7,
    layer: 0,
    kind: 'lstm',
    offsets: [10, 11, 12, 14, 15],
    chars: ['a', ' ', '😀', '\n'],
    cursor: 2,
    series: [
      { cell: 4, signal: 'h', values: [0.1, 0.2, 0.3, 0.4] },
      { cell: 4, signal: 'i', values: [0.5, 0.6, 0.7, 0.8] },
      { cell: 9, signal: 'h', values: [-1, -2, -3, -4] },
    ],
  };

  it('builds one chart per toggled cell of the layer, signals in display order, hidden ones left out', () => {
    const v = traceView(
      trace,
      {
        cells: [
          { layer: 0, cell: 9 },
          { layer: 1, cell: 4 },
          { layer: 0, cell: 4 },
        ],
        primary: null,
        layer: 0,
      },
      ['c'],
    );
    assert.deepStrictEqual(v.labels, ['a', '·', '😀', '⏎']);
    assert.strictEqual(v.cursor, 2);
    assert.deepStrictEqual(v.signals, ['i', 'f', 'o', 'g', 'c', 'h']);
    assert.deepStrictEqual(
      v.cells.map((c) => [c.cell, c.series.map((s) => s.signal)]),
      [
        [9, ['h']],
        [4, ['i', 'h']],
      ],
    );
    assert.deepStrictEqual(v.cells[1].series[1].data, [0.1, 0.2, 0.3, 0.4], 'values are the engine values, unchanged');
    const hidden = traceView(trace, { cells: [{ layer: 0, cell: 4 }], primary: null, layer: 0 }, ['h']);
    assert.deepStrictEqual(
      hidden.cells[0].series.map((s) => s.signal),
      ['i'],
    );
    const pending = traceView(
      trace,
      {
        cells: [
          { layer: 0, cell: 5 },
          { layer: 0, cell: 4 },
        ],
        primary: null,
        layer: 0,
      },
      [],
    );
    assert.deepStrictEqual(
      pending.cells.map((c) => c.cell),
      [4],
      'a cell toggled after the trace was made waits for the next one',
    );
  });

  it('maps a chart index to the UTF-16 offset of its character', () => {
    assert.deepStrictEqual(
      [0, 2, 3].map((i) => offsetAt(trace, i)),
      [10, 12, 14],
    );
    assert.strictEqual(offsetAt(trace, 4), null);
    assert.strictEqual(offsetAt(trace, -1), null);
    assert.strictEqual(offsetAt(trace, 1.5), null);
  });
});
