// How cells form during training: the fixed held-out sample, the features'
// best scores (as discovery scores them), the bounded snapshots, and the
// trainer calling back at every validation.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  FORMATION_SAMPLE_CHARS,
  MAX_SNAPSHOTS,
  SnapshotKeeper,
  featureBests,
  formationSample,
} from '../../../../src/core/training/cellFormation';
import { readModelFile } from '../../../../src/core/model/modelFile';
import { discoverCells } from '../../../../src/core/analysis/discoverCells';
import { train } from '../../../../src/core/training/trainer';
import { randomModel } from '../../../helpers/randomModel';

describe('cell formation', function () {
  this.timeout(60000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-formation-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const code = (k: number): string => `x${k} = "a b";  // note ${k}\nif (x${k}) {\n  y = 'c';\n}\n`;

  it('samples the held-out files in order up to the limit, with their languages', () => {
    const files = [
      { name: 'a.py', text: code(1).repeat(100) },
      { name: 'b.c', text: code(2).repeat(200) },
    ];
    const s = formationSample(files);
    assert.strictEqual(
      s.reduce((n, t) => n + t.text.length, 0),
      FORMATION_SAMPLE_CHARS,
    );
    assert.deepStrictEqual(
      s.map((t) => [t.name, t.language]),
      [
        ['a.py', 'python'],
        ['b.c', 'c'],
      ],
    );
    assert.deepStrictEqual(formationSample([]), []);
  });

  it("gives each feature's best cell score, the same as discovery's top cell", async () => {
    const model = randomModel({ layers: [{ kind: 'lstm', hidden: 12 }], embedding: 6, seed: 4 });
    const sample = formationSample([{ name: 'a.c', text: code(3).repeat(40) }]);
    const best = await featureBests(model, sample);
    const disc = await discoverCells(model, sample, { maxChars: FORMATION_SAMPLE_CHARS });
    assert.strictEqual(best.length, disc.discovery.features.length);
    for (const [k, f] of disc.discovery.features.entries())
      assert.strictEqual(best[k].score, f.skipped || f.top.length === 0 ? null : f.top[0].score, f.name);
    assert.ok(best.some((b) => b.score !== null && b.score > 0 && b.score <= 1));
  });

  it('keeps at most MAX_SNAPSHOTS, thinning the older ones and keeping the first and the newest', async () => {
    const model = randomModel({ layers: [{ kind: 'rnn', hidden: 4 }], seed: 1 });
    const keeper = new SnapshotKeeper(path.join(dir, 'run.snapshots'));
    const removed: number[] = [];
    for (let step = 10; step <= 120; step += 10) removed.push(...(await keeper.add(step, model)));
    const steps = keeper.snapshots.map((s) => s.step);
    assert.ok(steps.length <= MAX_SNAPSHOTS, `${steps.length} kept`);
    assert.strictEqual(steps[0], 10);
    assert.strictEqual(steps[steps.length - 1], 120);
    assert.deepStrictEqual(
      fs.readdirSync(keeper.dir).sort(),
      keeper.snapshots.map((s) => path.basename(s.path)).sort(),
    );
    assert.ok(keeper.snapshots.every((s) => path.basename(s.path) === `run-step-${s.step}.onnx`));
    assert.strictEqual(removed.length + steps.length, 12);
    assert.deepStrictEqual((await readModelFile(keeper.snapshots[0].path)).layers[0].kind, 'rnn');
  });

  it('the trainer calls back at every validation with the weights of that step', async () => {
    const seen: { step: number; val: number; hidden: number }[] = [];
    await train(
      {
        files: Array.from({ length: 4 }, (_, k) => ({ name: `f${k}.js`, text: code(k).repeat(20) })),
        hiddenSize: 8,
        embeddingSize: 4,
        seqLength: 8,
        batchSize: 4,
        maxSteps: 30,
        evalEvery: 10,
        threads: 1,
      },
      {
        onSnapshot: async ({ step, valBitsPerChar, model }) => {
          await new Promise((r) => setTimeout(r, 1)); // awaited: training waits for it
          seen.push({ step, val: valBitsPerChar, hidden: model.layers[0].hiddenSize });
        },
      },
    );
    assert.deepStrictEqual(
      seen.map((s) => [s.step, s.hidden]),
      [
        [10, 8],
        [20, 8],
        [30, 8],
      ],
    );
    assert.ok(seen.every((s) => Number.isFinite(s.val)));
  });
});
