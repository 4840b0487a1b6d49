import * as assert from 'assert';
import { Utf8Builder } from '../../../src/cli/utf8Builder';

describe('Utf8Builder', () => {
  it('emits chunks of at most the chunk size that end between characters and add up to the text', () => {
    const chunks: Uint8Array[] = [];
    const out = new Utf8Builder((b) => chunks.push(b), 16);
    const want: string[] = [];
    for (let i = 0; i < 50; i++) {
      out.ascii('{"a":');
      out.num6(i / 7);
      out.byte(0x2c);
      out.text('é😀"x"');
      out.bytes(new TextEncoder().encode('ü'));
      want.push(`{"a":${JSON.stringify(Math.round((i / 7) * 1e6) / 1e6)},é😀"x"ü`);
    }
    out.text('z'.repeat(40)); // longer than a chunk
    want.push('z'.repeat(40));
    out.flush();
    out.flush(); // nothing more: no empty chunk
    const fatal = new TextDecoder('utf-8', { fatal: true });
    for (const c of chunks) {
      assert.ok(c.length > 0);
      fatal.decode(c); // throws if a chunk cuts a character
    }
    assert.ok(chunks.slice(0, -2).every((c) => c.length <= 16));
    assert.strictEqual(chunks.map((c) => fatal.decode(c)).join(''), want.join(''));
  });
});
