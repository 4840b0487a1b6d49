import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../../src/cli/main';
import type { CellProfile } from '../../../src/core/analysis/cellProfile';
import { writeModelFile } from '../../../src/core/model/modelFile';
import { randomCharModel } from '../../../src/core/model/randomModel';
import { capture } from '../../helpers/cliCapture';

type CellJson = CellProfile & { model: string; seconds: number };

describe('lstm-lens cell', function () {
  this.timeout(30000);
  let dir = '';
  let modelPath = '';
  // Code points beyond the BMP before the strings: offsets and columns count code points.
  const text = '// 😀 ok\nconst s = "xy"; // c\nif (a) {\n  b("y");\n}\n'.repeat(15);
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lstm-lens-cell-'));
    const chars = Array.from(
      new Set(Array.from(' \n\t!"#%&\'()*+,-./0123456789:;<=>?[]{}_abcdefghijklmnopqrstuvwxyz😀')),
    );
    modelPath = path.join(dir, 'tiny.onnx');
    await writeModelFile(
      randomCharModel({
        vocab: { chars },
        embeddingDim: 4,
        layers: [{ kind: 'lstm', hiddenSize: 6 }],
        seed: 5,
        scale: 3,
      }),
      modelPath,
    );
    await fs.mkdir(path.join(dir, 'src'));
    await fs.writeFile(path.join(dir, 'src', 'a.js'), text);
  });
  after(async () => fs.rm(dir, { recursive: true, force: true }));

  it('prints the page as JSON: top places sorted by value, with file, code-point offset, line, column and excerpt', async () => {
    const io = capture();
    assert.strictEqual(
      await main(['cell', '--model', modelPath, '--cell', '0:3', '--json', '--top', '5', path.join(dir, 'src')], io),
      0,
    );
    const page = JSON.parse(io.stdout.join('\n')) as CellJson;
    assert.deepStrictEqual(page.cell, { layer: 0, unit: 3, signal: 'c' }, 'c by default on an LSTM layer');
    assert.strictEqual(page.top.length, 5);
    const cps = Array.from(text);
    for (let i = 0; i < page.top.length; i++) {
      const p = page.top[i];
      if (i > 0) assert.ok(page.top[i - 1].value >= p.value);
      assert.strictEqual(path.basename(p.file), 'a.js');
      const before = cps.slice(0, p.offset).join('').split('\n');
      assert.strictEqual(p.line, before.length);
      assert.strictEqual(p.column, Array.from(before[before.length - 1]).length + 1);
      assert.strictEqual(p.excerpt, cps.slice(p.excerptStart, p.offset + 21).join(''));
    }
    assert.ok(page.intervals.length === 5 && page.histogram.counts.length === 40);
    assert.ok(page.prediction && page.prediction.up.length === 8);
    assert.ok(page.gates.forgetMean !== undefined && page.gates.timescale !== undefined);
  });

  it('prints a readable page', async () => {
    const io = capture();
    assert.strictEqual(
      await main(['cell', '--model', modelPath, '--cell', 'L0#2', '--signal', 'h', path.join(dir, 'src', 'a.js')], io),
      0,
    );
    const out = io.stdout.join('\n');
    assert.ok(
      out.startsWith(`tiny.onnx L0 h[2] (LSTM): ${Array.from(text).length} characters of 1 file`),
      out.slice(0, 80),
    );
    assert.match(out, /^Top \d+ places:/m);
    assert.match(out, /a\.js:\d+:\d+/);
    assert.match(out, /^Interval /m);
    assert.match(out, /^Pushes up the next character: /m);
    assert.match(out, /timescale −1\/ln f̄ ≈ [\d.]+ characters/);
  });

  it('refuses a missing or impossible cell and a bad signal with exit 2, naming the option', async () => {
    for (const [args, message] of [
      [['--model', modelPath, dir], /--cell L:K is required/],
      [['--model', modelPath, '--cell', 'x', dir], /--cell x is not L:K/],
      [['--model', modelPath, '--cell', '1:0', dir], /layer 1 does not exist/],
      [['--model', modelPath, '--cell', '0:6', dir], /unit 6 is outside layer 0 \(H = 6\)/],
      [['--model', modelPath, '--cell', '0:1', '--signal', 'f', dir], /--signal f is not h or c/],
      [['--model', modelPath, '--cell', '0:1', '--top', '0', dir], /--top 0 is not valid/],
    ] as [string[], RegExp][]) {
      const io = capture();
      assert.strictEqual(await main(['cell', ...args], io), 2, args.join(' '));
      assert.match(io.stderr.join('\n'), message);
    }
  });
});
