import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { discoverCells, discoveryKeyFor } from '../../../../src/core/analysis/discoverCells';
import { loadDiscovery, parseStored, saveDiscovery, toStored } from '../../../../src/core/analysis/discoveryStore';
import { buildReport } from '../../../../src/core/analysis/cellReport';
import { randomCharModel } from '../../../../src/core/model/randomModel';

describe('discovery store', function () {
  this.timeout(20000);
  const text = 'if (a) { s = "x"; } // note\n'.repeat(30);
  const chars = [...new Set(Array.from(text))];
  const model = randomCharModel({
    vocab: { chars },
    embeddingDim: 3,
    layers: [{ kind: 'lstm', hiddenSize: 4 }],
    seed: 2,
    scale: 2,
  });
  const texts = [{ name: 'a.c', text, language: 'c' }];
  let dir = '';
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lstm-lens-cells-'));
  });
  after(async () => fs.rm(dir, { recursive: true, force: true }));

  it('keys a result before running, and changes the key with the model or the sample', async () => {
    const res = await discoverCells(model, texts, { chunkSize: 200 });
    assert.strictEqual(discoveryKeyFor(model, texts).cacheKey, res.cacheKey);
    const other = randomCharModel({
      vocab: { chars },
      embeddingDim: 3,
      layers: [{ kind: 'lstm', hiddenSize: 4 }],
      seed: 3,
      scale: 2,
    });
    assert.notStrictEqual(discoveryKeyFor(other, texts).cacheKey, res.cacheKey);
    assert.notStrictEqual(discoveryKeyFor(model, [{ ...texts[0], text: text + ' ' }]).cacheKey, res.cacheKey);
    assert.notStrictEqual(discoveryKeyFor(model, texts, { maxChars: 100 }).cacheKey, res.cacheKey);
  });

  it('saves and loads a result that renders the same report', async () => {
    const res = await discoverCells(model, texts, { chunkSize: 200 });
    const stored = toStored(res, new Date('2026-01-02T03:04:05Z'));
    const file = await saveDiscovery(dir, stored);
    assert.strictEqual(path.basename(file), `${res.cacheKey}.json`);
    const back = await loadDiscovery(dir, res.cacheKey);
    assert.ok(back);
    assert.strictEqual(back.createdAt, '2026-01-02T03:04:05.000Z');
    assert.deepStrictEqual(back.saturation[0].gates.f.left, Array.from(res.saturation[0].gates.f.left));
    assert.strictEqual(buildReport(back), buildReport(res));
    assert.strictEqual(await loadDiscovery(dir, 'cells-v1-missing'), undefined);
    assert.deepStrictEqual(
      (await fs.readdir(dir)).filter((f) => f.endsWith('.tmp')),
      [],
    );
  });

  it('treats an older version as a miss and names a corrupt or mismatched file', async () => {
    assert.strictEqual(parseStored(JSON.stringify({ version: 0 }), 'old.json'), undefined);
    assert.throws(() => parseStored('{not json', 'bad.json'), /bad\.json: not JSON/);
    assert.throws(() => parseStored('[]', 'arr.json'), /arr\.json: not a stored cell discovery \(no version\)/);
    const res = await discoverCells(model, texts, { chunkSize: 200 });
    const stored = JSON.stringify(toStored(res));
    assert.throws(
      () => parseStored(stored, 'x.json', 'cells-other'),
      /x\.json: holds key cells-v\d+-[\w-]+, expected cells-other/,
    );
    await assert.rejects(saveDiscovery(dir, { ...toStored(res), cacheKey: '../escape' }), /not a plain file name/);
  });
});
