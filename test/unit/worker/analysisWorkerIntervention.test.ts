// The analysis worker's interventions and gradient flow, through its real
// message protocol: results equal the in-process engine, edits keep flowing
// while a whole-document intervention computes, stale requests are cancelled.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { WorkerHandle } from '../../../src/worker/workerHandle';
import { writeModelFile } from '../../../src/core/model/modelFile';
import { DocumentAnalysis } from '../../../src/core/inference/documentAnalysis';
import { InterventionPlan, resolveInterventions } from '../../../src/core/inference/intervention';
import { SaliencyEngine } from '../../../src/core/inference/saliency';
import { indexText, offsetToStep } from '../../../src/core/text/textIndex';
import { AnalysisClient } from '../../../src/extension/workers/analysisClient';
import { randomModel, randomText } from '../../helpers/randomModel';
import { checkTensor } from '../../helpers/tensorCheck';
import { compiledWorker } from '../../helpers/compiledWorker';

const WORKER = compiledWorker('analysisWorker');

describe('analysis worker: interventions and gradient flow', function () {
  this.timeout(60000);
  const model = randomModel({
    layers: [
      { kind: 'lstm', hidden: 12 },
      { kind: 'gru', hidden: 8, linearBeforeReset: true },
    ],
    embedding: 6,
    seed: 21,
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-worker-iv-'));
  const modelPath = path.join(dir, 'm.onnx');
  let worker: WorkerHandle;
  let client: AnalysisClient;
  const text = randomText(3, 1200).replace(/\n/g, '\r\n');
  const cancelled = (err: Error & { cancelled?: boolean }): boolean => err.cancelled === true;

  before(async () => {
    await writeModelFile(model, modelPath);
    worker = new WorkerHandle(WORKER);
    client = new AnalysisClient(worker.worker);
    await client.call('loadModel', { path: modelPath, options: { checkpointEvery: 64, saliencyWindow: 40 } });
    await client.call('setDocument', { text, version: 1 });
  });
  after(async () => {
    assert.ok(await worker.stop(), 'the worker exits on its own after workerShutdown');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Surprisal of every step of `t` from an in-process analysis, clamped as asked (steps). */
  async function local(t: string, from?: number, to?: number): Promise<Float32Array> {
    const plan =
      from === undefined
        ? undefined
        : new InterventionPlan(model, resolveInterventions(model, [{ layer: 0, unit: 3, mode: 'zero', from, to }]));
    const d = new DocumentAnalysis(model, { intervention: plan });
    d.setSelection({ cells: [], surprisal: true });
    d.setText(t, 1);
    await d.idle();
    const s = d.store.surprisal!.slice();
    await d.dispose();
    return s;
  }

  it('intervenes on a range, and the surprisal without and with equals the in-process engine', async () => {
    const r = await client.call('intervene', {
      version: 1,
      interventions: [{ layer: 0, unit: 3, mode: 'zero', start: 100, end: 600 }],
    });
    assert.deepStrictEqual(r.described.length, 1);
    const res = await client.call('getIntervention', { version: 1 });
    const idx = indexText(text);
    const [a, b] = [offsetToStep(idx, 100), offsetToStep(idx, 599) + 1];
    assert.match(r.described[0], new RegExp(`L0 h,c\\[3\\] := 0 over ${a}–${b}`));
    assert.strictEqual(res.offsets.length, res.before.length + 1);
    assert.strictEqual(res.offsets[res.before.length], text.length);
    checkTensor(res.before, await local(text), 1e-4, 'before');
    checkTensor(res.after, await local(text, a, b), 1e-4, 'after');
    checkTensor(res.after.subarray(0, a + 1), res.before.subarray(0, a + 1), 1e-4, 'unchanged before the range');
  });

  it('follows edits; a request for an older version is cancelled', async () => {
    const edited = 'x = "q";\r\n' + text;
    const e = await client.call('edit', { version: 2, changes: [{ offset: 0, length: 0, text: 'x = "q";\r\n' }] });
    assert.strictEqual(e.version, 2);
    await assert.rejects(client.call('getIntervention', { version: 1 }), cancelled);
    const res = await client.call('getIntervention', { version: 2 });
    const idx = indexText(edited);
    checkTensor(res.before, await local(edited), 1e-4, 'before, edited');
    // the range moves with the text, as a selection would (the inserted line is 9 steps: CRLF is one)
    const [a, b] = [offsetToStep(indexText(text), 100) + 9, offsetToStep(indexText(text), 599) + 1 + 9];
    checkTensor(res.after, await local(edited, a, b), 1e-4, 'after, edited');
    assert.match(res.described[0], new RegExp(`over ${a}–${b}`));
    assert.strictEqual(res.offsets.length, idx.codePoints.length + 1);
  });

  it('guesses before and after, steered sampling, then undo', async () => {
    const n = await client.call('getInterventionNext', { version: 2, offset: 300, k: 3 });
    assert.strictEqual(n.before.top.length, 3);
    assert.strictEqual(n.after.top.length, 3);
    assert.notDeepStrictEqual(n.before.top, n.after.top);
    const plain = await client.call('sample', { length: 40, temperature: 0.7, seed: 5, prime: 'if (' });
    const steered = await client.call('sample', {
      length: 40,
      temperature: 0.7,
      seed: 5,
      prime: 'if (',
      intervened: true,
    });
    assert.notStrictEqual(plain.text, steered.text);
    await client.call('clearIntervention', {});
    await assert.rejects(client.call('getIntervention', { version: 2 }), /no intervention is active/);
    await assert.rejects(
      client.call('sample', { length: 5, temperature: 1, intervened: true }),
      /no intervention is active to sample with/,
    );
    await assert.rejects(
      client.call('intervene', { version: 2, interventions: [{ layer: 0, unit: 99, mode: 'zero' }] }),
      /cell 99 is outside layer 0/,
    );
  });

  it('compares with a second model: surprisal of both, guesses of both, and cells matched by correlation', async () => {
    const other = randomModel({
      layers: [
        { kind: 'rnn', hidden: 10 },
        { kind: 'lstm', hidden: 6 },
      ],
      embedding: 6,
      seed: 22,
      chars: [...model.vocab.chars].join(''),
    });
    const otherPath = path.join(dir, 'other.onnx');
    await writeModelFile(other, otherPath);
    const started = await client.call('compare', { version: 2, path: otherPath, name: 'other' });
    assert.deepStrictEqual(started.described, ['compared with other']);
    const res = await client.call('getComparison', { version: 2 });
    const edited = 'x = "q";\r\n' + text;
    checkTensor(res.before, await local(edited), 1e-4, 'A');
    const d = new DocumentAnalysis(other);
    d.setSelection({ cells: [], surprisal: true });
    d.setText(edited, 1);
    await d.idle();
    checkTensor(res.after, d.store.surprisal!, 1e-4, 'B');
    await d.dispose();
    const n = await client.call('getComparisonNext', { version: 2, offset: 40, k: 2 });
    assert.strictEqual(n.after.top.length, 2);
    const m = await client.call('matchCells', { version: 2, cells: [{ layer: 0, cell: 3, signal: 'c' }] });
    const match = m.matches[0].match!;
    assert.ok(match && Math.abs(match.r) <= 1 && ['h', 'c'].includes(match.signal), JSON.stringify(m));
    // against itself, every cell's best match is that cell, r = 1
    const selfPath = path.join(dir, 'self.onnx');
    await writeModelFile(model, selfPath);
    await client.call('compare', { version: 2, path: selfPath, name: 'self' });
    const self = await client.call('matchCells', {
      version: 2,
      cells: [
        { layer: 0, cell: 3, signal: 'c' },
        { layer: 1, cell: 5, signal: 'h' },
      ],
    });
    assert.deepStrictEqual(
      self.matches.map((x) => [x.match!.layer, x.match!.cell, x.match!.signal, Number(x.match!.r.toFixed(4))]),
      [
        [0, 3, 'c', 1],
        [1, 5, 'h', 1],
      ],
    );
    await client.call('clearComparison', {});
    await assert.rejects(client.call('getComparison', { version: 2 }), /no comparison is active/);
  });

  it('explains the prediction at the cursor as the in-process saliency engine does', async () => {
    const edited = 'x = "q";\r\n' + text;
    const r = await client.call('saliency', { version: 2, offset: 700 });
    const d = new DocumentAnalysis(model);
    d.setText(edited, 1);
    await d.idle();
    const at = offsetToStep(d.index, 699);
    const e = new SaliencyEngine(model, 40);
    const want = await e.explain(d.ids, at, (s) => d.stateAt(s));
    assert.strictEqual(r.at, d.index.starts[at]);
    assert.strictEqual(r.offsets.length, r.saliency.length + 1);
    assert.strictEqual(r.saliency.length, 41);
    checkTensor(r.saliency, want.saliency, 1e-6, 'saliency');
    checkTensor(r.layers[0].c!, want.layers[0].c!, 1e-6, 'c gradient');
    assert.strictEqual(r.layers[1].c, null);
    await e.dispose();
    await d.dispose();
    await assert.rejects(client.call('saliency', { version: 2, offset: 0 }), /no character before offset 0/);
    await assert.rejects(client.call('saliency', { version: 1, offset: 5 }), cancelled);
  });
});
