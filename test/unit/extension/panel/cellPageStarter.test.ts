import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { profileCell } from '../../../../src/core/analysis/cellProfile';
import { randomCharModel } from '../../../../src/core/model/randomModel';
import { writeModelFile } from '../../../../src/core/model/modelFile';
import { startCellPage } from '../../../../src/extension/panel/cellPageStarter';
import { compiledWorker } from '../../../helpers/compiledWorker';

const WORKER = compiledWorker('cellPageWorker');
const C = 'int f(int *a) {\n  printf("n %d\\n", a[0]); /* x */\n  return 0;\n}\n';

describe('extension/cellPageStarter (compiled cell page worker)', function () {
  this.timeout(60_000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-cellpage-'));
  const modelPath = path.join(tmp, 'm.onnx');
  const chars = [...new Set(Array.from(C))].sort();
  const model = randomCharModel({
    vocab: { chars },
    embeddingDim: 5,
    layers: [{ kind: 'lstm', hiddenSize: 10 }],
    seed: 4,
    scale: 2,
  });
  before(async () => writeModelFile(model, modelPath));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('profiles the cell in the worker with progress, equal to profileCell in-process', async () => {
    const texts = [{ name: 'a.c', text: C.repeat(30), language: 'c' }];
    const cell = { layer: 0, unit: 3, signal: 'c' };
    const seen: number[] = [];
    const run = startCellPage(WORKER, { modelPath, texts, cell, options: { chunkSize: 256 } }, (done) =>
      seen.push(done),
    );
    const end = await run.done;
    assert.strictEqual(end.status, 'done');
    if (end.status !== 'done') return;
    const here = await profileCell(model, texts, cell, { chunkSize: 256 });
    assert.deepStrictEqual(
      end.profile.top.map((p) => [p.offset, p.value.toFixed(5)]),
      here.top.map((p) => [p.offset, p.value.toFixed(5)]),
    );
    assert.strictEqual(end.profile.count, C.length * 30);
    assert.ok(seen.length >= 1 && seen[seen.length - 1] === C.length * 30, `progress ${seen.join(',')}`);
  });

  it('cancels between chunks', async () => {
    const texts = [{ name: 'a.c', text: C.repeat(3000), language: 'c' }];
    const run = startCellPage(
      WORKER,
      { modelPath, texts, cell: { layer: 0, unit: 1, signal: 'h' }, options: { chunkSize: 64, maxChars: 500_000 } },
      () => run.cancel(),
    );
    assert.deepStrictEqual(await run.done, { status: 'cancelled' });
  });

  it('reports a bad job as an error naming it', async () => {
    const run = startCellPage(WORKER, {
      modelPath,
      texts: [{ name: 'a.c', text: C, language: 'c' }],
      cell: { layer: 3, unit: 0, signal: 'h' },
    });
    await assert.rejects(run.done, /layer 3 does not exist/);
  });
});
