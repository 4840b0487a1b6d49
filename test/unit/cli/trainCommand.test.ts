import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../../src/cli/main';
import { capture } from '../../helpers/cliCapture';

// Every case names a corpus folder that does not exist: the --out check must
// come first, before the corpus is read.
describe('lstm-lens train --out', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-train-out-'));
  const missingCorpus = path.join(dir, 'no-such-corpus');
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const train = async (out: string, ...more: string[]) => {
    const io = capture();
    const code = await main(['train', '--out', out, '--steps', '1', ...more, missingCorpus], io);
    return { code, err: io.stderr.join('\n'), out: io.stdout.join('\n') };
  };

  it('keeps an existing model: without --force the run refuses at once (exit 2) and the file is unchanged', async () => {
    const keep = path.join(dir, 'keep.onnx');
    fs.writeFileSync(keep, 'the model the user has');
    const r = await train(keep);
    assert.strictEqual(r.code, 2, r.err);
    assert.match(r.err, new RegExp(`--out ${keep.replace(/[.\\]/g, '\\$&')} exists; pass --force`));
    assert.strictEqual(r.out, '', 'nothing was gathered or trained');
    assert.strictEqual(fs.readFileSync(keep, 'utf8'), 'the model the user has');
  });

  it('names the path the user gave when its folder does not exist, is not a folder, or the path is a folder', async () => {
    const inMissing = path.join(dir, 'nowhere', 'm.onnx');
    let r = await train(inMissing);
    assert.strictEqual(r.code, 2);
    assert.ok(r.err.includes(`--out ${inMissing}: the folder ${path.dirname(inMissing)} does not exist`), r.err);
    assert.doesNotMatch(r.err, /\.tmp|ENOENT/);

    const file = path.join(dir, 'plain.txt');
    fs.writeFileSync(file, 'x');
    r = await train(path.join(file, 'm.onnx'));
    assert.strictEqual(r.code, 2);
    assert.match(r.err, /is not a folder/);

    r = await train(dir, '--force');
    assert.strictEqual(r.code, 2);
    assert.match(r.err, /is a folder; give the path of a file/);
  });

  it('names a bad training option by its flag (exit 2), before the corpus is read', async () => {
    const fresh = path.join(dir, 'fresh.onnx');
    let r = await train(fresh, '--hidden', '0');
    assert.strictEqual(r.code, 2, r.err);
    assert.match(r.err, /--hidden must be an integer in 1\.\.1024, got 0/);
    assert.doesNotMatch(r.err, /hiddenSize/);
    assert.strictEqual(r.out, '', 'nothing was gathered');
    r = await train(fresh, '--lr', '2');
    assert.strictEqual(r.code, 2);
    assert.match(r.err, /--lr must be a number in \(0, 1\], got 2/);
    assert.ok(!fs.existsSync(fresh));
  });

  it('with --force the check passes and the run goes on to the corpus', async () => {
    const keep = path.join(dir, 'forced.onnx');
    fs.writeFileSync(keep, 'old');
    const r = await train(keep, '--force');
    assert.notStrictEqual(r.code, 0);
    assert.doesNotMatch(r.err, /--out/);
    assert.strictEqual(fs.readFileSync(keep, 'utf8'), 'old', 'no model was written: there was no corpus');
  });
});
