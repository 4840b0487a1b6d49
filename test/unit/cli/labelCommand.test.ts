import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { UsageError } from '../../../src/cli/cliCommand';
import { labelCommand } from '../../../src/cli/labelCommand';
import { main } from '../../../src/cli/main';
import type { CellLabel, FeatureSummary } from '../../../src/core/analysis/cellLabels';
import { writeModelFile } from '../../../src/core/model/modelFile';
import { randomCharModel } from '../../../src/core/model/randomModel';
import { capture } from '../../helpers/cliCapture';

/** What `label --json` prints (src/cli/labelCommand.ts). */
interface LabelJson {
  model: string;
  cacheKey: string;
  seconds: number;
  truncated: boolean;
  texts: { name: string; language: string }[];
  minAbsR: number;
  labels: CellLabel[];
  features: FeatureSummary[];
}

describe('lstm-lens label', function () {
  this.timeout(20000);
  let dir = '';
  let modelPath = '';
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lstm-lens-label-'));
    const chars = Array.from(
      new Set(
        Array.from(
          ' \n\t!"#%&\'()*+,-./0123456789:;<=>?[]{}_`abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ|\\^~$@',
        ),
      ),
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
    await fs.mkdir(path.join(dir, 'src', 'node_modules'), { recursive: true });
    await fs.writeFile(path.join(dir, 'src', 'a.js'), 'const s = "x"; // c\nif (a) {\n  b("y");\n}\n'.repeat(20));
    await fs.writeFile(path.join(dir, 'src', 'b.py'), 'def f(x):\n    return "q"  # c\n'.repeat(20));
    await fs.writeFile(path.join(dir, 'src', 'notes.txt'), 'plain text is skipped in folders');
    await fs.writeFile(path.join(dir, 'src', 'node_modules', 'dep.js'), 'skipped();');
    await fs.writeFile(path.join(dir, 'bin.c'), 'int\0x;');
  });
  after(async () => fs.rm(dir, { recursive: true, force: true }));

  it('prints JSON with the files used, the labels and the best cells per feature', async () => {
    const io = capture();
    assert.strictEqual(
      await labelCommand(['--model', modelPath, '--json', '--min-r', '0.3', '--top', '2', path.join(dir, 'src')], io),
      0,
    );
    const out = JSON.parse(io.stdout.join('\n')) as LabelJson;
    assert.deepStrictEqual(
      out.texts.map((t: { name: string }) => path.basename(t.name)),
      ['a.js', 'b.py'],
    );
    assert.deepStrictEqual(
      out.texts.map((t: { language: string }) => t.language),
      ['javascript', 'python'],
    );
    assert.strictEqual(out.minAbsR, 0.3);
    const str = out.features.find((f: { feature: string }) => f.feature === 'inString');
    assert.strictEqual(str?.top.length, 2);
    for (const l of out.labels) assert.ok(l.score >= 0.3 && typeof l.text === 'string');
  });

  it('prints a table of features and a Markdown report, through the dispatcher too', async () => {
    const io = capture();
    assert.strictEqual(await main(['label', '--model', modelPath, path.join(dir, 'src', 'a.js')], io), 0);
    const text = io.stdout.join('\n');
    assert.match(text, /tiny\.onnx: scored 12 cells on 1 file\(s\), \d+ characters/);
    assert.match(text, /^ {2}inside string +L0 [hc]\[\d\] -?\d\.\d\d\/-?\d\.\d\d\/\d\.\d\d/m);
    assert.match(text, /^ {2}inside triple-quoted string +– never on in the sample$/m);
    const md = capture();
    assert.strictEqual(await labelCommand(['--model', modelPath, '--markdown', path.join(dir, 'src', 'b.py')], md), 0);
    assert.match(md.stdout.join('\n'), /^# Interpretable cells\n\nModel \*\*tiny\.onnx\*\*/);
  });

  it('names bad usage and bad inputs', async () => {
    await assert.rejects(
      labelCommand([path.join(dir, 'src')], capture()),
      (e: Error) => e instanceof UsageError && /--model is required/.test(e.message),
    );
    await assert.rejects(labelCommand(['--model', modelPath], capture()), /at least one file or folder/);
    await assert.rejects(
      labelCommand(['--model', modelPath, '--min-r', '2', dir], capture()),
      /--min-r 2 is not valid/,
    );
    await assert.rejects(
      labelCommand(['--model', modelPath, path.join(dir, 'nope.js')], capture()),
      /nope\.js: no such file or folder/,
    );
    await assert.rejects(
      labelCommand(['--model', modelPath, path.join(dir, 'bin.c')], capture()),
      /bin\.c: not used — binary/,
    );
    const io = capture();
    assert.strictEqual(await main(['label', '--model', modelPath, '--bogus', dir], io), 2);
  });
});
