import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { discoverCells } from '../../../../src/core/analysis/discoverCells';
import { randomCharModel } from '../../../../src/core/model/randomModel';
import { writeModelFile } from '../../../../src/core/model/modelFile';
import type { DiscoverProgress } from '../../../../src/core/analysis/discoverCells';
import { startDiscovery } from '../../../../src/extension/discovery/discoveryStarter';
import { compiledWorker } from '../../../helpers/compiledWorker';

// out/test/unit/extension -> out/src/worker/discoveryWorker.js (the compiled worker).
const WORKER = compiledWorker('discoveryWorker');

const C =
  'int sum(int *a, int n) {\n  int s = 0; /* total */\n  for (int i = 0; i < n; i++) {\n    if (a[i] > 0) s += a[i];\n  }\n  printf("sum %d\\n", s); // done\n  return s;\n}\n';
const PY =
  'def f(x):\n    """Doc."""\n    if x > 1:\n        return \'big\'  # yes\n    return [y for y in range(x)]\n';
const texts = [
  { name: 'a.c', text: C.repeat(6), language: 'c' },
  { name: 'b.py', text: PY.repeat(6), language: 'python' },
];

describe('extension/discoveryStarter (compiled discovery worker)', function () {
  this.timeout(60_000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-discovery-'));
  const storeDir = path.join(tmp, 'store');
  const modelPath = path.join(tmp, 'm.onnx');
  const chars = [...new Set(Array.from(texts.map((t) => t.text).join('')))].sort();
  const model = randomCharModel({
    vocab: { chars },
    embeddingDim: 5,
    layers: [{ kind: 'lstm', hiddenSize: 12 }],
    seed: 7,
    scale: 3,
  });
  before(async () => writeModelFile(model, modelPath));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('scores the texts in the worker with progress, equal to discoverCells in-process, and stores the result', async () => {
    const progress: DiscoverProgress[] = [];
    const end = await startDiscovery(WORKER, { modelPath, texts, storeDir, label: { minAbsR: 0.3 } }, (p) =>
      progress.push(p),
    ).done;
    assert.strictEqual(end.status, 'done');
    if (end.status !== 'done') return;
    const { stored, cached, file } = end.outcome;
    assert.strictEqual(cached, false);
    const total = texts.reduce((n, t) => n + t.text.length, 0);
    assert.ok(progress.length >= 2, `${progress.length} progress events`);
    assert.deepStrictEqual(progress[progress.length - 1], { done: total, total, text: 'b.py' });

    const direct = await discoverCells(model, texts, { label: { minAbsR: 0.3 } });
    assert.strictEqual(stored.cacheKey, direct.cacheKey);
    assert.strictEqual(stored.discovery.count, total);
    assert.deepStrictEqual(
      stored.discovery.labels.map((l) => [l.layer, l.signal, l.unit, l.text]),
      direct.discovery.labels.map((l) => [l.layer, l.signal, l.unit, l.text]),
    );
    assert.ok(stored.discovery.labels.length > 0, 'a 12-cell model on this sample has cells over |r| 0.3');
    assert.strictEqual(file, path.join(storeDir, `${stored.cacheKey}.json`));
    assert.ok(fs.existsSync(file));
  });

  it('answers from the cache for the same model and sample (no progress), and recomputes for another sample or threshold', async () => {
    const progress: DiscoverProgress[] = [];
    const hit = await startDiscovery(WORKER, { modelPath, texts, storeDir, label: { minAbsR: 0.3 } }, (p) =>
      progress.push(p),
    ).done;
    assert.ok(hit.status === 'done' && hit.outcome.cached);
    assert.strictEqual(progress.length, 0);

    const other = [{ ...texts[0], text: texts[0].text + '\n' }];
    const miss = await startDiscovery(WORKER, { modelPath, texts: other, storeDir, label: { minAbsR: 0.3 } }).done;
    assert.ok(miss.status === 'done' && !miss.outcome.cached);
    assert.notStrictEqual(miss.outcome.stored.cacheKey, hit.status === 'done' ? hit.outcome.stored.cacheKey : '');

    const stricter = await startDiscovery(WORKER, { modelPath, texts, storeDir, label: { minAbsR: 0.9 } }).done;
    assert.ok(
      stricter.status === 'done' && !stricter.outcome.cached,
      'another label threshold is not served from the cache',
    );
    assert.strictEqual(stricter.outcome.stored.discovery.minAbsR, 0.9);
  });

  it('cancel stops the run between chunks and resolves as cancelled, storing nothing', async () => {
    const long = [{ name: 'long.c', text: C.repeat(400), language: 'c' }];
    let seen = 0;
    const run = startDiscovery(WORKER, { modelPath, texts: long, storeDir: path.join(tmp, 'cancelled') }, () => {
      if (seen++ === 0) run.cancel();
    });
    const end = await run.done;
    assert.strictEqual(end.status, 'cancelled');
    assert.ok(seen < Math.ceil(long[0].text.length / 2048), `stopped after ${seen} chunks`);
    assert.ok(!fs.existsSync(path.join(tmp, 'cancelled')) || fs.readdirSync(path.join(tmp, 'cancelled')).length === 0);
  });

  it('rejects with clear errors: a missing model file, an unknown language, a bad job, a missing worker', async () => {
    await assert.rejects(
      startDiscovery(WORKER, { modelPath: path.join(tmp, 'nope.onnx'), texts, storeDir }).done,
      /nope\.onnx/,
    );
    await assert.rejects(
      startDiscovery(WORKER, { modelPath, texts: [{ name: 'x.cob', text: 'a', language: 'cobol' }], storeDir }).done,
      /x\.cob: unknown language 'cobol'/,
    );
    await assert.rejects(
      startDiscovery(WORKER, { modelPath, texts: 'abc' as never, storeDir }).done,
      /discovery job needs/,
    );
    await assert.rejects(
      startDiscovery(path.join(tmp, 'missing.js'), { modelPath, texts, storeDir }).done,
      /discovery worker .*missing\.js/,
    );
  });
});
