// Every unusable model file gives a ModelFormatError whose message names the problem.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as path from 'path';
import { onnx } from 'onnx-proto';
import { parseModel, readModelFile, serializeModel } from '../../../../src/core/model/modelFile';
import { vocabFromSidecar } from '../../../../src/core/model/modelMetadata';
import { randomCharModel } from '../../../../src/core/model/randomModel';
import { seededRandom } from '../../../../src/core/util/seededRandom';
import { referenceForward } from '../../../../src/core/model/referenceForward';
import { ModelFormatError } from '../../../../src/core/model/types';
import { makeTensor } from '../../../../src/core/onnx/graphBuilder';

const DIR = path.join(__dirname, '../../../../../test/fixtures/torch');
const vocab = { chars: [...'\n abcdefg', '\uFFFD'], unknownId: 9 };

function rejects(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: Error) => {
    assert.ok(e instanceof ModelFormatError, `expected ModelFormatError, got ${e.name}: ${e.message}`);
    assert.match(e.message, pattern);
    return true;
  });
}

/** Our own 2-layer LSTM file, decoded, changed by `edit`, encoded again. */
function mutated(edit: (g: onnx.IGraphProto, lstm: onnx.INodeProto[]) => void): Uint8Array {
  const model = randomCharModel({
    vocab,
    embeddingDim: 4,
    layers: [
      { kind: 'lstm', hiddenSize: 5 },
      { kind: 'lstm', hiddenSize: 6 },
    ],
    seed: 7,
  });
  const proto = onnx.ModelProto.decode(serializeModel(model));
  const g = proto.graph!;
  edit(
    g,
    g.node!.filter((n) => n.opType === 'LSTM'),
  );
  return onnx.ModelProto.encode(proto).finish();
}

const T = onnx.AttributeProto.AttributeType;

describe('bad model files', () => {
  it('the unmodified base file parses (so each case below fails for its own reason)', () => {
    assert.strictEqual(parseModel(mutated(() => undefined)).layers.length, 2);
  });

  const fixtureCases: [string, RegExp][] = [
    ['bad_truncated.onnx', /bad_truncated\.onnx is not an ONNX model/],
    ['bad_not_onnx.onnx', /bad_not_onnx\.onnx is not an ONNX model/],
    ['bad_no_recurrent.onnx', /no LSTM, GRU or RNN operator in the graph \(ops found: .*Tanh/],
    ['bad_bidirectional.onnx', /LSTM.* is bidirectional; only forward/],
    ['bad_vocab_mismatch.onnx', /vocab size 34 does not match the model's 35 logits/],
    [
      'bad_no_vocab.onnx',
      /vocab missing \(no lstm_lens\.vocab metadata and no sidecar bad_no_vocab\.onnx\.vocab\.json\)/,
    ],
  ];
  for (const [file, pattern] of fixtureCases) {
    it(`${file}: ${pattern.source.slice(0, 50)}`, async () => {
      await assert.rejects(readModelFile(path.join(DIR, file)), (e: Error) => {
        assert.ok(e instanceof ModelFormatError, `expected ModelFormatError, got ${e.name}: ${e.message}`);
        assert.match(e.message, pattern);
        return true;
      });
    });
  }

  it('empty bytes', () => rejects(() => parseModel(new Uint8Array(0), { fileName: 'x.onnx' }), /x\.onnx is empty/));

  const attrCases: [string, onnx.IAttributeProto, RegExp][] = [
    ['peephole-free but clipped', { name: 'clip', type: T.FLOAT, f: 3 }, /uses clip \(3\)/],
    ['coupled input/forget', { name: 'input_forget', type: T.INT, i: 1 }, /uses input_forget/],
    ['layout=1', { name: 'layout', type: T.INT, i: 1 }, /layout=1/],
    [
      'reverse',
      { name: 'direction', type: T.STRING, s: new TextEncoder().encode('reverse') },
      /is reverse; only forward/,
    ],
    [
      'activations',
      {
        name: 'activations',
        type: T.STRINGS,
        strings: ['Sigmoid', 'Relu', 'Tanh'].map((s) => new TextEncoder().encode(s)),
      },
      /non-default activations \[Sigmoid, Relu, Tanh\]/,
    ],
    [
      'hidden_size inconsistent with W',
      { name: 'hidden_size', type: T.INT, i: 7 },
      /W has shape \[1, 20, 4\], expected \(1, 4H = 28, I\)/,
    ],
  ];
  for (const [label, a, pattern] of attrCases) {
    it(`LSTM attribute: ${label}`, () => {
      const bytes = mutated((_, [first]) => {
        first.attribute = (first.attribute ?? []).filter((x) => x.name !== a.name).concat([a]);
      });
      rejects(() => parseModel(bytes), pattern);
    });
  }

  it('peepholes (LSTM input P)', () => {
    const bytes = mutated((g, [first]) => {
      g.initializer!.push(makeTensor('P', new Float32Array(15), [1, 15]));
      first.input = [...first.input!, '', '', '', 'P']; // X W R B seq_lens h0 c0 P
    });
    rejects(() => parseModel(bytes), /peephole weights \(input P\)/);
  });

  it('a non-zero constant initial state', () => {
    const bytes = mutated((g, [first]) => {
      g.initializer!.push(makeTensor('h0', Float32Array.from([1, 0, 0, 0, 0]), [1, 1, 5]));
      first.input = [...first.input!, '', 'h0'];
    });
    rejects(() => parseModel(bytes), /initial_h is a non-zero constant/);
  });

  it('an unsupported op between the layers', () => {
    const bytes = mutated((g, [, second]) => {
      g.node!.push({ opType: 'Relu', name: 'relu', input: [second.input![0]], output: ['relu_out'] });
      second.input![0] = 'relu_out';
    });
    rejects(() => parseModel(bytes), /unsupported op Relu \(node relu\) before recurrent layer/);
  });

  it('embedding dim not matching the first layer input', () => {
    const bytes = mutated((g) => {
      const k = g.initializer!.findIndex((t) => t.name === 'embedding');
      g.initializer![k] = makeTensor('embedding', new Float32Array(10 * 3), [10, 3]);
    });
    rejects(() => parseModel(bytes), /embedding dim E = 3 does not match the first layer's input size 4/);
  });

  it('layer input size not matching the layer below', () => {
    const bytes = mutated((g, [, second]) => {
      const k = g.initializer!.findIndex((t) => t.name === second.input![1]);
      g.initializer![k] = makeTensor(second.input![1], new Float32Array(24 * 4), [1, 24, 4]);
    });
    rejects(() => parseModel(bytes), /layer 1 input size 4 does not match layer 0 hidden size 5/);
  });

  it('a logits output that is not a linear layer', () => {
    const bytes = mutated((g) => {
      const add = g.node!.find((n) => n.output![0] === 'logits')!;
      add.opType = 'Mul';
    });
    rejects(() => parseModel(bytes), /output logits is computed by Mul.*expected a linear layer/);
  });

  it('bad vocab metadata and sidecars', () => {
    const withMeta = (key: string, value: string): Uint8Array => {
      const proto = onnx.ModelProto.decode(mutated(() => undefined));
      proto.metadataProps.find((e) => e.key === key)!.value = value;
      return onnx.ModelProto.encode(proto).finish();
    };
    rejects(() => parseModel(withMeta('lstm_lens.vocab', '["a", ')), /lstm_lens\.vocab is not valid JSON/);
    rejects(() => parseModel(withMeta('lstm_lens.unknown_id', 'x')), /unknown id "x" is not a non-negative integer/);
    rejects(
      () => parseModel(withMeta('lstm_lens.unknown_id', '99')),
      /unknown id 99 is outside the vocabulary \(size 10\)/,
    );
    rejects(() => vocabFromSidecar('{"chars": []}', 'm.onnx.vocab.json'), /m\.onnx\.vocab\.json holds neither/);
    rejects(() => vocabFromSidecar('["a", "a"]'), /duplicate character "a"/);
  });

  it('a NaN weight', () => {
    const bytes = mutated((g) => {
      const k = g.initializer!.findIndex((t) => t.name === 'layer1_R');
      g.initializer![k] = makeTensor('layer1_R', new Float32Array(24 * 6).fill(NaN), [1, 24, 6]);
    });
    rejects(() => parseModel(bytes), /layer 1 R holds a non-finite value \(NaN\) at index 0/);
  });

  it('corrupted bytes (truncations, bit flips, noise) only ever give ModelFormatError', async () => {
    const base = await fs.readFile(path.join(DIR, 'lstm2_nofold.onnx'));
    const sidecarVocab = vocabFromSidecar(await fs.readFile(path.join(DIR, 'lstm2_nofold.onnx.vocab.json'), 'utf8'));
    const rand = seededRandom(11);
    let rejected = 0;
    for (let k = 0; k < 300; k++) {
      const b = Uint8Array.from(base);
      let bytes: Uint8Array = b;
      if (k % 3 === 0) bytes = b.subarray(0, Math.floor(rand() * b.length));
      else if (k % 3 === 1) b[Math.floor(rand() * b.length)] ^= 1 << Math.floor(rand() * 8);
      else bytes = Uint8Array.from({ length: Math.floor(rand() * 200) }, () => Math.floor(rand() * 256));
      try {
        parseModel(bytes, { sidecarVocab });
      } catch (e) {
        assert.ok(e instanceof ModelFormatError, `case ${k}: ${(e as Error).name}: ${(e as Error).message}`);
        rejected++;
      }
    }
    assert.ok(rejected > 150, `only ${rejected} of 300 corrupted files rejected`);
  });

  it('reference forward rejects ids outside the vocabulary', async () => {
    const model = await readModelFile(path.join(DIR, 'lstm1.onnx'));
    assert.throws(
      () => referenceForward(model, Int32Array.from([0, 999])),
      /id 999 at position 1 is outside the vocabulary/,
    );
    await fs.access(path.join(DIR, 'lstm1.onnx'));
  });
});
