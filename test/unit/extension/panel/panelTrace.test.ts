import * as assert from 'assert';
import { referenceForward } from '../../../../src/core/model/referenceForward';
import { DocumentAnalysis } from '../../../../src/core/inference/documentAnalysis';
import { layerWindow } from '../../../../src/core/inference/windowQueries';
import { offsetToStep } from '../../../../src/core/text/textIndex';
import { traceFromWindow, windowAround } from '../../../../src/extension/panel/panelTrace';
import type { WindowResult } from '../../../../src/protocol/analysisProtocol';
import { randomModel, randomText } from '../../../helpers/randomModel';
import { checkTensor } from '../../../helpers/tensorCheck';

describe('panel trace (host side)', () => {
  it('centres a window of the chosen size on the cursor, inside the document', () => {
    assert.deepStrictEqual(windowAround(500, 1000, 160), { start: 420, end: 580 });
    assert.deepStrictEqual(windowAround(3, 1000, 160), { start: 0, end: 160 });
    assert.deepStrictEqual(windowAround(999, 1000, 160), { start: 840, end: 1000 });
    assert.deepStrictEqual(windowAround(5000, 1000, 400), { start: 600, end: 1000 }, 'cursor past the end is clamped');
    assert.deepStrictEqual(windowAround(10, 50, 80), { start: 0, end: 50 });
    assert.strictEqual(windowAround(0, 0, 80), null);
    assert.throws(() => windowAround(0, 10, 79), /window size 79 is outside 80\.\.400/);
    assert.throws(() => windowAround(0, -1, 80), /document length -1 is not a count/);
  });

  it("copies the toggled cells' engine values out of a layer window, with characters and cursor", async function () {
    this.timeout(20000);
    const model = randomModel({
      layers: [
        { kind: 'lstm', hidden: 12 },
        { kind: 'gru', hidden: 6, linearBeforeReset: true },
      ],
      embedding: 6,
      seed: 5,
    });
    const text = randomText(3, 700).replace(/\n/g, '\r\n');
    const doc = new DocumentAnalysis(model, { checkpointEvery: 64 });
    try {
      doc.setText(text, 1);
      await doc.idle();
      const ref = referenceForward(model, doc.ids);
      for (const layer of [0, 1]) {
        const range = windowAround(300, text.length, 120)!;
        const a = offsetToStep(doc.index, range.start);
        const b = offsetToStep(doc.index, range.end - 1) + 1;
        const w = await layerWindow(doc, layer, a, b);
        const result: WindowResult = {
          version: 1,
          layer,
          hiddenSize: w.hiddenSize,
          offsets: doc.index.starts.slice(a, b + 1),
          signals: w.signals,
        };
        const kind = model.layers[layer].kind;
        const trace = traceFromWindow({
          uri: 'file:///t.ts',
          version: 1,
          kind,
          text,
          cursor: 300,
          cells: [4, 1],
          window: result,
        });
        const n = b - a;
        assert.strictEqual(trace.chars.length, n);
        assert.strictEqual(trace.offsets.length, n + 1);
        assert.ok(
          trace.chars.every((c) => Array.from(c).length === 1),
          'one code point per character',
        );
        assert.ok(!trace.chars.includes('\r'), 'CRLF shows as one newline');
        assert.strictEqual(trace.chars.join(''), text.slice(trace.offsets[0], trace.offsets[n]).replace(/\r\n/g, '\n'));
        assert.ok(
          trace.offsets[trace.cursor] <= 300 && 300 < trace.offsets[trace.cursor + 1],
          'cursor index holds offset 300',
        );
        const signals = kind === 'lstm' ? ['i', 'f', 'o', 'g', 'c', 'h'] : ['r', 'z', 'n', 'h'];
        assert.deepStrictEqual(
          trace.series.map((s) => `${s.cell}${s.signal}`),
          [...signals.map((s) => `4${s}`), ...signals.map((s) => `1${s}`)],
        );
        const H = model.layers[layer].hiddenSize;
        for (const s of trace.series) {
          const all = (ref.layers[layer] as unknown as Record<string, Float32Array>)[s.signal];
          const expect = Float32Array.from({ length: n }, (_, t) => all[(a + t) * H + s.cell]);
          checkTensor(s.values, expect, 1e-4, `layer ${layer} cell ${s.cell} ${s.signal}`);
        }
        // The window's own slice of the text (what the panel copies) gives the same trace.
        const start = trace.offsets[0];
        const slice = text.slice(start, trace.offsets[n]);
        const fromSlice = traceFromWindow({
          uri: 'file:///t.ts',
          version: 1,
          kind,
          text: slice,
          textStart: start,
          cursor: 300,
          cells: [4, 1],
          window: result,
        });
        assert.deepStrictEqual(fromSlice, trace);
        assert.throws(
          () =>
            traceFromWindow({
              uri: 'u',
              version: 1,
              kind,
              text: slice.slice(1),
              textStart: start + 1,
              cursor: 0,
              cells: [4],
              window: result,
            }),
          /does not cover the window/,
        );
        assert.throws(
          () => traceFromWindow({ uri: 'u', version: 1, kind, text, cursor: 0, cells: [H], window: result }),
          new RegExp(`cell ${H} is outside layer ${layer} \\(H = ${H}\\)`),
        );
      }
    } finally {
      await doc.dispose();
    }
  });
});
