// Interventions: the spec parser, the affine plan, and the stepped engine
// against the float64 reference forward with the same state rewrites.
import * as assert from 'assert';
import { referenceForward } from '../../../../src/core/model/referenceForward';
import type { CharModel } from '../../../../src/core/model/types';
import { signalsOf } from '../../../../src/core/model/types';
import { DocumentAnalysis } from '../../../../src/core/inference/documentAnalysis';
import { layerWindow } from '../../../../src/core/inference/windowQueries';
import {
  InterventionPlan,
  describeIntervention,
  parseIntervention,
  resolveInterventions,
} from '../../../../src/core/inference/intervention';
import type { CellIntervention, StateClamp } from '../../../../src/core/inference/intervention';
import { ModelRunner, selectRows, zeroState } from '../../../../src/core/inference/modelRunner';
import { DEFAULT_CHARS, randomModel, randomText } from '../../../helpers/randomModel';
import { checkTensor } from '../../../helpers/tensorCheck';

const TOL = 1e-4;

/** Every signal of every layer and the surprisal, from an analysis of `text` with `plan` (or none). */
async function analyse(model: CharModel, text: string, plan?: InterventionPlan) {
  const doc = new DocumentAnalysis(model, { checkpointEvery: 16, intervention: plan });
  try {
    doc.setSelection({ cells: [{ layer: 0, cell: 1, signals: ['h'] }], surprisal: true });
    doc.setText(text, 1);
    await doc.idle();
    const T = doc.ids.length;
    const windows = [];
    for (let l = 0; l < model.layers.length; l++) windows.push((await layerWindow(doc, l, 0, T)).signals);
    return { ids: doc.ids.slice(), windows, surprisal: doc.store.surprisal!.slice() };
  } finally {
    await doc.dispose();
  }
}

/** The reference forward with the clamps applied in float64 after every step. */
function reference(model: CharModel, ids: Int32Array, clamps: readonly StateClamp[]) {
  return referenceForward(model, ids, {
    edit: (l, t, h, c) => {
      for (const k of clamps) {
        if (k.layer !== l || t < k.from || t >= k.to) continue;
        h[k.unit] = k.a * h[k.unit] + k.hb;
        if (c) c[k.unit] = k.a * c[k.unit] + k.cb;
      }
    },
  });
}

function surprisalFromLogits(logits: Float32Array, V: number, ids: Int32Array): Float32Array {
  const out = new Float32Array(ids.length);
  for (let t = 1; t < ids.length; t++) {
    const row = logits.subarray((t - 1) * V, t * V);
    const max = Math.max(...row);
    let sum = 0;
    for (const v of row) sum += Math.exp(v - max);
    out[t] = -(row[ids[t]] - max - Math.log(sum)) / Math.LN2;
  }
  return out;
}

const MODELS: [string, CharModel][] = [
  [
    '2-layer LSTM',
    randomModel({
      layers: [
        { kind: 'lstm', hidden: 10 },
        { kind: 'lstm', hidden: 7 },
      ],
      embedding: 6,
      seed: 3,
    }),
  ],
  [
    '2-layer GRU',
    randomModel({
      layers: [
        { kind: 'gru', hidden: 9, linearBeforeReset: true },
        { kind: 'gru', hidden: 8, linearBeforeReset: true },
      ],
      seed: 4,
    }),
  ],
  [
    '2-layer vanilla RNN',
    randomModel({
      layers: [
        { kind: 'rnn', hidden: 9 },
        { kind: 'rnn', hidden: 7 },
      ],
      embedding: 5,
      seed: 6,
    }),
  ],
  [
    'GRU over LSTM',
    randomModel({
      layers: [
        { kind: 'lstm', hidden: 8 },
        { kind: 'gru', hidden: 6, linearBeforeReset: true },
      ],
      seed: 5,
    }),
  ],
];

describe('interventions', () => {
  describe('parseIntervention', () => {
    it('reads clamps, ablations, flips and ranges', () => {
      assert.deepStrictEqual(parseIntervention('1:19=0.5', 'clamp'), { layer: 1, unit: 19, mode: 'value', value: 0.5 });
      assert.deepStrictEqual(parseIntervention('0:3=-2@10-40', 'clamp'), {
        layer: 0,
        unit: 3,
        mode: 'value',
        value: -2,
        from: 10,
        to: 40,
      });
      assert.deepStrictEqual(parseIntervention('0:3', 'ablate'), { layer: 0, unit: 3, mode: 'zero' });
      assert.deepStrictEqual(parseIntervention('0:3:mean@5-', 'ablate'), { layer: 0, unit: 3, mode: 'mean', from: 5 });
      assert.deepStrictEqual(parseIntervention('2:0:flip@-9', 'ablate'), { layer: 2, unit: 0, mode: 'flip', to: 9 });
    });
    it('names what is wrong', () => {
      assert.throws(() => parseIntervention('0:3', 'clamp'), /--clamp '0:3': not understood \(expected L:K=V/);
      assert.throws(() => parseIntervention('0:3=abc', 'clamp'), /'abc' is not a number/);
      assert.throws(() => parseIntervention('0:3:half', 'ablate'), /not understood/);
      assert.throws(() => parseIntervention('0:3@40-10', 'ablate'), /range '40-10' is empty/);
      assert.throws(() => parseIntervention('0:3@x', 'ablate'), /range 'x' is not FROM-TO/);
    });
  });

  describe('resolveInterventions and the plan', () => {
    const model = MODELS[0][1];
    it('turns each mode into its affine map', () => {
      const list: CellIntervention[] = [
        { layer: 0, unit: 1, mode: 'zero' },
        { layer: 0, unit: 2, mode: 'value', value: 0.7, from: 3, to: 9 },
        { layer: 1, unit: 0, mode: 'flip' },
        { layer: 1, unit: 4, mode: 'mean' },
      ];
      const got = resolveInterventions(model, list, (l, u) => ({ h: l + u / 10, c: -u }));
      assert.deepStrictEqual(
        got.map((k) => [k.a, k.hb, k.cb, k.from, k.to]),
        [
          [0, 0, 0, 0, Infinity],
          [0, 0.7, 0.7, 3, 9],
          [-1, 0, 0, 0, Infinity],
          [0, 1.4, -4, 0, Infinity],
        ],
      );
      assert.throws(() => resolveInterventions(model, [list[3]]), /mean ablation needs the means/);
    });
    it('moves ranges with edits, as the editor moves a selection', () => {
      const plan = new InterventionPlan(
        model,
        resolveInterventions(model, [
          { layer: 0, unit: 1, mode: 'zero', from: 10, to: 20 },
          { layer: 0, unit: 2, mode: 'zero', from: 30 },
        ]),
      );
      plan.applyEdit(2, 0, 5); // 5 steps inserted before both
      plan.applyEdit(16, 2, 0); // 2 deleted inside the first
      plan.applyEdit(30, 10, 1); // a replacement over the second one's start
      assert.deepStrictEqual(
        plan.clamps.map((k) => [k.from, k.to]),
        [
          [15, 23],
          [30, Infinity],
        ],
      );
    });
    it('refuses cells, layers and ranges the model does not have', () => {
      assert.throws(() => resolveInterventions(model, [{ layer: 2, unit: 0, mode: 'zero' }]), /layer 2 does not exist/);
      assert.throws(
        () => resolveInterventions(model, [{ layer: 1, unit: 7, mode: 'zero' }]),
        /cell 7 is outside layer 1/,
      );
      assert.throws(
        () => resolveInterventions(model, [{ layer: 0, unit: 0, mode: 'value', value: NaN }]),
        /needs a finite value/,
      );
      const lbr0 = randomModel({ layers: [{ kind: 'gru', hidden: 4, linearBeforeReset: false }], seed: 1 });
      assert.throws(() => resolveInterventions(lbr0, [{ layer: 0, unit: 0, mode: 'zero' }]), /linear_before_reset = 0/);
    });
    it('composes clamps on one unit in order and is the identity elsewhere', () => {
      const plan = new InterventionPlan(
        model,
        resolveInterventions(model, [
          { layer: 0, unit: 2, mode: 'value', value: 0.5, from: 2, to: 6 },
          { layer: 0, unit: 2, mode: 'flip', from: 4 },
        ]),
      );
      const H = model.layers[0].hiddenSize;
      const r = plan.rows(0, 1, 8); // steps 1..8
      const at = (t: number): [number, number] => [r.ha[(t - 1) * H + 2], r.hb[(t - 1) * H + 2]];
      assert.deepStrictEqual([1, 2, 4, 6].map(at), [
        [1, 0],
        [0, 0.5],
        [-0, -0.5],
        [-1, 0],
      ]);
      assert.strictEqual(r.ha[3], 1);
      assert.ok(plan.touches(0, 3) && !plan.touches(0, 2));
      assert.strictEqual(
        describeIntervention(model, { layer: 0, unit: 2, mode: 'value', value: 0.5, from: 2, to: 6 }),
        'L0 h,c[2] := 0.5 over 2–6',
      );
    });
  });

  for (const [name, model] of MODELS) {
    describe(`the stepped engine, ${name}`, () => {
      const text = randomText(11, 150, DEFAULT_CHARS);
      it('with nothing clamped, equals the plain engine', async () => {
        const plain = await analyse(model, text);
        const none = new InterventionPlan(model, []);
        const stepped = await analyse(model, text, none);
        model.layers.forEach((layer, l) => {
          for (const s of signalsOf(layer.kind))
            checkTensor(stepped.windows[l][s]!, plain.windows[l][s]!, 1e-5, `layer ${l} ${s}`);
        });
        checkTensor(stepped.surprisal, plain.surprisal, 1e-4, 'surprisal');
      });
      for (const [label, list] of [
        ['zero over a range', [{ layer: 0, unit: 1, mode: 'zero', from: 20, to: 90 }]],
        ['a value everywhere, top layer', [{ layer: model.layers.length - 1, unit: 2, mode: 'value', value: 0.9 }]],
        [
          'flip and clamp on two layers',
          [
            { layer: 0, unit: 0, mode: 'flip', from: 5 },
            { layer: 1, unit: 3, mode: 'value', value: -0.6, from: 63, to: 66 },
          ],
        ],
      ] as [string, CellIntervention[]][]) {
        it(`${label}: every signal and the surprisal equal the reference`, async () => {
          const clamps = resolveInterventions(model, list);
          const got = await analyse(model, text, new InterventionPlan(model, clamps));
          const ref = reference(model, got.ids, clamps);
          model.layers.forEach((layer, l) => {
            for (const s of signalsOf(layer.kind)) {
              const want = (ref.layers[l] as unknown as Record<string, Float32Array>)[s];
              checkTensor(got.windows[l][s]!, want, TOL, `layer ${l} ${s}`);
            }
          });
          const V = model.vocab.chars.length;
          // surprisal[0] is that of the first character before any input: not in the reference
          checkTensor(
            got.surprisal.subarray(1),
            surprisalFromLogits(ref.logits, V, got.ids).subarray(1),
            1e-3,
            'surprisal',
          );
          const plain = await analyse(model, text);
          const first = list.reduce((m, iv) => Math.min(m, iv.from ?? 0), Infinity);
          // nothing changes before the first clamped step, something does after it
          checkTensor(got.surprisal.subarray(0, first + 1), plain.surprisal.subarray(0, first + 1), 1e-4, 'before');
          assert.ok(checkTensorDiff(got.surprisal, plain.surprisal) > 1e-3, 'the clamp changed nothing');
        });
      }
    });
  }

  it('a run with a plan needs its absolute start', async () => {
    const model = MODELS[0][1];
    const runner = new ModelRunner(model, { intervention: new InterventionPlan(model, []) });
    const rows = model.layers.map((_, l) => selectRows(model, l, []));
    await assert.rejects(runner.runSegment(new Int32Array(3), zeroState(model), rows), /needs the absolute step/);
    await runner.dispose();
  });
});

function checkTensorDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
