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

describe('lstm-lens run / sample', function () {
  this.timeout(30000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-run-'));
  const modelPath = path.join(dir, 'm.onnx');
  const filePath = path.join(dir, 'a.txt');
  const model = randomModel({
    layers: [
      { kind: 'lstm', hidden: 10 },
      { kind: 'gru', hidden: 6, linearBeforeReset: false },
    ],
    embedding: 5,
    seed: 31,
  });
  const text = 'if (a) {\r\n\treturn "😀";\r\n}\n' + 'x = y;'.repeat(200);
  before(async () => {
    await writeModelFile(model, modelPath);
    fs.writeFileSync(filePath, text);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints the documented JSON shape (text, chars, layers, next) with values equal to the plain reference', async () => {
    const io = capture();
    const code = await main(
      ['run', '--model', modelPath, '--file', filePath, '--layers', '0,1', '--cells', '1,4', '--top', '3', '--json'],
      io,
    );
    assert.strictEqual(code, 0, io.stderr.join('\n'));
    const r = JSON.parse(io.stdout.join('\n')) as RunResult;
    assert.deepStrictEqual(Object.keys(r), ['text', 'chars', 'layers', 'next']);
    // text is what the model read (CRLF as "\n"): its code point t is row t's character.
    assert.strictEqual(r.text, text.replace(/\r\n/g, '\n'));
    const vocab = new Vocabulary(model.vocab);
    const ids = vocab.encode(text.replace(/\r\n/g, '\n'));
    assert.strictEqual(r.chars, ids.length);
    assert.strictEqual([...r.text].length, r.chars);
    assert.deepStrictEqual([...r.text].slice(0, 12), [...'if (a) {\n\tre']);
    assert.strictEqual([...r.text][18], '😀');
    const ref = referenceForward(model, ids);
    assert.deepStrictEqual(Object.keys(r.layers[0]), ['type', 'h', 'c', 'i', 'f', 'o', 'g']);
    assert.deepStrictEqual(Object.keys(r.layers[1]), ['type', 'h', 'r', 'z', 'n']);
    r.layers.forEach((layer, l) => {
      const H = model.layers[l].hiddenSize;
      for (const s of Object.keys(layer).filter((k) => k !== 'type')) {
        const rows = (layer as unknown as Record<string, number[][]>)[s];
        assert.strictEqual(rows.length, ids.length);
        const all = (ref.layers[l] as unknown as Record<string, Float32Array>)[s];
        const expect = Array.from({ length: ids.length }, (_, t) => [all[t * H + 1], all[t * H + 4]]).flat();
        checkTensor(rows.flat(), expect, 1e-4, `layer ${l} ${s}`);
      }
    });
    const V = vocab.size;
    for (const t of [0, 5, ids.length - 1]) {
      const logits = Array.from(ref.logits.subarray(t * V, (t + 1) * V));
      const best = logits.indexOf(Math.max(...logits));
      assert.strictEqual(r.next[t].top.length, 3);
      assert.strictEqual(r.next[t].top[0][0], vocab.charOf(best));
    }
    assert.strictEqual(r.next[ids.length - 1].surprisal_bits, null);
    assert.ok(typeof r.next[0].surprisal_bits === 'number' && r.next[0].surprisal_bits > 0);
  });

  it('names bad options, missing files and binary files', async () => {
    const cases: [string[], RegExp][] = [
      [['run', '--file', filePath], /--model is required/],
      [['run', '--model', modelPath, '--file', filePath, '--layers', '2'], /--layers: '2' is not an index in 0..1/],
      [['run', '--model', modelPath, '--file', path.join(dir, 'none.txt')], /cannot read --file .*none\.txt/],
      [
        ['run', '--model', modelPath, '--file', filePath, '--max-chars', '10'],
        /a\.txt has \d+ characters, over --max-chars 10/,
      ],
    ];
    fs.writeFileSync(path.join(dir, 'bin.dat'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1]));
    cases.push([['run', '--model', modelPath, '--file', path.join(dir, 'bin.dat')], /looks binary/]);
    for (const [argv, re] of cases) {
      const io = capture();
      assert.notStrictEqual(await main(argv, io), 0);
      assert.match(io.stderr.join('\n'), re);
    }
    const io = capture();
    fs.writeFileSync(path.join(dir, 'empty.txt'), '');
    assert.strictEqual(
      await main(['run', '--model', modelPath, '--file', path.join(dir, 'empty.txt'), '--json'], io),
      0,
    );
    assert.deepStrictEqual(JSON.parse(io.stdout[0]), {
      text: '',
      chars: 0,
      layers: [
        { type: 'lstm', h: [], c: [], i: [], f: [], o: [], g: [] },
        { type: 'gru', h: [], r: [], z: [], n: [] },
      ],
      next: [],
    });
  });

  it('samples deterministically per seed', async () => {
    const outs: string[] = [];
    for (const seed of ['4', '4', '5']) {
      const io = capture();
      assert.strictEqual(
        await main(
          ['sample', '--model', modelPath, '--temperature', '0.9', '--length', '50', '--prime', 'if (', '--seed', seed],
          io,
        ),
        0,
        io.stderr.join('\n'),
      );
      outs.push(io.stdout.join('\n'));
    }
    assert.strictEqual([...outs[0]].length, 50);
    assert.strictEqual(outs[0], outs[1]);
    assert.notStrictEqual(outs[0], outs[2]);
    const io = capture();
    assert.strictEqual(await main(['sample', '--model', modelPath, '--temperature=-1', '--length', '5'], io), 2);
    assert.match(io.stderr.join('\n'), /--temperature: '-1' is not a number >= 0/);
  });
});
