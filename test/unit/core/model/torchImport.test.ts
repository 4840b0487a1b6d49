// PyTorch-exported fixtures (test/fixtures/torch/make_torch_fixtures.py):
// our reader extracts weights that reproduce torch's per-gate values, and the
// file we write back runs in onnxruntime with torch's logits.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as path from 'path';
import * as ort from 'onnxruntime-node';
import { parseModel, readModelFile, serializeModel } from '../../../../src/core/model/modelFile';
import { referenceForward } from '../../../../src/core/model/referenceForward';
import type { LayerTrace } from '../../../../src/core/model/referenceForward';
import type { RecurrentKind } from '../../../../src/core/model/types';
import { Vocabulary } from '../../../../src/core/model/vocab';
import { checkTensor } from '../../../helpers/tensorCheck';

const DIR = path.join(__dirname, '../../../../../test/fixtures/torch');

interface Expected {
  model: string;
  text: string;
  ids: number[];
  batch_first: boolean;
  vocab_size: number;
  state_inputs: Record<string, number[]>;
  layers: ({ kind: RecurrentKind; hidden_size: number } & Record<string, number[][]>)[];
  logits: number[][];
}

async function ortLogits(
  bytes: Uint8Array,
  ids: number[],
  batchFirst: boolean,
  state: Record<string, number[]> = {},
): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  const dims = batchFirst ? [1, ids.length] : [ids.length, 1];
  const feeds: Record<string, ort.Tensor> = { ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), dims) };
  for (const [name, shape] of Object.entries(state))
    feeds[name] = new ort.Tensor('float32', new Float32Array(shape.reduce((a, b) => a * b, 1)), shape);
  const out = await session.run(feeds);
  return out.logits.data as Float32Array;
}

const FIXTURES: [string, { kinds: string[]; hidden: number[]; input: 'embedding' | 'onehot'; unknown: boolean }][] = [
  ['lstm1', { kinds: ['lstm'], hidden: [12], input: 'embedding', unknown: true }],
  ['lstm2_nofold', { kinds: ['lstm', 'lstm'], hidden: [16, 16], input: 'embedding', unknown: false }],
  ['gru2', { kinds: ['gru', 'gru'], hidden: [12, 12], input: 'embedding', unknown: true }],
  ['lstm2_batchfirst', { kinds: ['lstm', 'lstm'], hidden: [12, 12], input: 'embedding', unknown: true }],
  ['lstm1_onehot', { kinds: ['lstm'], hidden: [12], input: 'onehot', unknown: true }],
  ['gru3_gemm_nofold', { kinds: ['gru', 'gru', 'gru'], hidden: [8, 8, 8], input: 'embedding', unknown: true }],
  ['lstm2_state_inputs', { kinds: ['lstm', 'lstm'], hidden: [10, 10], input: 'embedding', unknown: true }],
];

describe('PyTorch-exported models', () => {
  for (const [name, want] of FIXTURES) {
    describe(name, () => {
      let exp: Expected;
      before(async () => {
        exp = JSON.parse(await fs.readFile(path.join(DIR, `${name}.expected.json`), 'utf8')) as Expected;
      });

      it('parses with the right layers, sizes, vocabulary and metadata', async () => {
        const model = await readModelFile(path.join(DIR, `${name}.onnx`));
        assert.deepStrictEqual(
          model.layers.map((l) => l.kind),
          want.kinds,
        );
        assert.deepStrictEqual(
          model.layers.map((l) => l.hiddenSize),
          want.hidden,
        );
        assert.strictEqual(model.input.kind, want.input);
        assert.strictEqual(model.vocab.chars.length, exp.vocab_size);
        assert.strictEqual(model.vocab.unknownId !== undefined, want.unknown);
        assert.strictEqual(model.metadata['lstm_lens.source'], `make_torch_fixtures.py ${name}`);
        for (const l of model.layers) if (l.kind === 'gru') assert.strictEqual(l.linearBeforeReset, true);
        // The text holds a character outside the vocabulary: unknown id, or the id of ' ' without one.
        assert.deepStrictEqual(Array.from(new Vocabulary(model.vocab).encode(exp.text)), exp.ids);
      });

      it("reproduces torch's h, c and every gate per layer, and the logits", async () => {
        const model = await readModelFile(path.join(DIR, `${name}.onnx`));
        const ref = referenceForward(model, Int32Array.from(exp.ids));
        ref.layers.forEach((layer: LayerTrace, l) => {
          for (const [sig, values] of Object.entries(layer)) {
            if (sig !== 'kind')
              checkTensor(values as Float32Array, exp.layers[l][sig].flat(), 2e-5, `layer ${l} ${sig}`);
          }
        });
        checkTensor(ref.logits, exp.logits.flat(), 1e-4, 'logits');
      });

      it('onnxruntime runs the torch file and our re-written file to the same logits', async () => {
        const bytes = await fs.readFile(path.join(DIR, `${name}.onnx`));
        checkTensor(
          await ortLogits(bytes, exp.ids, exp.batch_first, exp.state_inputs),
          exp.logits.flat(),
          1e-4,
          'torch file in onnxruntime',
        );
        const model = await readModelFile(path.join(DIR, `${name}.onnx`));
        const written = serializeModel(model);
        checkTensor(await ortLogits(written, exp.ids, false), exp.logits.flat(), 1e-4, 'our file in onnxruntime');
        assert.deepStrictEqual(parseModel(written), model);
      });
    });
  }
});
