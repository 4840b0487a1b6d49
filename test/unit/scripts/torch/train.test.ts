import * as assert from 'assert';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readModelFile } from '../../../../src/core/model/modelFile';

// scripts/torch/train.py at tiny scale on CPU with Debian's PyTorch
// (scripts/setupTorch.sh installs it): train a few steps, export, and
// `lstm-lens run` on the exported file gives PyTorch's own activations.

const ROOT = path.join(__dirname, '..', '..', '..', '..', '..');
const PYTHON = '/usr/bin/python3';
const TRAIN = path.join(ROOT, 'scripts', 'torch', 'train.py');
const ACTIVATIONS = path.join(ROOT, 'test', 'unit', 'scripts', 'torch', 'torchActivations.py');
const CLI = path.join(ROOT, 'bin', 'lstm-lens');
const ENV = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' };

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = ENV): Promise<Run> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { env });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const lastJson = <T>(out: string): T => JSON.parse(out.trim().split('\n').pop()!) as T;

describe('scripts/torch/train.py (PyTorch trainer, ONNX export)', function () {
  this.timeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-torch-'));
  const corpus = path.join(dir, 'corpus');
  const sample = path.join(dir, 'sample.txt');
  before(function () {
    const torch = spawnSync(PYTHON, ['-c', 'import torch, onnx'], { encoding: 'utf8' });
    assert.strictEqual(torch.status, 0, `${PYTHON} needs torch and onnx (bash scripts/setupTorch.sh): ${torch.stderr}`);
    fs.mkdirSync(corpus);
    // A few files of this repository's own code, so that some can be held out by file.
    for (const f of ['trainer.ts', 'textBatches.ts', 'adam.ts', 'corpusSplit.ts', 'modelParams.ts']) {
      fs.copyFileSync(path.join(ROOT, 'src', 'core', 'training', f), path.join(corpus, f));
    }
    fs.writeFileSync(sample, 'for (let t = 0; t < T; t++) {\n  x[t] = "é";\n}\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const tiny = ['--hidden', '12', '--embedding', '5', '--seq', '16', '--batch', '3', '--threads', '1'];

  for (const [kind, layers] of [
    ['lstm', '2'],
    ['gru', '1'],
    ['rnn', '2'],
  ] as const) {
    it(`${kind} × ${layers}: trains, exports, and lstm-lens run gives PyTorch's h${kind === 'lstm' ? ' and c' : ''}`, async () => {
      const out = path.join(dir, `${kind}.onnx`);
      const args = [TRAIN, '--files', corpus, '--out', out, '--kind', kind, '--layers', layers, '--steps', '12'];
      const r = await run(PYTHON, [...args, '--eval-every', '6', ...tiny]);
      assert.strictEqual(r.code, 0, r.stderr);
      const summary = lastJson<{ val_bits_per_char: number; steps: number; chars: number }>(r.stdout);
      assert.strictEqual(summary.steps, 12);
      assert.strictEqual(summary.chars, 12 * 16 * 3);
      assert.ok(summary.val_bits_per_char > 0 && summary.val_bits_per_char < 7, r.stdout);

      const model = await readModelFile(out);
      assert.strictEqual(model.layers.length, Number(layers));
      assert.ok(model.layers.every((l) => l.kind === kind && l.hiddenSize === 12));
      assert.ok(['6', '12'].includes(model.metadata['lstm_lens.steps']), 'written at a validation step');
      assert.match(model.metadata['lstm_lens.trainer'], /scripts\/torch\/train\.py/);

      const torch = await run(PYTHON, [ACTIVATIONS, `${out}.pt`, sample]);
      assert.strictEqual(torch.code, 0, torch.stderr);
      const expected = JSON.parse(torch.stdout) as { ids: number[]; layers: { h: number[][]; c?: number[][] }[] };
      const lens = await run(process.execPath, [CLI, 'run', '--model', out, '--file', sample, '--json', '--top', '1']);
      assert.strictEqual(lens.code, 0, lens.stderr);
      const got = JSON.parse(lens.stdout) as { chars: number; layers: Record<string, number[][]>[] };
      assert.strictEqual(got.chars, expected.ids.length);
      let worst = 0;
      expected.layers.forEach((layer, l) => {
        for (const signal of ['h', 'c'] as const) {
          const want = layer[signal];
          if (!want) continue;
          want.forEach((row, t) =>
            row.forEach((v, j) => {
              const err = Math.abs(got.layers[l][signal][t][j] - v);
              worst = Math.max(worst, err);
              assert.ok(
                err < 1e-4,
                `layer ${l} ${signal}[${t}][${j}]: lstm-lens ${got.layers[l][signal][t][j]}, PyTorch ${v}`,
              );
            }),
          );
        }
      });
      assert.ok(worst < 1e-4);
    });
  }

  it('continues from its checkpoint (--init) with the same shape and vocabulary', async () => {
    const first = path.join(dir, 'lstm.onnx');
    const out = path.join(dir, 'continued.onnx');
    const r = await run(PYTHON, [
      TRAIN,
      '--files',
      corpus,
      '--out',
      out,
      '--init',
      `${first}.pt`,
      '--steps',
      '4',
      ...tiny,
    ]);
    assert.strictEqual(r.code, 0, r.stderr);
    const [a, b] = await Promise.all([readModelFile(first), readModelFile(out)]);
    assert.deepStrictEqual(b.vocab, a.vocab);
    assert.strictEqual(b.layers.length, 2);
  });

  it('trains with DistributedDataParallel over two processes (Gloo, the env torchrun sets)', async () => {
    const out = path.join(dir, 'ddp.onnx');
    const port = String(20000 + (process.pid % 20000));
    const ranks = [0, 1].map((rank) =>
      run(PYTHON, [TRAIN, '--files', corpus, '--out', out, '--steps', '6', '--eval-every', '3', ...tiny], {
        ...ENV,
        WORLD_SIZE: '2',
        RANK: String(rank),
        LOCAL_RANK: String(rank),
        MASTER_ADDR: '127.0.0.1',
        MASTER_PORT: port,
      }),
    );
    const [r0, r1] = await Promise.all(ranks);
    assert.strictEqual(r0.code, 0, r0.stderr);
    assert.strictEqual(r1.code, 0, r1.stderr);
    assert.match(r0.stdout, /2 process\(es\)/);
    const summary = lastJson<{ steps: number; chars: number }>(r0.stdout);
    assert.deepStrictEqual([summary.steps, summary.chars], [6, 6 * 16 * 3 * 2]);
    assert.strictEqual(r1.stdout.trim(), '', 'only rank 0 reports and exports');
    assert.strictEqual((await readModelFile(out)).layers[0].kind, 'lstm');
  });

  it('refuses bad input with a clear message', async () => {
    const noStop = await run(PYTHON, [TRAIN, '--files', corpus, '--out', path.join(dir, 'x.onnx')]);
    assert.notStrictEqual(noStop.code, 0);
    assert.match(noStop.stderr, /give --steps or --seconds/);
    const missing = await run(PYTHON, [TRAIN, '--files', path.join(dir, 'nope'), '--out', 'x.onnx', '--steps', '1']);
    assert.notStrictEqual(missing.code, 0);
    assert.match(missing.stderr, /nope: no such file or folder/);
  });
});
