import * as assert from 'assert';
import {
  buildHoverMarkdown,
  charCode,
  formatPercent,
  formatValue,
  mostActive,
  tableText,
  visibleChar,
} from '../../../../src/extension/editor/hoverText';
import type { HoverInput } from '../../../../src/extension/editor/hoverText';

function input(over: Partial<HoverInput> = {}): HoverInput {
  return {
    char: '"',
    line: 3,
    column: 7,
    modelName: 'default',
    cells: [
      {
        layer: 0,
        cell: 12,
        primary: true,
        label: 'quote detector (r = 0.93)',
        values: { h: 0.931, c: -1.5, i: 0.2, f: 0.99, o: 0.5, g: -0.25 },
      },
      { layer: 1, cell: 3, primary: false, values: { h: -0.1 } },
    ],
    signals: ['h', 'c', 'i', 'f', 'o', 'g'],
    active: [
      { layer: 0, cell: 40, h: -0.97, label: 'indent | depth' },
      { layer: 0, cell: 12, h: 0.93 },
    ],
    next: {
      top: [
        { char: ';', p: 0.5 },
        { char: '|', p: 0.25 },
        { char: '\n', p: 0.125 },
        { char: '`', p: 0.05 },
        { char: ' ', p: 0.01 },
      ],
      actual: ';',
      surprisalBits: 1,
    },
    selectCellUri: (l, c) =>
      `command:lstmLens.selectCell?${encodeURIComponent(JSON.stringify([{ layer: l, cell: c }]))}`,
    cellPageUri: (l, c) =>
      `command:lstmLens.showCellPage?${encodeURIComponent(JSON.stringify([{ layer: l, cell: c }]))}`,
    showPanelUri: 'command:lstmLens.showPanel',
    ...over,
  };
}

describe('hover text', () => {
  it('shows characters visibly and safely inside table cells', () => {
    assert.strictEqual(visibleChar('\n'), '⏎');
    assert.strictEqual(visibleChar(' '), '␣');
    assert.strictEqual(visibleChar('\t'), '⇥');
    assert.strictEqual(visibleChar('\u0001'), '␁');
    assert.strictEqual(visibleChar('😀'), '😀');
    assert.strictEqual(charCode('|'), '`\\|`');
    assert.strictEqual(charCode('`'), '`` ` ``');
    assert.strictEqual(tableText('a|b\nc*'), 'a\\|b c\\*');
  });

  it('formats values and probabilities compactly', () => {
    assert.strictEqual(formatValue(0.931), '+0.93');
    assert.strictEqual(formatValue(-1.5), '-1.50');
    assert.strictEqual(formatValue(undefined), '—');
    assert.strictEqual(formatValue(Number.NaN), '—');
    assert.strictEqual(formatPercent(0.5), '50%');
    assert.strictEqual(formatPercent(0.05), '5.0%');
  });

  it('builds the tables: shown cells with every signal, most active cells with select links, next-character guesses', () => {
    const md = buildHoverMarkdown(input());
    const lines = md.split('\n');
    assert.match(lines[0], /^\*\*LSTM Lens\*\* · `"` at 3:7 · default$/);
    assert.ok(lines.includes('| cell | h | c | i | f | o | g | label |'));
    assert.ok(
      lines.includes('| **L0 #12** | +0.93 | -1.50 | +0.20 | +0.99 | +0.50 | -0.25 | quote detector (r = 0.93) |'),
      md,
    );
    assert.ok(lines.includes('| L1 #3 | -0.10 | — | — | — | — | — |  |'), md);
    const sel40 = `command:lstmLens.selectCell?${encodeURIComponent('[{"layer":0,"cell":40}]')}`;
    const page40 = `command:lstmLens.showCellPage?${encodeURIComponent('[{"layer":0,"cell":40}]')}`;
    assert.ok(
      lines.includes(`| L0 #40 | -0.97 | indent \\| depth | [Select this cell](${sel40}) · [Cell page](${page40}) |`),
      md,
    );
    assert.ok(lines.includes('| next | `;` | `\\|` | `⏎` | `` ` `` | `␣` |'), md);
    assert.ok(lines.includes('| p | 50% | 25% | 13% | 5.0% | 1.0% |'), md);
    assert.ok(lines.includes('actual next `;`: surprisal 1.00 bits'), md);
    const page12 = `command:lstmLens.showCellPage?${encodeURIComponent('[{"layer":0,"cell":12}]')}`;
    assert.strictEqual(
      lines[lines.length - 1],
      `[Show in panel](command:lstmLens.showPanel) · [Cell page of L0 #12](${page12})`,
    );
    // Every table row has as many cells as its header.
    const cells = (l: string): number => l.replace(/\\\|/g, '').split('|').length;
    for (let i = 0; i < lines.length; i++) {
      if (lines[i].startsWith('|') && lines[i + 1]?.startsWith('|:')) {
        for (let j = i + 1; j < lines.length && lines[j].startsWith('|'); j++)
          assert.strictEqual(cells(lines[j]), cells(lines[i]), `row ${lines[j]}`);
      }
    }
  });

  it('leaves out what is missing: no next guesses at the end, a pending note', () => {
    const md = buildHoverMarkdown(
      input({ next: { top: [{ char: 'a', p: 1 }], surprisalBits: null }, active: [], pending: 'still analysing' }),
    );
    assert.doesNotMatch(md, /actual next/);
    assert.doesNotMatch(md, /most active/);
    assert.match(md, /_still analysing_/);
  });

  it('ranks the most active cells by |value|', () => {
    assert.deepStrictEqual(mostActive([0.1, -0.9, 0.5, Number.NaN, 0.9], 3), [1, 4, 2]);
    assert.deepStrictEqual(mostActive([], 3), []);
  });
});
