import * as assert from 'assert';
import {
  TextInputError,
  indexText,
  offsetToStep,
  spliceIndex,
  stepToOffset,
} from '../../../../src/core/text/textIndex';

describe('textIndex', () => {
  it('maps surrogate pairs, CRLF, lone CR and tabs to steps and back', () => {
    const text = 'a\t😀b\r\nc\rd\n';
    const ix = indexText(text);
    // steps: a, \t, 😀, b, \n(CRLF), c, \n(CR), d, \n
    assert.deepStrictEqual(Array.from(ix.codePoints), [0x61, 0x09, 0x1f600, 0x62, 0x0a, 0x63, 0x0a, 0x64, 0x0a]);
    assert.deepStrictEqual(Array.from(ix.starts), [0, 1, 2, 4, 5, 7, 8, 9, 10, 11]);
    assert.strictEqual(ix.length, 9);
    // The low surrogate belongs to the emoji's step; '\n' of CRLF to the CRLF step.
    assert.strictEqual(offsetToStep(ix, 3), 2);
    assert.strictEqual(offsetToStep(ix, 5), 4);
    assert.strictEqual(offsetToStep(ix, 6), 4);
    assert.strictEqual(offsetToStep(ix, 7), 5);
    assert.strictEqual(offsetToStep(ix, text.length), 9);
    for (let t = 0; t <= ix.length; t++) assert.strictEqual(offsetToStep(ix, stepToOffset(ix, t)), t);
    // Each step's text slice is the original character(s).
    const slices = Array.from({ length: ix.length }, (_, t) => text.slice(ix.starts[t], ix.starts[t + 1]));
    assert.deepStrictEqual(slices, ['a', '\t', '😀', 'b', '\r\n', 'c', '\r', 'd', '\n']);
  });

  it('agrees with a naive code point walk on random text', () => {
    let seed = 7;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const pieces = ['x', ' ', '\t', '\n', '\r\n', '\r', 'é', '😀', '中', '\ud800'];
    const text = Array.from({ length: 2000 }, () => pieces[Math.floor(rand() * pieces.length)]).join('');
    const ix = indexText(text);
    const expect: number[] = [];
    for (const ch of text.replace(/\r\n?/g, '\n')) expect.push(ch.codePointAt(0)!);
    assert.deepStrictEqual(Array.from(ix.codePoints), expect);
    for (let u = 0; u <= text.length; u++) {
      const t = offsetToStep(ix, u);
      assert.ok(ix.starts[t] <= u && (t === ix.length || u < ix.starts[t + 1]), `offset ${u}`);
    }
  });

  it('handles empty and one-character texts', () => {
    const empty = indexText('');
    assert.strictEqual(empty.length, 0);
    assert.strictEqual(offsetToStep(empty, 0), 0);
    assert.strictEqual(stepToOffset(empty, 0), 0);
    const one = indexText('😀');
    assert.strictEqual(one.length, 1);
    assert.strictEqual(offsetToStep(one, 1), 0);
    assert.strictEqual(offsetToStep(one, 2), 1);
  });

  it('rejects binary text, over-cap text and out-of-range positions with clear errors', () => {
    assert.throws(
      () => indexText('abc\0def'),
      (e: Error) => e instanceof TextInputError && /NUL character at offset 3/.test(e.message),
    );
    assert.throws(() => indexText('\x01\x02\x03abcd'), /control characters/);
    assert.throws(() => indexText('x'.repeat(101), { maxChars: 100 }), /over the cap of 100 characters/);
    assert.throws(() => indexText('x'.repeat(1000), { maxChars: 100 }), /over the cap/);
    assert.strictEqual(indexText('x'.repeat(100), { maxChars: 100 }).length, 100);
    const ix = indexText('ab');
    assert.throws(() => offsetToStep(ix, 3), /offset 3 is outside 0..2/);
    assert.throws(() => stepToOffset(ix, -1), /step -1/);
  });
});

describe('spliceIndex', () => {
  it('equals indexing the edited text from scratch, across CRLF and surrogate boundaries', () => {
    let seed = 3;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const pieces = ['x', '\r', '\n', '\r\n', '😀', '\ud83d', '\ude00', 'ab', ''];
    let text = 'ab\r\ncd😀e\rf';
    let ix = indexText(text);
    for (let k = 0; k < 400; k++) {
      const offset = Math.floor(rand() * (text.length + 1));
      const removed = Math.min(text.length - offset, Math.floor(rand() * 3));
      const inserted = pieces[Math.floor(rand() * pieces.length)];
      const next = text.slice(0, offset) + inserted + text.slice(offset + removed);
      const oldCps = Array.from(ix.codePoints); // spliceIndex reuses the old arrays
      const sp = spliceIndex(ix, next, offset, removed, inserted);
      const fresh = indexText(next);
      assert.deepStrictEqual(Array.from(sp.index.codePoints), Array.from(fresh.codePoints), `edit ${k}`);
      assert.deepStrictEqual(Array.from(sp.index.starts), Array.from(fresh.starts), `edit ${k} starts`);
      // Outside [p, p + newLen) the steps are the old ones.
      assert.deepStrictEqual(Array.from(sp.index.codePoints.subarray(0, sp.p)), oldCps.slice(0, sp.p));
      assert.deepStrictEqual(
        Array.from(sp.index.codePoints.subarray(sp.p + sp.newLen)),
        oldCps.slice(sp.p + sp.oldLen),
      );
      text = next;
      ix = sp.index;
    }
  });

  it('rejects changes outside the text and inserted NULs', () => {
    const ix = indexText('abc');
    assert.throws(() => spliceIndex(ix, 'abcx', 4, 0, 'x'), /outside the text/);
    assert.throws(() => spliceIndex(ix, 'a\0bc', 1, 0, '\0'), /NUL character at offset 1/);
  });
});
