import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { onnx } from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import {
  decodeModelProto,
  parseModel,
  readModelFile,
  serializeModel,
  writeModelFile,
} from '../../../../src/core/model/modelFile';
import { randomCharModel } from '../../../../src/core/model/randomModel';
import { referenceForward } from '../../../../src/core/model/referenceForward';
import type { CharModel } from '../../../../src/core/model/types';
import { maxAbsDiff } from '../../../helpers/tensorCheck';

const vocab = { chars: [...'\n abcdefghij{}();"\t', '\uFFFD'], unknownId: 19 };

async function ortLogits(bytes: Uint8Array, ids: Int32Array): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  const input = new ort.Tensor('int64', BigInt64Array.from(Array.from(ids, BigInt)), [ids.length, 1]);
  const out = await session.run({ ids: input });
  assert.deepStrictEqual(out.logits.dims, [ids.length, 1, vocab.chars.length]);
  return out.logits.data as Float32Array;
}

const models: [string, CharModel][] = [
  [
    '1-layer LSTM, embedding',
    randomCharModel({ vocab, embeddingDim: 8, layers: [{ kind: 'lstm', hiddenSize: 12 }], seed: 1 }),
  ],
  [
    'LSTM 12 + LSTM 16, one-hot',
    randomCharModel({
      vocab,
      layers: [
        { kind: 'lstm', hiddenSize: 12 },
        { kind: 'lstm', hiddenSize: 16 },
      ],
      seed: 2,
    }),
  ],
  [
    'GRU linear_before_reset=1 + GRU =0',
    randomCharModel({
      vocab,
      embeddingDim: 6,
      layers: [
        { kind: 'gru', hiddenSize: 10 },
        { kind: 'gru', hiddenSize: 9, linearBeforeReset: false },
      ],
      seed: 3,
      scale: 2,
    }),
  ],
  [
    'LSTM + GRU mixed',
    randomCharModel({
      vocab,
      embeddingDim: 5,
      layers: [
        { kind: 'lstm', hiddenSize: 7 },
        { kind: 'gru', hiddenSize: 8 },
      ],
      seed: 4,
    }),
  ],
];

describe('model files (our own format)', () => {
  const ids = Int32Array.from({ length: 40 }, (_, t) => (t * 7 + 3) % vocab.chars.length);

  for (const [label, model] of models) {
    it(`${label}: round-trips and onnxruntime agrees with the reference forward`, async () => {
      model.metadata = { 'lstm_lens.bits_per_char': '2.5', 'lstm_lens.date': '2026-11-25' };
      const bytes = serializeModel(model);
      const back = parseModel(bytes);
      assert.deepStrictEqual(back, model);
      const ref = referenceForward(model, ids);
      const got = await ortLogits(bytes, ids);
      const d = maxAbsDiff(got, ref.logits);
      assert.ok(d <= 1e-4, `logits differ from onnxruntime by ${d}`);
    });
  }

  it('writes atomically and reads back from disk', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lstm-lens-model-'));
    try {
      const file = path.join(dir, 'm.onnx');
      await writeModelFile(models[0][1], file);
      assert.deepStrictEqual(await fs.readdir(dir), ['m.onnx'], 'no temp file left behind');
      assert.deepStrictEqual(await readModelFile(file), models[0][1]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('model files (reading variants)', () => {
  it('reads through a LogSoftmax after the linear layer (same next-character distribution)', () => {
    const model = models[0][1];
    const proto = onnx.ModelProto.decode(serializeModel(model));
    const g = proto.graph!;
    g.node!.find((n) => n.output![0] === 'logits')!.output = ['raw_logits'];
    g.node!.push(onnx.NodeProto.create({ opType: 'LogSoftmax', input: ['raw_logits'], output: ['logits'] }));
    assert.deepStrictEqual(parseModel(onnx.ModelProto.encode(proto).finish()), model);
  });
});

describe('model files (more reading variants, by editing our own graph)', () => {
  const edit = (model: CharModel, fn: (g: onnx.IGraphProto) => void): Uint8Array => {
    const proto = onnx.ModelProto.decode(serializeModel(model));
    fn(proto.graph!);
    return onnx.ModelProto.encode(proto).finish();
  };

  it('one-hot input given directly as a float graph input (T, B, V)', () => {
    const model = models[1][1]; // one-hot
    const bytes = edit(model, (g) => {
      g.node = g.node!.filter((n) => n.opType !== 'OneHot');
      g.node.find((n) => n.opType === 'LSTM')!.input![0] = 'x';
      g.input = [
        {
          name: 'x',
          type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'T' }, { dimValue: 1 }, { dimValue: 20 }] } } },
        },
      ];
    });
    assert.deepStrictEqual(parseModel(bytes), model);
  });

  it('an LSTM without B reads as zero biases', () => {
    const model = randomCharModel({ vocab, embeddingDim: 3, layers: [{ kind: 'lstm', hiddenSize: 4 }], seed: 9 });
    const bytes = edit(model, (g) => {
      g.node!.find((n) => n.opType === 'LSTM')!.input!.length = 3;
    });
    const back = parseModel(bytes);
    assert.deepStrictEqual(Array.from(back.layers[0].B), new Array(32).fill(0));
    assert.deepStrictEqual(back.layers[0].W, model.layers[0].W);
  });

  it('a Gemm output layer with transB=0, alpha and beta folded into W and b', () => {
    const model = randomCharModel({ vocab, embeddingDim: 3, layers: [{ kind: 'gru', hiddenSize: 4 }], seed: 10 });
    const bytes = edit(model, (g) => {
      const mm = g.node!.find((n) => n.opType === 'MatMul')!;
      const add = g.node!.find((n) => n.opType === 'Add')!;
      mm.opType = 'Gemm';
      mm.input = [mm.input![0], 'output_W_t', 'output_b'];
      mm.output = ['logits'];
      mm.attribute = [
        { name: 'alpha', type: onnx.AttributeProto.AttributeType.FLOAT, f: 2 },
        { name: 'beta', type: onnx.AttributeProto.AttributeType.FLOAT, f: 0.5 },
      ];
      g.node = g.node!.filter((n) => n !== add);
    });
    const back = parseModel(bytes);
    assert.deepStrictEqual(
      back.output.W,
      model.output.W.map((v) => 2 * v),
    );
    assert.deepStrictEqual(
      back.output.b,
      model.output.b.map((v) => 0.5 * v),
    );
  });
});

describe('core/model/modelFile decodeModelProto', () => {
  it('reads a Node Buffer without protobufjs making Buffers (whose empty fields use the deprecated new Buffer(0))', () => {
    const model = randomCharModel({ vocab, embeddingDim: 4, layers: [{ kind: 'lstm', hiddenSize: 3 }], seed: 3 });
    const file = Buffer.from(serializeModel(model));
    const proto = decodeModelProto(file);
    const tensors = proto.graph?.initializer ?? [];
    assert.ok(tensors.length > 0, 'the model has initializers');
    for (const t of tensors) {
      assert.ok(t.rawData instanceof Uint8Array, `${t.name}: rawData is bytes`);
      assert.ok(!Buffer.isBuffer(t.rawData), `${t.name}: rawData is a Node Buffer`);
    }
    assert.ok(parseModel(file).layers.length === 1);
  });
});

describe('core/model/modelFile readModelFile errors', () => {
  it('names the path and says why when it is a folder or missing (keeping the errno code)', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lstm-lens-read-'));
    try {
      await assert.rejects(readModelFile(dir), (e: NodeJS.ErrnoException) => {
        assert.strictEqual(e.message, `model ${dir} is a folder, not a model file`);
        assert.strictEqual(e.code, 'EISDIR');
        return true;
      });
      const missing = path.join(dir, 'missing.onnx');
      await assert.rejects(readModelFile(missing), new RegExp(`model .*missing\\.onnx does not exist`));
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
