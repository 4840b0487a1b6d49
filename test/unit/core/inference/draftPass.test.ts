import * as assert from 'assert';
import { MAX_DRAFT_ERROR, quantiseLstmLayer, quantiseRows } from '../../../../src/core/inference/quantisedLstm';
import { DocumentAnalysis } from '../../../../src/core/inference/documentAnalysis';
import { ModelRunner, selectRows, zeroState } from '../../../../src/core/inference/modelRunner';
import type { SegmentOutput } from '../../../../src/core/inference/modelRunner';
import { Vocabulary } from '../../../../src/core/model/vocab';
import type { CharModel } from '../../../../src/core/model/types';
import { randomModel, randomText } from '../../../helpers/randomModel';
import { maxAbsDiff } from '../../../helpers/tensorCheck';

// The draft pass: int8 weights for onnxruntime's DynamicQuantizeLSTM, and
// runs of the draft graph against the exact float graph on the same text.
// Observed on these models: mean |Δh| ≈ 0.01, max 0.04; the bounds below are
// about 2-3× that; with the int8 weights not transposed the mean is ≈ 0.07.

const meanAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += Math.abs(a[k] - b[k]);
  return s / a.length;
};

describe('draft pass (int8 LSTM)', function () {
  this.timeout(30000);

  it('quantiseRows: transposed int8 with one scale per row, within half a step of the matrix', () => {
    const rows = 3;
    const cols = 4;
    const m = Float32Array.from([0.5, -1, 0.25, 0.1, 0, 0, 0, 0, 3, -2.9, 0.01, 1.5]); // (3, 4)
    const { q, scale } = quantiseRows(m, rows, cols);
    assert.strictEqual(q.length, 12);
    assert.deepStrictEqual(Array.from(scale), [1 / 127, 1, 3 / 127].map(Math.fround));
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++) {
        const back = q[c * rows + r] * scale[r]; // q is (cols, rows)
        assert.ok(Math.abs(back - m[r * cols + c]) <= scale[r] / 2 + 1e-7, `row ${r} col ${c}: ${back}`);
      }
    assert.strictEqual(q[0 * rows + 0], 64); // 0.5 / (1/127) = 63.5, rounded half up
    assert.strictEqual(q[1 * rows + 0], -127);
    assert.throws(() => quantiseRows(m, 4, 4), /not 4 × 4/);
  });

  it('folds the embedding into the first layer: dequantised W·Eᵀ times a one-hot is W times the embedding row', () => {
    const model = randomModel({ layers: [{ kind: 'lstm', hidden: 8 }], embedding: 5, seed: 3 });
    if (model.input.kind !== 'embedding') throw new Error('embedding model expected');
    const { table, dim: E } = model.input;
    const V = model.vocab.chars.length;
    const layer = model.layers[0];
    const q = quantiseLstmLayer(model, 0);
    assert.strictEqual(q.inputSize, V);
    let worst = 0;
    for (let v = 0; v < V; v++)
      for (let r = 0; r < 32; r++) {
        let exact = 0;
        for (let e = 0; e < E; e++) exact += layer.W[r * E + e] * table[v * E + e];
        worst = Math.max(worst, Math.abs(q.W.q[v * 32 + r] * q.W.scale[r] - exact) / q.W.scale[r]);
      }
    assert.ok(worst <= 0.5 + 1e-3, `worst error ${worst} steps`);
    const onehot = randomModel({ layers: [{ kind: 'lstm', hidden: 8 }], seed: 3 });
    assert.strictEqual(quantiseLstmLayer(onehot, 0).inputSize, V);
    const gru = randomModel({ layers: [{ kind: 'gru', hidden: 8 }], seed: 3 });
    assert.throws(() => quantiseLstmLayer(gru, 0), /only LSTM layers/);
  });

  const runBoth = async (
    model: CharModel,
    cells: number[][],
    text: string,
  ): Promise<{ exact: SegmentOutput; draft: SegmentOutput }> => {
    const vocab = new Vocabulary(model.vocab);
    const ids = Int32Array.from(text, (ch) => vocab.idOf(ch.codePointAt(0)!));
    const runner = new ModelRunner(model, { urgentThreads: 1 });
    const rows = model.layers.map((_, l) => selectRows(model, l, cells[l]));
    try {
      const exact = await runner.runSegment(ids, zeroState(model), rows, { logp: true, nextId: 0 });
      const draft = await runner.runSegment(ids, zeroState(model), rows, { logp: true, nextId: 0, draft: true });
      return { exact, draft };
    } finally {
      await runner.dispose();
    }
  };

  for (const input of ['embedding', 'one-hot'] as const) {
    it(`a draft run of a two-layer LSTM (${input} input) is close to the exact run and not equal to it`, async () => {
      const model = randomModel({
        layers: [
          { kind: 'lstm', hidden: 32 },
          { kind: 'lstm', hidden: 24 },
        ],
        embedding: input === 'embedding' ? 8 : undefined,
        seed: 11,
      });
      const { exact, draft } = await runBoth(
        model,
        [
          [0, 5, 31],
          [2, 23],
        ],
        randomText(4, 600),
      );
      for (let l = 0; l < 2; l++) {
        const [e, d] = [exact.layers[l], draft.layers[l]];
        assert.strictEqual(d.hsel.length, e.hsel.length);
        assert.ok(meanAbsDiff(d.hsel, e.hsel) < 0.03, `layer ${l} h: mean diff ${meanAbsDiff(d.hsel, e.hsel)}`);
        assert.ok(maxAbsDiff(d.hsel, e.hsel) < 0.1, `layer ${l} h: max diff ${maxAbsDiff(d.hsel, e.hsel)}`);
        assert.ok(meanAbsDiff(d.preh, e.preh) < 0.02, `layer ${l} R h: mean diff ${meanAbsDiff(d.preh, e.preh)}`);
        assert.ok(maxAbsDiff(d.hsel, e.hsel) > 0, `layer ${l}: the draft is the exact graph`);
        assert.ok(maxAbsDiff(draft.final[l].c!, exact.final[l].c!) < 0.25, `layer ${l} final c`);
      }
      assert.ok(
        meanAbsDiff(draft.logp!, exact.logp!) < 0.08,
        `logp: mean diff ${meanAbsDiff(draft.logp!, exact.logp!)}`,
      );
    });
  }

  it('drafts only for a model the draft follows: a chaotic one (weights × 3) measures over MAX_DRAFT_ERROR and gets none', async () => {
    const spec = { layers: [{ kind: 'lstm' as const, hidden: 24 }], embedding: 6, seed: 5 };
    const errors: number[] = [];
    for (const scale of [0.5, 3]) {
      const model = randomModel({ ...spec, scale });
      const runner = new ModelRunner(model);
      errors.push(await runner.measureDraftError());
      assert.strictEqual(await runner.draftFaithful(), scale === 0.5, `scale ${scale}: error ${errors.at(-1)}`);
      const check = await runner.draftCheck();
      assert.match(check.reason, scale === 0.5 ? /^mean \|Δh\| 0\.0\d+ on the check text$/ : /over 0\.03$/);
      await runner.dispose();
      // Through the pass: an edit above the screen is drafted for the faithful model only.
      const lines = Array.from({ length: 80 }, (_, i) => `line ${i} = f("${i}"); // note`);
      const doc = new DocumentAnalysis(model, { checkpointEvery: 64, tolerance: -1 });
      doc.setSelection({ cells: [{ layer: 0, cell: 3, signals: ['h'] }], surprisal: false });
      doc.setText(lines.join('\n'), 1);
      doc.setVisible(0, 2000);
      await doc.idle();
      let drafted = 0;
      doc.onProgress = (e) => (drafted += e.draft ? e.to - e.from : 0);
      doc.applyChange(20, 0, 'Q', 2);
      await doc.idle();
      assert.strictEqual(drafted > 0, scale === 0.5, `scale ${scale}: ${drafted} steps drafted`);
      await doc.dispose();
    }
    const off = new DocumentAnalysis(randomModel(spec), { draftMin: 0 });
    assert.deepStrictEqual(await off.draftInfo(), { faithful: false, reason: 'turned off' });
    await off.dispose();
    assert.ok(errors[0] < MAX_DRAFT_ERROR / 3 && errors[1] > 2 * MAX_DRAFT_ERROR, `errors ${errors.join(', ')}`);
  });

  it('a GRU model cannot draft, nor can a run in parts, and a draft run says why', async () => {
    const gru = randomModel({ layers: [{ kind: 'gru', hidden: 8 }], seed: 2 });
    const runner = new ModelRunner(gru);
    assert.strictEqual(runner.canDraft, false);
    assert.deepStrictEqual(await runner.draftCheck(), { faithful: false, reason: 'only LSTM layers have an int8 op' });
    await assert.rejects(
      runner.runSegment(new Int32Array([1, 2]), zeroState(gru), [selectRows(gru, 0, [1])], { draft: true }),
      /a draft run needs an LSTM model without an intervention/,
    );
    await runner.dispose();
    const lstm = randomModel({ layers: [{ kind: 'lstm', hidden: 8 }], seed: 2 });
    const ok = new ModelRunner(lstm);
    assert.strictEqual(ok.canDraft, true);
    await assert.rejects(
      ok.runSegment(new Int32Array([1, 2]), zeroState(lstm), [selectRows(lstm, 0, [1])], { draft: true, parts: 2 }),
      /in one part/,
    );
    await ok.dispose();
  });
});
