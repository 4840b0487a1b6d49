import * as assert from 'assert';
import { ModelFormatError } from '../../../../src/core/model/types';
import { UNKNOWN_CHAR, Vocabulary, buildVocabulary } from '../../../../src/core/model/vocab';

const cp = (s: string): number => s.codePointAt(0)!;

describe('Vocabulary', () => {
  it('maps characters to ids and back, unknowns to the unknown id', () => {
    const v = new Vocabulary({ chars: ['\n', ' ', 'a', '😀', UNKNOWN_CHAR], unknownId: 4 });
    assert.strictEqual(v.size, 5);
    assert.strictEqual(v.idOf(cp('😀')), 3);
    assert.strictEqual(v.idOf(cp('z')), 4);
    assert.strictEqual(v.hasUnknown, true);
    assert.strictEqual(v.charOf(3), '😀');
    assert.deepStrictEqual(Array.from(v.encode('a😀z\n')), [2, 3, 4, 0]);
    assert.throws(() => v.charOf(5), /outside the vocabulary/);
  });

  it('falls back to the id of space, else 0, when there is no unknown id', () => {
    const withSpace = new Vocabulary({ chars: ['a', ' ', 'b'] });
    assert.strictEqual(withSpace.hasUnknown, false);
    assert.strictEqual(withSpace.idOf(cp('q')), 1);
    assert.strictEqual(new Vocabulary({ chars: ['a', 'b'] }).idOf(cp('q')), 0);
  });

  it('rejects bad vocabularies with a message naming the problem', () => {
    assert.throws(
      () => new Vocabulary({ chars: [] }),
      (e: Error) => e instanceof ModelFormatError && /empty/.test(e.message),
    );
    assert.throws(() => new Vocabulary({ chars: ['a', 'ab'] }), /entry 1 .*not a single character/);
    assert.throws(() => new Vocabulary({ chars: ['a', 'b', 'a'] }), /duplicate character "a" at ids 0 and 2/);
    assert.throws(() => new Vocabulary({ chars: ['a'], unknownId: 3 }), /unknown id 3/);
  });
});

describe('buildVocabulary', () => {
  it('keeps the most frequent characters plus newline, space and U+FFFD, in code point order', () => {
    const counts = new Map([
      [cp('x'), 50],
      [cp('a'), 10],
      [cp('b'), 10],
      [cp('c'), 9],
      [cp('q'), 1],
    ]);
    const spec = buildVocabulary(counts, { maxSize: 6 });
    // 3 always-entries + the 3 most frequent (x, then a and b tie-broken by code point).
    assert.deepStrictEqual(spec.chars, ['\n', ' ', 'a', 'b', 'x', UNKNOWN_CHAR]);
    assert.strictEqual(spec.unknownId, 5);
    assert.deepStrictEqual(buildVocabulary(counts, { minCount: 10 }).chars, ['\n', ' ', 'a', 'b', 'x', UNKNOWN_CHAR]);
    assert.throws(() => buildVocabulary(counts, { maxSize: 2 }), /maxSize 2/);
  });
});
