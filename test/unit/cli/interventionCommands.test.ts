// `run` and `sample` with --clamp / --ablate, and `saliency`, through the CLI.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../../src/cli/main';
import { writeModelFile } from '../../../src/core/model/modelFile';
import { referenceForward } from '../../../src/core/model/referenceForward';
import { Vocabulary } from '../../../src/core/model/vocab';
import type { RunResult } from '../../../src/cli/runRows';
import { randomModel } from '../../helpers/randomModel';
import { checkTensor } from '../../helpers/tensorCheck';
import { capture } from '../../helpers/cliCapture';

describe('lstm-lens run / sample with interventions, and saliency', function () {
  this.timeout(60000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-intervene-'));
  const modelPath = path.join(dir, 'm.onnx');
  const filePath = path.join(dir, 'a.txt');
  const model = randomModel({
    layers: [
      { kind: 'lstm', hidden: 8 },
      { kind: 'gru', hidden: 6, linearBeforeReset: true },
    ],
    embedding: 5,
    seed: 41,
  });
  const text = 'if (a) {\n\treturn "b";\n}\n' + 'x = "y";\n'.repeat(8);
  const vocab = new Vocabulary(model.vocab);
  const ids = vocab.encode(text);
  before(async () => {
    await writeModelFile(model, modelPath);
    fs.writeFileSync(filePath, text);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function run(extra: string[]): Promise<RunResult> {
    const io = capture();
    const argv = ['run', '--model', modelPath, '--file', filePath, '--layers', '0', '--cells', '2', '--json', ...extra];
    assert.strictEqual(await main(argv, io), 0, io.stderr.join('\n'));
    return JSON.parse(io.stdout.join('\n')) as RunResult;
  }

  it('run --clamp: the clamped unit reads V in the range, everything equals the clamped reference', async () => {
    const r = await run(['--clamp', '0:2=0.5@10-40']);
    assert.deepStrictEqual(r.interventions, [{ layer: 0, unit: 2, from: 10, to: 40, a: 0, hb: 0.5, cb: 0.5 }]);
    const ref = referenceForward(model, ids, {
      edit: (l, t, h, c) => {
        if (l === 0 && t >= 10 && t < 40) h[2] = c![2] = 0.5;
      },
    });
    const H = model.layers[0].hiddenSize;
    for (const s of ['h', 'c', 'i', 'f', 'o', 'g'] as const) {
      const want = Array.from(
        { length: ids.length },
        (_, t) => (ref.layers[0] as unknown as Record<string, Float32Array>)[s][t * H + 2],
      );
      checkTensor((r.layers[0] as unknown as Record<string, number[][]>)[s].flat(), want, 1e-4, s);
    }
    assert.deepStrictEqual(r.layers[0].h!.slice(10, 40).flat(), new Array(30).fill(0.5));
    const V = vocab.size;
    for (const t of [5, 20, 45, ids.length - 2]) {
      const row = Array.from(ref.logits.subarray(t * V, (t + 1) * V));
      const max = Math.max(...row);
      const bits = -(row[ids[t + 1]] - max - Math.log(row.reduce((a, v) => a + Math.exp(v - max), 0))) / Math.LN2;
      assert.ok(Math.abs(r.next[t].surprisal_bits! - bits) < 1e-3, `surprisal at ${t}`);
    }
    const plain = await run([]);
    assert.deepStrictEqual(plain.next.slice(0, 10), r.next.slice(0, 10), 'nothing changes before the range');
    assert.notDeepStrictEqual(plain.next.slice(10), r.next.slice(10));
  });

  it('run --ablate mean uses the mean over the file; flip negates', async () => {
    const plain = await run([]);
    const mean = plain.layers[0].h!.flat().reduce((a, v) => a + v, 0) / ids.length;
    const r = await run(['--ablate', '0:2:mean']);
    assert.ok(Math.abs((r.interventions![0].hb as number) - mean) < 1e-5);
    r.layers[0].h!.forEach((row) => assert.ok(Math.abs(row[0] - (r.interventions![0].hb as number)) < 1e-6));
    const flipped = await run(['--ablate', '0:2:flip@0-1']);
    assert.ok(Math.abs(flipped.layers[0].h![0][0] + plain.layers[0].h![0][0]) < 1e-6);
  });

  it('names bad interventions', async () => {
    const cases: [string[], RegExp][] = [
      [['--clamp', '0:99=1'], /cell 99 is outside layer 0 \(H = 8\)/],
      [['--clamp', '0:1'], /--clamp '0:1': not understood/],
      [['--ablate', '0:1:half'], /--ablate '0:1:half': not understood/],
      [['--ablate', '3:1'], /layer 3 does not exist/],
    ];
    for (const [extra, re] of cases) {
      const io = capture();
      assert.strictEqual(await main(['run', '--model', modelPath, '--file', filePath, ...extra], io), 2);
      assert.match(io.stderr.join('\n'), re);
    }
  });

  it('sample steers with a clamp, deterministically; mean ablation needs a prime', async () => {
    const sample = async (extra: string[]): Promise<string> => {
      const io = capture();
      const argv = ['sample', '--model', modelPath, '--temperature', '0.8', '--length', '60', '--seed', '3', ...extra];
      assert.strictEqual(await main(argv, io), 0, io.stderr.join('\n'));
      return io.stdout.join('\n');
    };
    const plain = await sample(['--prime', 'if (']);
    const steered = await sample(['--prime', 'if (', '--clamp', '1:0=1']);
    assert.strictEqual(steered, await sample(['--prime', 'if (', '--clamp', '1:0=1']));
    assert.notStrictEqual(steered, plain);
    // a clamp that starts after the last generated character changes nothing
    assert.strictEqual(await sample(['--prime', 'if (', '--clamp', '1:0=1@64-']), plain);
    const io = capture();
    assert.strictEqual(
      await main(['sample', '--model', modelPath, '--temperature', '1', '--length', '5', '--ablate', '0:0:mean'], io),
      2,
    );
    assert.match(io.stderr.join('\n'), /mean ablation takes the mean over --prime/);
  });

  it('saliency --json gives s_0 … s_N and per-layer norms; bad positions are refused', async () => {
    const io = capture();
    const at = 30;
    assert.strictEqual(
      await main(['saliency', '--model', modelPath, '--file', filePath, '--at', String(at), '--json'], io),
      0,
      io.stderr.join('\n'),
    );
    const r = JSON.parse(io.stdout.join('\n')) as {
      at: number;
      saliency: number[];
      target: string;
      target_is_guess: boolean;
      p: number;
      layers: { type: string; h: number[]; c?: number[] }[];
    };
    assert.strictEqual(r.at, at);
    assert.strictEqual(r.saliency.length, at + 1);
    assert.strictEqual(r.target, [...text][at + 1]);
    assert.strictEqual(r.target_is_guess, false);
    assert.ok(r.p > 0 && r.p < 1);
    assert.deepStrictEqual(
      r.layers.map((l) => [l.type, l.h.length, l.c?.length]),
      [
        ['lstm', at + 1, at + 1],
        ['gru', at + 1, undefined],
      ],
    );
    assert.ok(r.saliency.every((s) => Number.isFinite(s) && s >= 0) && r.saliency[at] > 0);
    const text2 = capture();
    assert.strictEqual(await main(['saliency', '--model', modelPath, '--file', filePath, '--at', '5'], text2), 0);
    assert.match(text2.stdout.join('\n'), /prediction after character 5 .* p = /);
    assert.match(text2.stdout.join('\n'), /gradient norm by distance/);
    for (const [argv, re] of [
      [['--at', '9999'], /--at 9999 is past the end of the file/],
      [['--at=-1'], /--at -1 is not valid/],
      [[], /--at N is required/],
    ] as [string[], RegExp][]) {
      const e = capture();
      assert.strictEqual(await main(['saliency', '--model', modelPath, '--file', filePath, ...argv], e), 2);
      assert.match(e.stderr.join('\n'), re);
    }
  });
});
