import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { WorkerHandle } from '../../../src/worker/workerHandle';
import { writeModelFile } from '../../../src/core/model/modelFile';
import { DocumentAnalysis } from '../../../src/core/inference/documentAnalysis';
import { seriesKey } from '../../../src/core/inference/cellSelection';
import { AnalysisClient } from '../../../src/extension/workers/analysisClient';
import { VALUE_CURRENT, VALUE_DRAFT, VALUE_STALE } from '../../../src/protocol/analysisProtocol';
import type { ValuesResult } from '../../../src/protocol/analysisProtocol';
import { randomModel } from '../../helpers/randomModel';
import { compiledWorker } from '../../helpers/compiledWorker';

// After an edit the worker paints from the edit outward: first a push where
// the edited line is current and the rest of the screen keeps its values
// from before the edit (marked stale), then the rest of the screen from the
// int8 draft, then the whole screen current; the values it ends with are
// those of a fresh analysis of the new text. A document just opened is
// painted from the draft first too.

const WORKER = compiledWorker('analysisWorker');

describe('analysis worker: progressive paint after an edit or an open', function () {
  this.timeout(30000);
  const model = randomModel({ layers: [{ kind: 'lstm', hidden: 24 }], embedding: 6, seed: 5, scale: 1 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-paint-'));
  const modelPath = path.join(dir, 'm.onnx');
  const line = (k: number): string => `    const value${k} = compute(${k}, "text of line ${k}");`;
  const lines = Array.from({ length: 200 }, (_, k) => line(k));
  const text = lines.join('\n') + '\n';
  const offsetOfLine = (n: number): number => lines.slice(0, n).reduce((s, l) => s + l.length + 1, 0);
  let worker: WorkerHandle;
  let client: AnalysisClient;
  const pushes: ValuesResult[] = [];

  before(async () => {
    await writeModelFile(model, modelPath);
    worker = new WorkerHandle(WORKER);
    client = new AnalysisClient(worker.worker);
    client.onEvent = (m) => {
      if (m.kind === 'values') pushes.push(m.values);
    };
  });
  after(async () => {
    await worker.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Asserts that the worker's values for `version` are those of a fresh
   * in-process analysis of `t`; returns them (c of cell 7, per step).
   */
  const expectFresh = async (version: number, t: string): Promise<Float32Array> => {
    const got = await client.call('getValues', { version, start: 0, end: t.length });
    const fresh = new DocumentAnalysis(model, { checkpointEvery: 64 });
    fresh.setSelection({ cells: [{ layer: 0, cell: 7, signals: ['c'] }], surprisal: false });
    fresh.setText(t, 1);
    await fresh.idle();
    const want = fresh.store.series.get(seriesKey(0, 7, 'c'))!.slice();
    await fresh.dispose();
    const have = got.series[0].values;
    assert.strictEqual(have.length, want.length);
    let worst = 0;
    for (let j = 0; j < want.length; j++) worst = Math.max(worst, Math.abs(have[j] - want[j]));
    assert.ok(worst < 1e-5, `max difference from a fresh analysis ${worst}`);
    return want;
  };

  const idle = async (version: number): Promise<void> => {
    for (;;) {
      try {
        await client.call('getValues', { version, start: text.length - 2, end: text.length - 1 });
        const v = await client.call('getValues', { version, start: 0, end: text.length });
        if (v.valid.every((x) => x === VALUE_CURRENT)) return;
      } catch {
        // not there yet
      }
      await new Promise((res) => setTimeout(res, 20));
    }
  };

  it('pushes the edited line first, the screen below it stale, then drafted, then all of it current and equal to a fresh analysis', async () => {
    await client.call('loadModel', { path: modelPath, options: { checkpointEvery: 64 } });
    await client.call('select', { selection: { cells: [{ layer: 0, cell: 7, signals: ['c'] }], surprisal: false } });
    await client.call('setDocument', { text, version: 1 });
    const [v0, v1] = [offsetOfLine(60), offsetOfLine(110)];
    await client.call('setVisible', {
      version: 1,
      start: offsetOfLine(50),
      end: offsetOfLine(120),
      viewStart: v0,
      viewEnd: v1,
    });
    await idle(1);
    pushes.length = 0;

    const at = offsetOfLine(80) + 6;
    await client.call('edit', { version: 2, changes: [{ offset: at, length: 0, text: 'x' }] });
    const after = text.slice(0, at) + 'x' + text.slice(at);
    await idle(2);

    const mine = pushes.filter((p) => p.version === 2);
    assert.ok(mine.length >= 2, `pushes for the edit: ${mine.length}`);
    const stepsOf = (p: ValuesResult, from: number, to: number): number[] => {
      const out: number[] = [];
      for (let i = 0; i + 1 < p.offsets.length; i++)
        if (p.offsets[i] >= from && p.offsets[i] < to) out.push(p.valid[i]);
      return out;
    };
    const lineEnd = after.indexOf('\n', at) + 1;
    const first = mine[0];
    assert.ok(
      stepsOf(first, offsetOfLine(80), lineEnd).every((x) => x === VALUE_CURRENT),
      'the edited line is current in the first push',
    );
    const below = stepsOf(first, lineEnd, v1 + 1);
    assert.ok(below.includes(VALUE_STALE), 'the screen below the edited line still shows its old values');
    assert.ok(!below.includes(0), 'nothing on screen is blank meanwhile');
    assert.ok(
      stepsOf(first, v0, offsetOfLine(80)).every((x) => x === VALUE_CURRENT),
      'above the edit is current',
    );
    const screenAt = mine.findIndex((p) => stepsOf(p, v0, v1 + 1).every((x) => x === VALUE_CURRENT));
    assert.ok(screenAt > 0, 'a later push has the whole screen current');
    const draftAt = mine.findIndex((p) => stepsOf(p, lineEnd, v1 + 1).includes(VALUE_DRAFT));
    assert.ok(
      draftAt > 0 && draftAt < screenAt,
      `the draft push (${draftAt}) comes between the line (0) and the screen (${screenAt})`,
    );
    const drafted = mine[draftAt];
    assert.ok(
      stepsOf(drafted, v0, v1 + 1).every((x) => x === VALUE_CURRENT || x === VALUE_DRAFT),
      'the draft push paints the whole screen: current above, drafted below',
    );

    // The values the worker ends with are a fresh analysis of the new text.
    const want = await expectFresh(2, after);
    // The draft was close to those values.
    let sum = 0;
    let n = 0;
    for (let i = 0; i + 1 < drafted.offsets.length; i++) {
      if (drafted.valid[i] !== VALUE_DRAFT) continue;
      const t = drafted.offsets[i]; // one UTF-16 unit per step in this text
      sum += Math.abs(drafted.series[0].values[i] - want[t]);
      n++;
    }
    assert.ok(n > 100 && sum / n < 0.05, `mean |draft - exact| ${sum / n} over ${n} steps`);
  });

  it('paints a document just opened from the draft first, then current, ending on a fresh analysis', async () => {
    const other = Array.from({ length: 150 }, (_, k) => `let item${k} = [${k}, 'entry ${k}'];`).join('\n') + '\n';
    const lineAt = (n: number): number => other.split('\n').slice(0, n).join('\n').length + 1;
    pushes.length = 0;
    await client.call('setDocument', { text: other, version: 3 });
    const [v0, v1] = [0, lineAt(45)];
    await client.call('setVisible', { version: 3, start: 0, end: lineAt(60), viewStart: v0, viewEnd: v1 });
    for (;;) {
      const v = await client.call('getValues', { version: 3, start: 0, end: other.length }).catch(() => null);
      if (v && v.valid.every((x) => x === VALUE_CURRENT)) break;
      await new Promise((res) => setTimeout(res, 20));
    }
    const mine = pushes.filter((p) => p.version === 3);
    const onScreen = (p: ValuesResult): number[] => {
      const out: number[] = [];
      for (let i = 0; i + 1 < p.offsets.length; i++) if (p.offsets[i] >= v0 && p.offsets[i] < v1) out.push(p.valid[i]);
      return out;
    };
    const draftAt = mine.findIndex((p) => onScreen(p).includes(VALUE_DRAFT));
    const screenAt = mine.findIndex((p) => onScreen(p).every((x) => x === VALUE_CURRENT));
    assert.ok(draftAt >= 0, `a push paints the screen from the draft (pushes: ${mine.length})`);
    assert.ok(screenAt > draftAt, `the draft push (${draftAt}) comes before the screen is current (${screenAt})`);
    assert.ok(
      onScreen(mine[draftAt]).every((x) => x === VALUE_CURRENT || x === VALUE_DRAFT),
      'the draft push paints all of the screen',
    );
    await expectFresh(3, other);
  });
});
