// `run` writes its JSON and its table as the model goes (runJson.ts): the
// text must be exactly what the plain computation gives, one query at a time
// (test/helpers/runReference.ts), over texts of several windows (checkpoint
// restarts inside them), layers over 128 cells (the MatMul blocking in
// modelWindows.ts), GRU with and without linear_before_reset, RNN, and with
// an intervention.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../../src/cli/main';
import { interventionPlan, interventionsFromArgs } from '../../../src/cli/interventionOptions';
import { runModelOverText } from '../../../src/cli/runRows';
import { writeModelFile } from '../../../src/core/model/modelFile';
import type { CharModel } from '../../../src/core/model/types';
import { capture } from '../../helpers/cliCapture';
import { randomModel } from '../../helpers/randomModel';
import { runReference, tableReference } from '../../helpers/runReference';

describe('lstm-lens run, streamed', function () {
  this.timeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-stream-'));
  // 2,600 characters: 3 windows of 1,000, whose c recurrences start at the checkpoints 0, 768 and 1,792.
  const text = 'if (a) {\r\n\treturn "😀";\r\n}\n' + 'for (i = 0; i < n; i++) x[i] = "y";\n'.repeat(72);
  const file = path.join(dir, 'a.c');
  const models: Record<string, CharModel> = {
    wide: randomModel({
      layers: [
        { kind: 'lstm', hidden: 160 },
        { kind: 'gru', hidden: 140, linearBeforeReset: false },
      ],
      embedding: 8,
      seed: 7,
    }),
    steppable: randomModel({
      layers: [
        { kind: 'gru', hidden: 150, linearBeforeReset: true },
        { kind: 'rnn', hidden: 130 },
      ],
      embedding: 6,
      seed: 8,
    }),
    rnnUnderLstm: randomModel({
      layers: [
        { kind: 'rnn', hidden: 40 },
        { kind: 'lstm', hidden: 150 },
      ],
      embedding: 6,
      seed: 10,
    }),
    small: randomModel({
      layers: [
        { kind: 'lstm', hidden: 10 },
        { kind: 'gru', hidden: 6, linearBeforeReset: false },
      ],
      embedding: 5,
      seed: 9,
    }),
  };
  const modelPath = (name: string): string => path.join(dir, `${name}.onnx`);
  before(async () => {
    fs.writeFileSync(file, text);
    for (const [name, m] of Object.entries(models)) await writeModelFile(m, modelPath(name));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function cli(name: string, args: string[]): Promise<ReturnType<typeof capture>> {
    const io = capture();
    const code = await main(['run', '--model', modelPath(name), '--file', file, ...args], io);
    assert.strictEqual(code, 0, io.stderr.join('\n'));
    return io;
  }

  const cases: { name: string; args: string[]; layers: number[]; cells?: number[]; k: number }[] = [
    {
      name: 'wide',
      args: ['--layers', '1,0', '--cells', '3,130', '--top', '3'],
      layers: [1, 0],
      cells: [3, 130],
      k: 3,
    },
    { name: 'steppable', args: ['--cells', '129,0,129'], layers: [0, 1], cells: [129, 0, 129], k: 5 },
    { name: 'small', args: ['--top', '0'], layers: [0, 1], k: 0 },
    { name: 'small', args: ['--layers', '1', '--top', '500'], layers: [1], k: 500 },
  ];
  for (const c of cases) {
    it(`prints JSON.stringify of the plain computation: ${c.name} ${c.args.join(' ')}`, async () => {
      const io = await cli(c.name, [...c.args, '--json']);
      const want = await runReference(models[c.name], text, c.layers, c.cells, c.k);
      assert.strictEqual(io.stdout.join('\n'), JSON.stringify(want));
      // In pieces as the windows come, not in one write at the end.
      assert.ok(io.writes.length >= 3, `${io.writes.length} writes`);
      const value = await runModelOverText(models[c.name], text, c.layers, c.cells, c.k, 1e7);
      assert.strictEqual(JSON.stringify(value), JSON.stringify(want));
    });
  }

  it('prints the plain table, line for line', async () => {
    const io = await cli('wide', ['--top', '4', '--cells', '2']);
    assert.deepStrictEqual(io.stdout, tableReference(await runReference(models.wide, text, [0, 1], [2], 4)));
  });

  const intervened = [
    { name: 'steppable', intervention: ['--clamp', '0:2=0.5@700-1900'], cells: [2, 129] },
    { name: 'rnnUnderLstm', intervention: ['--ablate', '1:7:mean@300-2100'], cells: [7, 39] },
  ];
  for (const c of intervened) {
    it(`prints the plain computation of an intervened run (stepped, 32/4/1-character chunks): ${c.name} ${c.intervention.join(' ')}`, async () => {
      const io = await cli(c.name, ['--cells', c.cells.join(','), ...c.intervention, '--json']);
      const asked = interventionsFromArgs(
        c.intervention[0] === '--clamp' ? { clamp: [c.intervention[1]] } : { ablate: [c.intervention[1]] },
      );
      const plan = await interventionPlan(models[c.name], asked, text);
      const want = await runReference(models[c.name], text, [0, 1], c.cells, 5, plan);
      assert.strictEqual(want.interventions?.length, 1);
      assert.strictEqual(io.stdout.join('\n'), JSON.stringify(want));
    });
  }

  it('stops with the error, printing nothing, for a cell outside a printed layer', async () => {
    const io = capture();
    const code = await main(['run', '--model', modelPath('wide'), '--file', file, '--cells', '150', '--json'], io);
    assert.strictEqual(code, 2);
    assert.match(io.stderr.join('\n'), /--cells: cell 150 is outside layer 1 \(H = 140\)/);
    assert.deepStrictEqual(io.stdout, []);
  });
});
