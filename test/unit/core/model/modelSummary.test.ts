import * as assert from 'assert';
import * as path from 'path';
import { infoCommand } from '../../../../src/cli/infoCommand';
import {
  displayChar,
  formatModelSummary,
  type ModelSummary,
  summarizeModel,
} from '../../../../src/core/model/modelSummary';
import { randomCharModel } from '../../../../src/core/model/randomModel';

const DIR = path.join(__dirname, '../../../../../test/fixtures/torch');

describe('model summary and `lstm-lens info`', () => {
  it('counts parameters per part and in total', () => {
    const vocab = { chars: [...'\n ab\u00a0', '\uFFFD'], unknownId: 5 };
    const model = randomCharModel({
      vocab,
      embeddingDim: 3,
      layers: [
        { kind: 'lstm', hiddenSize: 4 },
        { kind: 'gru', hiddenSize: 2 },
      ],
    });
    model.metadata = { 'lstm_lens.bits_per_char': '2.1' };
    const s = summarizeModel(model);
    // embedding 6*3; LSTM 4*4*3 + 4*4*4 + 8*4; GRU 3*2*4 + 3*2*2 + 6*2; output 6*2 + 6
    assert.deepStrictEqual(
      s.layers.map((l) => l.parameters),
      [48 + 64 + 32, 24 + 12 + 12],
    );
    assert.strictEqual(s.parameterCount, 18 + 144 + 48 + 18);
    assert.deepStrictEqual(s.vocabSample, ['\\n', '␠', 'a', 'b', '\\u00a0', '\uFFFD']);
    const text = formatModelSummary(s);
    assert.match(text, /layer 1: GRU 4 -> 2, linear_before_reset=1/);
    assert.match(text, /lstm_lens\.bits_per_char {2}2\.1/);
    assert.strictEqual(displayChar('\t'), '\\t');
  });

  it('prints a torch-exported model as text and as JSON', async () => {
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(`ERR ${l}`) };
    assert.strictEqual(await infoCommand(['--model', path.join(DIR, 'lstm2_nofold.onnx'), '--json'], io), 0);
    const s = JSON.parse(lines[0]) as ModelSummary;
    assert.deepStrictEqual(
      s.layers.map((l: { kind: string; hiddenSize: number }) => `${l.kind}${l.hiddenSize}`),
      ['lstm16', 'lstm16'],
    );
    assert.strictEqual(s.unknownId, undefined);
    lines.length = 0;
    assert.strictEqual(await infoCommand(['--model', path.join(DIR, 'lstm1_onehot.onnx')], io), 0);
    assert.match(lines.join('\n'), /input: one-hot \(35\)\nlayer 0: LSTM 35 -> 12/);
  });

  it('names the problem for a bad file or missing --model', async () => {
    const io = { out: () => undefined, err: () => undefined };
    await assert.rejects(infoCommand(['--model', path.join(DIR, 'bad_no_vocab.onnx')], io), /vocab missing/);
    await assert.rejects(infoCommand([], io), /--model is required/);
  });
});
