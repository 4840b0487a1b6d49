import * as assert from 'assert';
import type { CliIo } from '../../../src/cli/cliCommand';
import { TextSink } from '../../../src/cli/textSink';

describe('TextSink', () => {
  it('gathers small pieces into few writes, in order, text and bytes alike', async () => {
    const writes: string[] = [];
    const dec = new TextDecoder();
    const sink = new TextSink({
      out: () => assert.fail('no lines'),
      err: () => undefined,
      write: (p) => {
        writes.push(typeof p === 'string' ? p : dec.decode(p, { stream: true }));
        return Promise.resolve();
      },
    });
    for (let i = 0; i < 100_000; i++) sink.write('ab');
    const bytes = new TextEncoder().encode('😀');
    sink.write(bytes.subarray(0, 2)); // a character split over two pieces of bytes
    sink.write(bytes.subarray(2));
    sink.write('!\n');
    await sink.end();
    assert.ok(writes.length < 10, `${writes.length} writes for 100,003 pieces`);
    assert.strictEqual(writes.join(''), 'ab'.repeat(100_000) + '😀!\n');
  });

  it('flush waits until the reader has taken the output (backpressure)', async () => {
    let release: () => void = () => undefined;
    const io: CliIo = {
      out: () => undefined,
      err: () => undefined,
      write: () => new Promise<void>((resolve) => (release = resolve)),
    };
    const sink = new TextSink(io);
    sink.write('x');
    let done = false;
    const flushed = sink.flush().then(() => (done = true));
    await new Promise((r) => setImmediate(r));
    assert.strictEqual(done, false);
    release();
    await flushed;
    assert.strictEqual(done, true);
  });

  it('prints lines through out() for an io without write, the last one at end()', async () => {
    const lines: string[] = [];
    const sink = new TextSink({ out: (l) => lines.push(l), err: () => undefined });
    sink.write('one\ntw');
    const bytes = new TextEncoder().encode('o é\nthree');
    sink.write(bytes.subarray(0, 4)); // ends inside 'é'
    sink.write(bytes.subarray(4));
    await sink.flush();
    assert.deepStrictEqual(lines, ['one', 'two é']);
    await sink.end();
    assert.deepStrictEqual(lines, ['one', 'two é', 'three']);
  });
});
