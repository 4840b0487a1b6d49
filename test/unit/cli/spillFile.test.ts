import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SpillFile } from '../../../src/cli/spillFile';
import { TextSink } from '../../../src/cli/textSink';

describe('SpillFile', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-spill-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function roundTrip(memoryBytes: number, pieces: string[]): Promise<{ text: string; file: boolean }> {
    const file = path.join(dir, `s${memoryBytes}`);
    const spill = new SpillFile(() => file, memoryBytes);
    for (const p of pieces) spill.append(new TextEncoder().encode(p));
    const wroteFile = fs.existsSync(file);
    let text = '';
    const dec = new TextDecoder();
    const sink = new TextSink({
      out: () => undefined,
      err: () => undefined,
      write: (p) => {
        text += typeof p === 'string' ? p : dec.decode(p, { stream: true });
        return Promise.resolve();
      },
    });
    await spill.drainTo(sink);
    await sink.end();
    spill.close();
    assert.ok(!fs.existsSync(file), 'the file is gone after close()');
    return { text, file: wroteFile };
  }

  it('gives back what was appended, in order, from memory or from its file', async () => {
    const pieces = Array.from({ length: 3000 }, (_, i) => `[${i},"é😀"]`);
    const small = await roundTrip(1 << 20, pieces);
    assert.deepStrictEqual(small, { text: pieces.join(''), file: false });
    const spilled = await roundTrip(100, pieces);
    assert.deepStrictEqual(spilled, { text: pieces.join(''), file: true });
  });
});
