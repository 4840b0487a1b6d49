import * as assert from 'assert';
import { ModelRunner } from '../../../../src/core/inference/modelRunner';
import { sampleChars, sampleText } from '../../../../src/core/inference/sampler';
import { referenceForward } from '../../../../src/core/model/referenceForward';
import { Vocabulary } from '../../../../src/core/model/vocab';
import { drawIndex } from '../../../../src/core/util/softmaxDraw';
import { randomModel } from '../../../helpers/randomModel';

describe('sampler', () => {
  const model = randomModel({ layers: [{ kind: 'lstm', hidden: 16 }], embedding: 8, seed: 2, scale: 2 });
  const runner = new ModelRunner(model);
  after(() => runner.dispose());

  it('draws by cumulative weight and takes the argmax at temperature 0', () => {
    const lp = Float64Array.from([0.1, 0.6, 0.3].map(Math.log));
    assert.strictEqual(drawIndex(lp, 0, 0.99), 1);
    assert.strictEqual(drawIndex(lp, 1, 0.05), 0);
    assert.strictEqual(drawIndex(lp, 1, 0.5), 1);
    assert.strictEqual(drawIndex(lp, 1, 0.95), 2);
  });

  it('is deterministic per seed and greedy text follows the reference argmax', async () => {
    const a = await sampleText(model, runner, { prime: 'ab', length: 40, temperature: 1, seed: 7 });
    const b = await sampleText(model, runner, { prime: 'ab', length: 40, temperature: 1, seed: 7 });
    const c = await sampleText(model, runner, { prime: 'ab', length: 40, temperature: 1, seed: 8 });
    assert.strictEqual([...a].length, 40);
    assert.strictEqual(a, b);
    assert.notStrictEqual(a, c);
    const greedy = await sampleText(model, runner, { prime: 'ab', length: 12, temperature: 0 });
    const vocab = new Vocabulary(model.vocab);
    const V = vocab.size;
    let text = 'ab';
    for (let n = 0; n < 12; n++) {
      const ref = referenceForward(model, vocab.encode(text));
      const T = [...text].length;
      const row = Array.from(ref.logits.subarray((T - 1) * V, T * V));
      text += vocab.charOf(row.indexOf(Math.max(...row)));
    }
    assert.strictEqual(greedy, text.slice(2));
  });

  it('hands out the characters one by one, as they are drawn: the same text as sampleText for a seed', async () => {
    const options = { prime: 'ab', length: 60, temperature: 0.8, seed: 11 };
    const pieces: string[] = [];
    for await (const ch of sampleChars(model, runner, options)) pieces.push(ch);
    assert.strictEqual(pieces.length, 60);
    assert.ok(pieces.every((p) => [...p].length === 1));
    assert.strictEqual(pieces.join(''), await sampleText(model, runner, options));
  });

  it('rejects bad lengths and temperatures', async () => {
    await assert.rejects(sampleText(model, runner, { length: -1, temperature: 1 }), /sample length must be/);
    await assert.rejects(sampleText(model, runner, { length: 5, temperature: -0.5 }), /temperature must be/);
  });
});
