// `lstm-lens sample` prints the characters as they are drawn: the first at
// once, the rest in pieces, and all together the text sampleText gives.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../../src/cli/main';
import { ModelRunner } from '../../../src/core/inference/modelRunner';
import { sampleText } from '../../../src/core/inference/sampler';
import { writeModelFile } from '../../../src/core/model/modelFile';
import { capture } from '../../helpers/cliCapture';
import { randomModel } from '../../helpers/randomModel';

describe('lstm-lens sample, streamed', function () {
  this.timeout(60_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-sample-'));
  const modelPath = path.join(dir, 'm.onnx');
  const model = randomModel({ layers: [{ kind: 'lstm', hidden: 24 }], embedding: 6, seed: 12, scale: 1.5 });
  before(() => writeModelFile(model, modelPath));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes the first character at once and ends with the same text as sampleText for the seed', async () => {
    const io = capture();
    const argv = [
      'sample',
      '--model',
      modelPath,
      '--temperature',
      '1',
      '--length',
      '2000',
      '--prime',
      'x = ',
      '--seed',
      '6',
    ];
    assert.strictEqual(await main(argv, io), 0, io.stderr.join('\n'));
    const runner = new ModelRunner(model);
    const want = await sampleText(model, runner, { prime: 'x = ', length: 2000, temperature: 1, seed: 6 });
    await runner.dispose();
    assert.strictEqual(io.writes.length >= 2, true, `${io.writes.length} writes`);
    assert.strictEqual(
      [...(io.writes[0] as string)].length,
      1,
      'the first character alone, before the second is drawn',
    );
    assert.strictEqual(io.writes.join(''), want + '\n');
  });
});
