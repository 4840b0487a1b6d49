// Saliency (gradient flow) against central finite differences of the float64
// reference forward: of the input vectors, and of h and c after each step
// (perturbed through the reference's state-edit hook, so every path counts).
import * as assert from 'assert';
import { encodeInput, referenceForward } from '../../../../src/core/model/referenceForward';
import type { ReferenceEdit } from '../../../../src/core/model/referenceForward';
import type { CharModel } from '../../../../src/core/model/types';
import { DocumentAnalysis } from '../../../../src/core/inference/documentAnalysis';
import { SaliencyEngine } from '../../../../src/core/inference/saliency';
import { DEFAULT_CHARS, randomModel, randomText } from '../../../helpers/randomModel';

/** ln p(target | ids[0..at]) by the reference, with optional input / state perturbations. */
function objective(
  model: CharModel,
  ids: Int32Array,
  at: number,
  target: number,
  x?: Float64Array,
  edit?: ReferenceEdit,
) {
  const ref = referenceForward(model, ids.subarray(0, at + 1), { x, edit });
  const V = model.vocab.chars.length;
  const row = Array.from(ref.logits.subarray(at * V, (at + 1) * V));
  const max = Math.max(...row);
  return row[target] - max - Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
}

function norm(v: number[]): number {
  return Math.sqrt(v.reduce((s, x) => s + x * x, 0));
}

// The reference keeps float32 states between layers, so differences of
// objectives carry ~1e-7 rounding: eps = 1e-3 keeps that under 1e-4 while
// the truncation error stays O(eps²).
const EPS = 1e-3;

function close(got: number, want: number, label: string, components = 1): void {
  const tol = 3e-3 * Math.abs(want) + 1e-4 * Math.sqrt(components);
  assert.ok(Math.abs(got - want) <= tol, `${label}: ${got} vs finite differences ${want}`);
}

const MODELS: [string, CharModel][] = [
  [
    'RNN over LSTM',
    randomModel({
      layers: [
        { kind: 'lstm', hidden: 5 },
        { kind: 'rnn', hidden: 6 },
      ],
      embedding: 3,
      seed: 10,
    }),
  ],
  [
    '2-layer LSTM',
    randomModel({
      layers: [
        { kind: 'lstm', hidden: 6 },
        { kind: 'lstm', hidden: 5 },
      ],
      embedding: 4,
      seed: 8,
    }),
  ],
  [
    'GRU over LSTM, one-hot',
    randomModel({
      layers: [
        { kind: 'lstm', hidden: 5 },
        { kind: 'gru', hidden: 4, linearBeforeReset: true },
      ],
      seed: 9,
    }),
  ],
];

describe('saliency', () => {
  for (const [name, model] of MODELS) {
    it(`${name}: input, h and c gradients equal finite differences, across chained windows`, async function () {
      this.timeout(120000);
      const text = randomText(5, 26, DEFAULT_CHARS);
      const doc = new DocumentAnalysis(model, { checkpointEvery: 8 });
      doc.setText(text, 1);
      await doc.idle();
      const ids = doc.ids;
      const at = 22;
      const engine = new SaliencyEngine(model, 7); // windows of 8: [15, 22], [7, 14], [0, 6]
      const res = await engine.explain(ids, at, (s) => doc.stateAt(s), { full: true });
      assert.strictEqual(res.from, 0);
      assert.strictEqual(res.saliency.length, at + 1);
      assert.strictEqual(res.target, ids[at + 1]);
      const eps = EPS;
      const x = encodeInput(model, ids.subarray(0, at + 1));
      const I = model.layers[0].inputSize;
      close(res.logp, objective(model, ids, at, res.target), 'ln p');
      for (let t = 0; t <= at; t++) {
        const g = [];
        for (let k = 0; k < I; k++) {
          const plus = x.slice();
          plus[t * I + k] += eps;
          const minus = x.slice();
          minus[t * I + k] -= eps;
          g.push(
            (objective(model, ids, at, res.target, plus) - objective(model, ids, at, res.target, minus)) / (2 * eps),
          );
        }
        close(res.saliency[t], norm(g), `saliency at ${t}`, I);
        model.layers.forEach((layer, l) => {
          for (const sig of layer.kind === 'lstm' ? (['h', 'c'] as const) : (['h'] as const)) {
            const gs = [];
            for (let j = 0; j < layer.hiddenSize; j++) {
              const at2 =
                (d: number): ReferenceEdit =>
                (ll, tt, h, c) => {
                  if (ll === l && tt === t) (sig === 'h' ? h : c!)[j] += d;
                };
              const up = objective(model, ids, at, res.target, undefined, at2(eps));
              const down = objective(model, ids, at, res.target, undefined, at2(-eps));
              gs.push((up - down) / (2 * eps));
            }
            close(res.layers[l][sig]![t], norm(gs), `layer ${l} ${sig} at ${t}`, layer.hiddenSize);
          }
        });
      }
      // one window only: the last 8 steps, the same values there
      const short = await engine.explain(ids, at, (s) => doc.stateAt(s));
      assert.strictEqual(short.from, at - 7);
      for (let k = 0; k < 8; k++) close(short.saliency[k], res.saliency[at - 7 + k], `window at ${k}`);
      // at the end of the text, the top guess is explained
      const end = await engine.explain(ids, ids.length - 1, (s) => doc.stateAt(s));
      assert.ok(end.targetIsGuess);
      assert.strictEqual(end.saliency.length, 8);
      await assert.rejects(
        engine.explain(ids, ids.length, (s) => doc.stateAt(s)),
        /outside the text/,
      );
      await engine.dispose();
      await doc.dispose();
    });
  }
});
