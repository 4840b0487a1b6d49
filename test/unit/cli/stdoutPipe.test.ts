import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeModelFile } from '../../../src/core/model/modelFile';
import { REPO_ROOT } from '../../helpers/packageManifest';
import { randomModel } from '../../helpers/randomModel';

// The real command line (bin/lstm-lens.js, a new process) with its stdout a
// real pipe, read to the end: output far over the pipe's 64 KiB buffer must
// arrive whole before the process exits.
describe('lstm-lens through a pipe', function () {
  this.timeout(60_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-pipe-'));
  const modelPath = path.join(dir, 'm.onnx');
  const filePath = path.join(dir, 'a.c');
  before(async () => {
    await writeModelFile(randomModel({ layers: [{ kind: 'lstm', hidden: 16 }], embedding: 4, seed: 5 }), modelPath);
    fs.writeFileSync(filePath, 'int main(void) { return "x"; }\n'.repeat(120));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('run --json prints all of its JSON (hundreds of kB), not the first 64 KiB', async () => {
    const child = spawn(
      process.execPath,
      [path.join(REPO_ROOT, 'bin', 'lstm-lens.js'), 'run', '--model', modelPath, '--file', filePath, '--json'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const text = Buffer.concat(out).toString('utf8');
    assert.strictEqual(code, 0, Buffer.concat(err).toString('utf8'));
    assert.ok(text.length > 4 * 65_536, `the JSON is ${text.length} bytes: big enough to need several pipe buffers`);
    const parsed = JSON.parse(text) as { chars: number };
    assert.strictEqual(parsed.chars, 120 * 31);
  });

  it('run --json leaves no temporary files when the reader stops early (| head)', async () => {
    // 40,000 characters: each signal after h is megabytes, over what waits in memory (spillFile.ts).
    const big = path.join(dir, 'big.c');
    fs.writeFileSync(big, 'int main(void) { return "x"; }\n'.repeat(1300));
    const tmp = fs.mkdtempSync(path.join(dir, 'tmp-'));
    const child = spawn(
      process.execPath,
      [path.join(REPO_ROOT, 'bin', 'lstm-lens.js'), 'run', '--model', modelPath, '--file', big, '--json'],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TMPDIR: tmp } },
    );
    let got = 0;
    child.stdout.on('data', (b: Buffer) => {
      got += b.length;
      if (got > 3_000_000) child.stdout.destroy(); // as `head -c 3000000` does, inside the first signal
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.strictEqual(code, 0);
    assert.ok(got > 3_000_000);
    assert.deepStrictEqual(
      fs.readdirSync(tmp).filter((f) => f.startsWith('lstm-lens-run-')),
      [],
    );
  });
});
