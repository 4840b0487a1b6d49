import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeModelFile } from '../../../../src/core/model/modelFile';
import { DocumentAnalysis } from '../../../../src/core/inference/documentAnalysis';
import { AnalysisSession, isCancelled } from '../../../../src/extension/lens/analysisSession';
import { VALUE_CURRENT } from '../../../../src/protocol/analysisProtocol';
import type { ValuesResult } from '../../../../src/protocol/analysisProtocol';
import { randomModel, randomText } from '../../../helpers/randomModel';
import { checkTensor } from '../../../helpers/tensorCheck';
import { compiledWorker } from '../../../helpers/compiledWorker';

const WORKER = compiledWorker('analysisWorker');

describe('analysis session (worker client)', function () {
  this.timeout(30000);
  const model = randomModel({ layers: [{ kind: 'lstm', hidden: 12 }], embedding: 6, seed: 5 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-client-'));
  const modelPath = path.join(dir, 'm.onnx');
  const pushed: ValuesResult[] = [];
  let crashes: string[] = [];
  let session: AnalysisSession;
  const sel = { cells: [{ layer: 0, cell: 4, signals: ['h' as const, 'c' as const] }], surprisal: false };

  before(async () => {
    await writeModelFile(model, modelPath);
    session = new AnalysisSession(WORKER, { onValues: (v) => pushed.push(v), onCrash: (m) => crashes.push(m) });
  });
  after(async () => {
    await session.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  // The first push of the range with every value exact (a draft push may come before it).
  const nextPush = async (version: number, start: number): Promise<ValuesResult> => {
    for (let i = 0; i < 500; i++) {
      const v = pushed.find(
        (p) => p.version === version && p.offsets[0] === start && p.valid.every((x) => x === VALUE_CURRENT),
      );
      if (v) return v;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no values pushed for version ${version}`);
  };

  it('refuses document requests before a model is loaded', async () => {
    await assert.rejects(() => session.setDocument('a', 'x'), /no model loaded yet/);
  });

  it('numbers texts itself, pushes the visible range, and the values equal the in-process engine', async () => {
    const info = await session.loadModel(modelPath, { checkpointEvery: 64 });
    assert.strictEqual(info.layers[0].hiddenSize, 12);
    await session.select(sel);
    const text = randomText(5, 1500);
    const a = await session.setDocument('file:///a.c', text);
    const b = await session.setDocument('file:///b.c', text);
    assert.strictEqual(b.version, a.version + 1, 'a new document is a new version even if VS Code numbers both 1');
    await session.setVisible(100, 300);
    const v = await nextPush(b.version, 100);
    assert.strictEqual(v.offsets[0], 100);
    const local = new DocumentAnalysis(model, { checkpointEvery: 64 });
    local.setSelection(sel);
    local.setText(text, 1);
    await local.idle();
    const c = v.series.find((s) => s.signal === 'c')!;
    const step = local.index.starts.indexOf(100); // the random text has surrogate pairs and CRLF: steps differ from offsets
    assert.ok(step > 0);
    checkTensor(c.values, local.store.series.get('0:4:c')!.subarray(step, step + c.values.length), 1e-6, 'c');
    await local.dispose();
  });

  it('drops pushes and cancels requests of older versions after an edit', async () => {
    const before = session.version;
    const stale = session.getWindow(0, 0, 10);
    const e = await session.edit([{ offset: 0, length: 0, text: 'int x = "s";\n' }]);
    assert.strictEqual(e.version, before + 1);
    // The window request was sent for the previous version, before the edit: it is answered for that version.
    await stale.then(
      (w) => assert.strictEqual(w.version, before),
      (err) => assert.ok(isCancelled(err), String(err)),
    );
    await assert.rejects(
      () => session['ready']().call('getValues', { version: before, start: 0, end: 5 }),
      (err: unknown) => isCancelled(err),
    );
    await session.setVisible(0, 40);
    await nextPush(e.version, 0);
    assert.ok(pushed.every((p) => p.version <= e.version));
    const n = await session.getNext(8, 3);
    assert.strictEqual(n.top.length, 3);
    assert.ok(n.surprisalBits !== null && n.surprisalBits >= 0);
  });

  it('reports a bad model file with its reason', async () => {
    const bad = path.join(dir, 'bad.onnx');
    fs.writeFileSync(bad, 'not onnx at all');
    await assert.rejects(
      () => session.loadModel(bad),
      (e: Error) => e.message.length > 10 && !isCancelled(e),
    );
    const missing = path.join(dir, 'missing.onnx');
    await assert.rejects(() => session.loadModel(missing), /missing\.onnx|ENOENT|no such file/);
  });

  it('survives the worker dying: pending calls fail, the next call starts a new worker with the model', async () => {
    await session.loadModel(modelPath);
    crashes = [];
    // A long job, then the worker dies mid-run. Not by terminate() (that aborts the whole process
    // during an onnxruntime call): a shutdown with exit code 1 makes it exit by process.exit(1)
    // from inside, after refusing further onnxruntime calls and releasing its sessions.
    const pending = session.sample(1_000_000, 1).then(
      () => new Error('finished'),
      (e: Error) => e,
    );
    await new Promise((r) => setTimeout(r, 300));
    const handle = session['handle']!;
    handle.worker.postMessage({ kind: 'workerShutdown', exitCode: 1 });
    assert.strictEqual(await handle.exited, 1);
    assert.match((await pending).message, /exited with code 1|shutting down/);
    assert.match(crashes[0], /exited with code 1/);
    assert.strictEqual(session.documentKey, undefined, 'the caller must re-send its document');
    const r = await session.setDocument('file:///a.c', 'hello "world"\n');
    assert.strictEqual(r.steps, 14);
    const sample = await session.sample(20, 1, 'ab', 7);
    assert.strictEqual([...sample].length, 20);
  });

  it('dispose asks the worker to release its sessions and exit', async () => {
    const s = new AnalysisSession(WORKER);
    await s.loadModel(modelPath);
    const h = s['handle']!;
    const stopped = new Promise<unknown>((resolve) =>
      h.worker.on('message', (m: { kind?: string }) => m.kind === 'workerStopped' && resolve(m)),
    );
    await s.dispose();
    assert.ok(h.hasExited, 'dispose resolves once the worker has exited');
    assert.strictEqual(await h.exited, 0);
    assert.deepStrictEqual(await stopped, {
      kind: 'workerStopped',
      ortInFlight: 0,
      ortSessions: 0,
      releasedLeftovers: 0,
    });
    await assert.rejects(() => s.loadModel(modelPath), /disposed/);
  });
});
