import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../../src/cli/main';
import type { RunResult } from '../../../src/cli/runRows';
import { writeModelFile } from '../../../src/core/model/modelFile';
import { randomModel } from '../../helpers/randomModel';
import { capture } from '../../helpers/cliCapture';

// One decoding policy for every command (core/corpus decodeText): UTF-8, UTF-16
// with a BOM, else Latin-1; a file that is not UTF-8 gets a note, never U+FFFD.
describe('lstm-lens and files that are not UTF-8', function () {
  this.timeout(60_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-enc-'));
  const modelPath = path.join(dir, 'm.onnx');
  const latin1 = path.join(dir, 'cafe.c');
  // "café" in Latin-1: the byte 0xE9 alone is not UTF-8.
  const body = '/* caf\u00e9 */\nint main(void) { return 0; }\n'.repeat(20);
  before(async () => {
    await writeModelFile(randomModel({ layers: [{ kind: 'lstm', hidden: 8 }], embedding: 4, seed: 2 }), modelPath);
    fs.writeFileSync(latin1, Buffer.from(body, 'latin1'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('run reads it as Latin-1 and says so', async () => {
    const io = capture();
    const code = await main(['run', '--model', modelPath, '--file', latin1, '--json', '--cells', '0'], io);
    assert.strictEqual(code, 0, io.stderr.join('\n'));
    assert.ok(
      io.stderr.some((l) => l === `note: --file ${latin1} is not UTF-8; read as latin1`),
      io.stderr.join('\n'),
    );
    const r = JSON.parse(io.stdout.join('\n')) as RunResult;
    assert.ok(r.text.includes('caf\u00e9'), 'é, not U+FFFD');
    assert.ok(!r.text.includes('\uFFFD'));
  });

  it('label says how many files were not UTF-8', async () => {
    const io = capture();
    const code = await main(['label', '--model', modelPath, dir], io);
    assert.strictEqual(code, 0, io.stderr.join('\n'));
    assert.ok(io.stderr.includes('note: 1 file not UTF-8, read as Latin-1 or UTF-16'), io.stderr.join('\n'));
  });
});
