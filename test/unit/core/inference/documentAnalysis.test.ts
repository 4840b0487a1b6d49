import * as assert from 'assert';
import * as ort from 'onnxruntime-node';
import { GraphBuilder, attr } from '../../../../src/core/onnx/graphBuilder';
import type { AttrValue } from '../../../../src/core/onnx/graphBuilder';
import { referenceForward } from '../../../../src/core/model/referenceForward';
import type { LayerTrace } from '../../../../src/core/model/referenceForward';
import type { CharModel, Signal } from '../../../../src/core/model/types';
import { signalsOf } from '../../../../src/core/model/types';
import { DocumentAnalysis } from '../../../../src/core/inference/documentAnalysis';
import { seriesKey } from '../../../../src/core/inference/cellSelection';
import { layerWindow, nextAfter } from '../../../../src/core/inference/windowQueries';
import { randomModel, randomText } from '../../../helpers/randomModel';
import { checkTensor } from '../../../helpers/tensorCheck';

const TOL = 1e-4;

/** h of every layer from a bare stack of ONNX LSTM/GRU ops over the whole text in one run. */
async function bareOpH(model: CharModel, ids: Int32Array): Promise<Float32Array[]> {
  const g = new GraphBuilder('bare');
  const V = model.vocab.chars.length;
  let x =
    model.input.kind === 'embedding'
      ? g.op('Gather', [g.initializer('E', model.input.table, [V, model.input.dim]), g.input('ids', 'int32', ['T'])])
      : g.op(
          'OneHot',
          [
            g.op('Cast', [g.input('ids', 'int32', ['T'])], { to: attr.int(7) }),
            g.constInt64([V]),
            g.constFloat([0, 1]),
          ],
          { axis: attr.int(-1) },
        );
  model.layers.forEach((l, k) => {
    const G = l.kind === 'lstm' ? 4 : 3;
    const H = l.hiddenSize;
    const ins = [
      g.op('Unsqueeze', [x, g.constInt64([1])]),
      g.initializer(`W${k}`, l.W, [1, G * H, l.inputSize]),
      g.initializer(`R${k}`, l.R, [1, G * H, H]),
      g.initializer(`B${k}`, l.B, [1, 2 * G * H]),
    ];
    const attrs: Record<string, AttrValue> = { hidden_size: attr.int(H) };
    if (l.kind === 'gru') attrs.linear_before_reset = attr.int(l.linearBeforeReset ? 1 : 0);
    const [y] = g.node(l.kind === 'lstm' ? 'LSTM' : 'GRU', ins, 1, attrs);
    x = g.op('Reshape', [y, g.constInt64([-1, H])], {}, `y${k}`);
    g.output(x, 'float', ['T', H]);
  });
  const s = await ort.InferenceSession.create(g.toBytes());
  const out = await s.run({ ids: new ort.Tensor('int32', ids, [ids.length]) });
  return model.layers.map((_, k) => out[`y${k}`].data as Float32Array);
}

function column(tr: LayerTrace, s: Signal, H: number, cell: number, T: number): Float32Array {
  const all = (tr as unknown as Record<string, Float32Array>)[s];
  return Float32Array.from({ length: T }, (_, t) => all[t * H + cell]);
}

const MODELS: [string, CharModel][] = [
  [
    '2-layer LSTM, embedding',
    randomModel({
      layers: [
        { kind: 'lstm', hidden: 24 },
        { kind: 'lstm', hidden: 16 },
      ],
      embedding: 8,
      seed: 3,
    }),
  ],
  [
    'GRU linear_before_reset=0 on LSTM, one-hot',
    randomModel({
      layers: [
        { kind: 'lstm', hidden: 12 },
        { kind: 'gru', hidden: 20, linearBeforeReset: false },
      ],
      seed: 4,
    }),
  ],
  [
    'GRU linear_before_reset=1, embedding',
    randomModel({ layers: [{ kind: 'gru', hidden: 16, linearBeforeReset: true }], embedding: 6, seed: 5, scale: 1.5 }),
  ],
];

describe('DocumentAnalysis', () => {
  for (const [name, model] of MODELS) {
    describe(name, () => {
      const text = randomText(11, 700) + '\r\nend';
      let doc: DocumentAnalysis;
      let ref: ReturnType<typeof referenceForward>;
      before(async () => {
        doc = new DocumentAnalysis(model, { checkpointEvery: 64 });
        const cells = model.layers.flatMap((l, layer) =>
          [0, l.hiddenSize - 1, 5].map((cell) => ({ layer, cell, signals: [...signalsOf(l.kind)] })),
        );
        doc.setSelection({ cells, surprisal: true });
        doc.setText(text, 1);
        await doc.idle();
        ref = referenceForward(model, doc.ids);
      });
      after(() => doc.dispose());

      it('keeps h equal to the bare ORT op, gates and c equal to the plain reference, surprisal too', async () => {
        const T = doc.ids.length;
        assert.ok(doc.isReady(0, T));
        const bare = await bareOpH(model, doc.ids);
        model.layers.forEach((l, layer) => {
          for (const cell of [0, 5, l.hiddenSize - 1]) {
            for (const s of signalsOf(l.kind)) {
              const got = doc.store.series.get(seriesKey(layer, cell, s))!;
              checkTensor(
                got,
                column(ref.layers[layer], s, l.hiddenSize, cell, T),
                TOL,
                `${s}[${layer}:${cell}] vs reference`,
              );
              if (s === 'h')
                checkTensor(
                  got,
                  Float32Array.from({ length: T }, (_, t) => bare[layer][t * l.hiddenSize + cell]),
                  TOL,
                  `h vs ORT op`,
                );
            }
          }
        });
        const V = model.vocab.chars.length;
        const sur = doc.store.surprisal!;
        const expect = new Float32Array(T);
        for (let t = 0; t < T; t++) {
          // char t given the state after t-1 (logits of the zero state = output bias at t = 0).
          const logits = t === 0 ? model.output.b : ref.logits.subarray((t - 1) * V, t * V);
          const max = Math.max(...logits);
          const lse = max + Math.log(logits.reduce((a, v) => a + Math.exp(v - max), 0));
          expect[t] = -(logits[doc.ids[t]] - lse) / Math.LN2;
        }
        checkTensor(sur, expect, TOL, 'surprisal bits');
      });

      it('gives windows of all cells equal to the reference, from any checkpoint offset', async () => {
        for (const [from, to] of [
          [0, 1],
          [100, 180],
          [T0(doc) - 50, T0(doc)],
        ]) {
          for (let layer = 0; layer < model.layers.length; layer++) {
            const w = await layerWindow(doc, layer, from, to);
            const H = model.layers[layer].hiddenSize;
            for (const s of signalsOf(model.layers[layer].kind)) {
              const all = (ref.layers[layer] as unknown as Record<string, Float32Array>)[s];
              checkTensor(
                w.signals[s]!,
                all.subarray(from * H, to * H),
                TOL,
                `window ${s} layer ${layer} ${from}..${to}`,
              );
            }
          }
        }
      });

      it('resumes from checkpoints to the same state and next-char distribution as a run from the start', async () => {
        const V = model.vocab.chars.length;
        for (const step of [-1, 0, 63, 64, 65, 400, T0(doc) - 1]) {
          const next = await nextAfter(doc, step, 3);
          const logits = step < 0 ? model.output.b : ref.logits.subarray(step * V, (step + 1) * V);
          const best = Array.from(logits)
            .map((v, id) => [v, id])
            .sort((a, b) => b[0] - a[0])[0][1];
          assert.strictEqual(next.top[0].char, model.vocab.chars[best], `top char after ${step}`);
          const sum = Array.from(logits).reduce((a, v) => a + Math.exp(v - logits[best]), 0);
          assert.ok(Math.abs(next.top[0].p - 1 / sum) < 1e-4, `top p after ${step}`);
          if (step + 1 < T0(doc)) assert.ok(Math.abs(next.surprisalBits! - doc.store.surprisal![step + 1]) < 1e-4);
          else assert.strictEqual(next.surprisalBits, null);
        }
      });
    });
  }

  it('gives the same values for chunked and one-chunk runs', async () => {
    const model = MODELS[0][1];
    const text = randomText(5, 900);
    const sel = { cells: [{ layer: 1, cell: 3, signals: ['h', 'c', 'f'] as Signal[] }], surprisal: true };
    const runs = [] as DocumentAnalysis[];
    for (const N of [7, 100, 5000]) {
      const d = new DocumentAnalysis(model, { checkpointEvery: N });
      d.setSelection(sel);
      d.setText(text, 1);
      await d.idle();
      runs.push(d);
    }
    for (const key of ['1:3:h', '1:3:c', '1:3:f']) {
      checkTensor(runs[0].store.series.get(key)!, runs[2].store.series.get(key)!, 1e-5, `N=7 vs one chunk ${key}`);
      checkTensor(runs[1].store.series.get(key)!, runs[2].store.series.get(key)!, 1e-5, `N=100 vs one chunk ${key}`);
    }
    checkTensor(runs[0].store.surprisal!, runs[2].store.surprisal!, 1e-4, 'surprisal');
    for (const d of runs) await d.dispose();
  });

  it('refuses queries far beyond the analysed part instead of holding up edits', async () => {
    const d = new DocumentAnalysis(MODELS[2][1]);
    d.setText(randomText(9, 20000), 1);
    // The pass has not started yet (it runs after this synchronous code).
    await assert.rejects(layerWindow(d, 0, 15000, 15010), /still analysing: characters up to 0 of 20000 are done/);
    await assert.rejects(nextAfter(d, 19000), /still analysing/);
    await d.idle();
    const w = await layerWindow(d, 0, 15000, 15010);
    assert.strictEqual(w.signals.h!.length, 10 * 16);
    await d.dispose();
  });

  it('handles empty and one-character documents and rejects bad selections and binary text', async () => {
    const model = MODELS[0][1];
    const d = new DocumentAnalysis(model);
    d.setSelection({ cells: [{ layer: 0, cell: 1, signals: ['c'] }], surprisal: true });
    d.setText('', 1);
    await d.idle();
    assert.strictEqual(d.ids.length, 0);
    d.setText('x', 2);
    await d.idle();
    assert.ok(d.isReady(0, 1));
    const ref = referenceForward(model, d.ids);
    checkTensor(d.store.series.get('0:1:c')!, [(ref.layers[0] as { c: Float32Array }).c[1]], TOL, 'c of a 1-char doc');
    assert.throws(
      () => d.setSelection({ cells: [{ layer: 2, cell: 0, signals: ['h'] }], surprisal: false }),
      /layer 2 does not exist/,
    );
    assert.throws(
      () => d.setSelection({ cells: [{ layer: 0, cell: 99, signals: ['h'] }], surprisal: false }),
      /cell 99 is outside layer 0/,
    );
    assert.throws(
      () => d.setSelection({ cells: [{ layer: 0, cell: 0, signals: ['r'] }], surprisal: false }),
      /signal 'r' does not exist in LSTM/,
    );
    assert.throws(() => d.setText('a\0b', 3), /NUL/);
    await assert.rejects(layerWindow(d, 0, 0, 5), /window 0..5 is not a non-empty range inside 0..1/);
    await d.dispose();
  });
});

function T0(doc: DocumentAnalysis): number {
  return doc.ids.length;
}
