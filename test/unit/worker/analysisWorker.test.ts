import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { WorkerHandle } from '../../../src/worker/workerHandle';
import { writeModelFile } from '../../../src/core/model/modelFile';
import { DocumentAnalysis } from '../../../src/core/inference/documentAnalysis';
import { layerWindow } from '../../../src/core/inference/windowQueries';
import { AnalysisClient } from '../../../src/extension/workers/analysisClient';
import type { SelectionSpec, VisibleValuesMessage } from '../../../src/protocol/analysisProtocol';
import { randomModel, randomText } from '../../helpers/randomModel';
import { checkTensor } from '../../helpers/tensorCheck';
import { compiledWorker } from '../../helpers/compiledWorker';

const WORKER = compiledWorker('analysisWorker');

describe('analysis worker', function () {
  this.timeout(30000);
  const model = randomModel({
    layers: [
      { kind: 'lstm', hidden: 16 },
      { kind: 'gru', hidden: 8, linearBeforeReset: true },
    ],
    embedding: 8,
    seed: 12,
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-worker-'));
  const modelPath = path.join(dir, 'm.onnx');
  let worker: WorkerHandle;
  let client: AnalysisClient;
  const events: unknown[] = [];
  const sel: SelectionSpec = {
    cells: [
      { layer: 0, cell: 3, signals: ['h', 'c', 'f'] },
      { layer: 1, cell: 2, signals: ['z', 'n'] },
    ],
    surprisal: true,
  };
  const text = randomText(8, 3000).replace(/\n/g, '\r\n');

  before(async () => {
    await writeModelFile(model, modelPath);
    worker = new WorkerHandle(WORKER);
    client = new AnalysisClient(worker.worker);
    client.onEvent = (m) => events.push(m);
  });
  after(async () => {
    assert.ok(await worker.stop(), 'the worker exits on its own after workerShutdown');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('loads a model, pushes the visible range, then answers values equal to the in-process engine', async () => {
    const info = await client.call('loadModel', { path: modelPath, options: { checkpointEvery: 100 } });
    assert.deepStrictEqual(
      info.layers.map((l) => [l.kind, l.hiddenSize]),
      [
        ['lstm', 16],
        ['gru', 8],
      ],
    );
    await client.call('select', { selection: sel });
    const visibleValues = new Promise<VisibleValuesMessage>((resolve) => {
      const prev = client.onEvent!;
      client.onEvent = (m) => {
        prev(m);
        if (m.kind === 'values') resolve(m);
      };
    });
    const r = await client.call('setDocument', { text, version: 1 });
    await client.call('setVisible', { version: 1, start: 2000, end: 2500 });
    assert.strictEqual(r.version, 1);
    const pushed = (await visibleValues).values;
    assert.ok(pushed.valid.every((v) => v === 1));
    assert.strictEqual(pushed.offsets[0], 2000);

    const local = new DocumentAnalysis(model, { checkpointEvery: 100 });
    local.setSelection(sel);
    local.setText(text, 1);
    await local.idle();
    const a = local.index.starts.indexOf(2000);
    for (const s of pushed.series) {
      const expect = local.store.series.get(`${s.layer}:${s.cell}:${s.signal}`)!;
      checkTensor(s.values, expect.subarray(a, a + s.values.length), 1e-6, `pushed ${s.signal}`);
    }
    // Wait for the whole pass, then ask for everything.
    while (
      !(events as { kind: string; finished?: boolean; version?: number }[]).some(
        (e) => e.kind === 'progress' && e.finished && e.version === 1,
      )
    ) {
      await new Promise((res) => setTimeout(res, 20));
    }
    const all = await client.call('getValues', { version: 1, start: 0, end: text.length });
    assert.strictEqual(all.offsets.length, local.ids.length + 1);
    assert.ok(all.valid.every((v) => v === 1));
    checkTensor(all.surprisal!, local.store.surprisal!, 1e-6, 'surprisal');

    const w = await client.call('getWindow', { version: 1, layer: 0, start: 600, end: 700 });
    const lw = await layerWindow(
      local,
      0,
      local.index.starts.indexOf(600),
      local.index.starts.indexOf(600) + w.offsets.length - 1,
    );
    checkTensor(w.signals.g!, lw.signals.g!, 1e-6, 'window g');
    await local.dispose();
  });

  it('applies edits, answers next-char queries, samples, and refuses stale versions', async () => {
    const e = await client.call('edit', {
      version: 2,
      changes: [
        { offset: 10, length: 2, text: 'hello' },
        { offset: 0, length: 0, text: '😀' },
      ],
    });
    assert.strictEqual(e.version, 2);
    const expected = '😀' + text.slice(0, 10) + 'hello' + text.slice(12);
    const next = await client.call('getNext', { version: 2, offset: 2, k: 3 });
    assert.strictEqual(next.top.length, 3);
    assert.ok(next.top[0].p >= next.top[1].p && next.top[1].p >= next.top[2].p);
    const local = new DocumentAnalysis(model);
    local.setText(expected, 2);
    const { nextAfter } = await import('../../../src/core/inference/windowQueries');
    const ln = await nextAfter(local, 1, 3);
    assert.deepStrictEqual(
      next.top.map((t) => t.char),
      ln.top.map((t) => t.char),
    );
    await local.dispose();
    await assert.rejects(
      client.call('getValues', { version: 1, start: 0, end: 10 }),
      (err: Error & { cancelled?: boolean }) => err.cancelled === true,
    );
    const s1 = await client.call('sample', { length: 20, temperature: 0.8, seed: 3, prime: 'ab' });
    const s2 = await client.call('sample', { length: 20, temperature: 0.8, seed: 3, prime: 'ab' });
    assert.strictEqual(s1.text, s2.text);
    assert.strictEqual([...s1.text].length, 20);
  });

  it('with an on-screen range: pushes once the screen is current (margin still invalid), then again with the margin', async () => {
    const pushes: VisibleValuesMessage[] = [];
    const prev = client.onEvent!;
    client.onEvent = (m) => {
      prev(m);
      if (m.kind === 'values') pushes.push(m);
    };
    const cur = await client.call('getValues', { version: 2, start: 0, end: 1 });
    assert.strictEqual(cur.version, 2);
    // Screen 2000..2100 inside a margin 1200..2900; a new selection makes every value stale.
    await client.call('setVisible', { version: 2, start: 1200, end: 2900, viewStart: 2000, viewEnd: 2100 });
    pushes.length = 0;
    await client.call('select', { selection: { cells: [{ layer: 0, cell: 5, signals: ['o'] }], surprisal: false } });
    const t0 = Date.now();
    while (pushes.length < 2 && Date.now() - t0 < 20000) await new Promise((res) => setTimeout(res, 10));
    client.onEvent = prev;
    assert.strictEqual(pushes.length, 2, `pushes: ${pushes.length}`);
    const [first, second] = pushes.map((m) => m.values);
    const screen = (v: typeof first): number[] => [
      ...v.valid.subarray(
        v.offsets.findIndex((o) => o >= 2000),
        v.offsets.findIndex((o) => o >= 2100),
      ),
    ];
    assert.ok(first.offsets[0] <= 1200 && first.offsets[0] >= 1199, `range starts at ${first.offsets[0]}`); // 1199 if 1200 is inside a CRLF
    assert.ok(
      screen(first).every((x) => x === 1),
      'the screen is current in the first push',
    );
    assert.ok(
      first.valid.some((x) => x === 0),
      'the first push comes before the margin is done',
    );
    assert.ok(
      second.valid.every((x) => x === 1),
      'the second push has the whole range',
    );
    assert.deepStrictEqual(
      second.series.map((s) => s.signal),
      ['o'],
    );
  });

  it('names the problem for a missing model file and bad requests', async () => {
    await assert.rejects(client.call('loadModel', { path: path.join(dir, 'nope.onnx') }), /nope\.onnx/);
    await assert.rejects(
      client.call('getWindow', { version: 2, layer: 5, start: 0, end: 10 }),
      /layer 5 does not exist/,
    );
    await assert.rejects(
      client.call('edit', { version: 3, changes: [{ offset: 1e9, length: 0, text: 'x' }] }),
      /outside the document/,
    );
  });
});
