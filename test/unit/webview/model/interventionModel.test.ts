import * as assert from 'assert';
import type { PanelIntervention } from '../../../../src/protocol/panelProtocol';
import {
  changedRows,
  deltaBucket,
  interventionView,
  meanLine,
  shownChar,
  signed,
} from '../../../../webview/model/interventionModel';

describe('webview intervention model', () => {
  const iv: PanelIntervention = {
    uri: 'file:///x.ts',
    version: 3,
    description: 'L0 h,c[19] := 0 over lines 3–9',
    status: 'done',
    message: '',
    meanBefore: 2.314,
    meanAfter: 2.571,
    changed: [
      { offset: 40, line: 3, column: 5, char: ' ', before: 1, after: 5 },
      { offset: 41, line: 3, column: 6, char: '\n', before: 4, after: 2 },
      { offset: 50, line: 4, column: 1, char: '\t', before: 2, after: 2.5 },
      { offset: 51, line: 4, column: 2, char: 'x', before: 3, after: 3 },
    ],
  };

  it('shows space, newline and tab visibly and leaves other characters alone', () => {
    assert.deepStrictEqual([' ', '\n', '\t', 'a', '😀'].map(shownChar), ['·', '⏎', '→', 'a', '😀']);
  });

  it('signs differences, drops the sign of a rounded zero and marks non-finite numbers', () => {
    assert.strictEqual(signed(0.256), '+0.26');
    assert.strictEqual(signed(-1.5), '-1.50');
    assert.strictEqual(signed(-0.001), '0.00');
    assert.strictEqual(signed(0), '0.00');
    assert.strictEqual(signed(Number.NaN), '—');
    assert.strictEqual(signed(1.23456, 3), '+1.235');
  });

  it('buckets a difference by its size against the largest one shown, rise pos and fall neg', () => {
    assert.strictEqual(deltaBucket(4, 4), 'pos4');
    assert.strictEqual(deltaBucket(-4, 4), 'neg4');
    assert.strictEqual(deltaBucket(0.5, 4), 'pos1');
    assert.strictEqual(deltaBucket(-2, 4), 'neg2');
    assert.strictEqual(deltaBucket(2.1, 4), 'pos3');
    assert.strictEqual(deltaBucket(0, 4), '');
    assert.strictEqual(deltaBucket(1, 0), '');
    assert.strictEqual(deltaBucket(Number.NaN, 4), '');
  });

  it('formats one row per changed character, in the host order', () => {
    assert.deepStrictEqual(changedRows(iv), [
      { offset: 40, where: '3:5', char: '·', before: '1.00', after: '5.00', delta: '+4.00', bucket: 'pos4' },
      { offset: 41, where: '3:6', char: '⏎', before: '4.00', after: '2.00', delta: '-2.00', bucket: 'neg2' },
      { offset: 50, where: '4:1', char: '→', before: '2.00', after: '2.50', delta: '+0.50', bucket: 'pos1' },
      { offset: 51, where: '4:2', char: 'x', before: '3.00', after: '3.00', delta: '0.00', bucket: '' },
    ]);
  });

  it('gives the mean surprisal before → after with the signed difference', () => {
    assert.strictEqual(meanLine(iv), 'mean surprisal 2.31 → 2.57 bits/char (+0.26)');
    assert.strictEqual(meanLine({ ...iv, meanAfter: Number.NaN }), null);
  });

  it('names the columns and lists cell matches for a comparison', () => {
    const cmp = {
      ...iv,
      columns: { before: 'A (active)', after: 'B' },
      matches: [
        { cell: 'L0 c[19]', label: 'double-quote string', match: 'L0 h[7]', r: 0.914 },
        { cell: 'L0 c[2]', label: 'comment', match: null, r: null },
      ],
    };
    const view = interventionView(cmp);
    assert.deepStrictEqual(view.heads, ['line:col', 'char', 'A (active)', 'B', 'Δ bits']);
    assert.deepStrictEqual(view.matches, [
      'L0 c[19] · double-quote string → L0 h[7] (r = 0.91)',
      'L0 c[2] · comment → no match',
    ]);
    assert.strictEqual(meanLine(cmp), 'mean surprisal 2.31 → 2.57 bits/char (+0.26) (A (active) → B)');
    assert.deepStrictEqual(interventionView(iv).heads, ['line:col', 'char', 'before', 'after', 'Δ bits']);
    assert.deepStrictEqual(interventionView(iv).matches, []);
  });

  it('shows the mean only when done, the message while computing, and no rows when failed', () => {
    const done = interventionView(iv);
    assert.strictEqual(done.description, iv.description);
    assert.strictEqual(done.failed, false);
    assert.strictEqual(done.mean, 'mean surprisal 2.31 → 2.57 bits/char (+0.26)');
    assert.strictEqual(done.rows.length, 4);

    const computing = interventionView({ ...iv, status: 'computing', message: 'scoring 40%', changed: [] });
    assert.strictEqual(computing.status, 'scoring 40%');
    assert.strictEqual(computing.mean, null);
    assert.deepStrictEqual(computing.rows, []);

    const failed = interventionView({ ...iv, status: 'failed', message: 'the model has no layer 3' });
    assert.strictEqual(failed.failed, true);
    assert.strictEqual(failed.status, 'the model has no layer 3');
    assert.strictEqual(failed.mean, null);
    assert.deepStrictEqual(failed.rows, []);
  });
});
