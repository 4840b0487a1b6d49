import * as assert from 'assert';
import { headAtLineEnd, pickSample } from '../../../../src/core/analysis/sampleTexts';

const file = (name: string, language: string, lines: number): { name: string; language: string; text: string } => ({
  name,
  language,
  text: Array.from({ length: lines }, (_, i) => `${name} line ${i}`).join('\n') + '\n',
});

describe('pickSample', () => {
  const files = [
    ...Array.from({ length: 20 }, (_, i) => file(`big${String(i).padStart(2, '0')}.js`, 'javascript', 400)),
    file('a.py', 'python', 50),
    file('b.py', 'python', 50),
    file('m.go', 'go', 30),
  ];

  it('balances languages by characters, caps each file at a line end and the sample at maxChars', () => {
    const s = pickSample(files, { maxChars: 6000, maxPerFile: 1000, seed: 4 });
    assert.deepStrictEqual(
      s.slice(0, 3).map((f) => f.language),
      ['go', 'javascript', 'python'],
    );
    // The small languages are taken whole; javascript's big files fill the rest.
    const chars = (lang: string): number => s.filter((f) => f.language === lang).reduce((a, f) => a + f.text.length, 0);
    const all = (lang: string): number =>
      files.filter((f) => f.language === lang).reduce((a, f) => a + f.text.length, 0);
    assert.strictEqual(chars('python'), all('python'));
    assert.strictEqual(chars('go'), all('go'));
    const balanced = pickSample(
      [file('x.c', 'c', 2000), file('y.py', 'python', 100), file('z.py', 'python', 100), file('w.py', 'python', 100)],
      { maxChars: 20000, maxPerFile: 5000 },
    );
    assert.deepStrictEqual(
      balanced.map((f) => f.language),
      ['c', 'python', 'python', 'python'],
    );
    assert.ok(s.some((f) => f.name === 'a.py') && s.some((f) => f.name === 'b.py'), 'both small-language files are in');
    const total = s.reduce((a, f) => a + f.text.length, 0);
    assert.ok(total <= 6000 && total > 5000, `total ${total}`);
    for (const f of s) {
      assert.ok(f.text.length <= 1000);
      assert.ok(f.text.endsWith('\n'), `${f.name} is cut at a line end`);
      assert.ok(files.find((g) => g.name === f.name)!.text.startsWith(f.text));
    }
  });

  it('is deterministic for a seed, and a different seed draws other files', () => {
    const a = pickSample(files, { maxChars: 3000, maxPerFile: 500, seed: 1 }).map((f) => f.name);
    assert.deepStrictEqual(
      pickSample([...files].reverse(), { maxChars: 3000, maxPerFile: 500, seed: 1 }).map((f) => f.name),
      a,
    );
    assert.notDeepStrictEqual(
      pickSample(files, { maxChars: 3000, maxPerFile: 500, seed: 2 }).map((f) => f.name),
      a,
    );
  });

  it('cuts heads without splitting lines or surrogate pairs, and names bad limits', () => {
    assert.strictEqual(headAtLineEnd('ab\ncd\nef', 7), 'ab\ncd\n');
    assert.strictEqual(headAtLineEnd('abcdefgh\ni', 5), 'abcde'); // no newline before the cut: hard cut
    assert.strictEqual(headAtLineEnd('a\nbcdefgh', 6), 'a\n');
    assert.strictEqual(headAtLineEnd('a😀', 2), 'a');
    assert.strictEqual(headAtLineEnd('short', 10), 'short');
    assert.throws(() => pickSample(files, { maxChars: 0 }), /must be at least 1/);
  });
});
