import * as assert from 'assert';
import {
  formatBytes,
  formatCorpusDetail,
  formatCorpusHeadline,
  languageOfPath,
  summarizeCorpus,
} from '../../../../src/core/corpus/corpusSummary';

describe('corpus/corpusSummary', () => {
  it('names languages by extension or file name', () => {
    assert.strictEqual(languageOfPath('src/a.ts'), 'TypeScript');
    assert.strictEqual(languageOfPath('ws/src/ring.c'), 'C');
    assert.strictEqual(languageOfPath('Makefile'), 'Makefile');
    assert.strictEqual(languageOfPath('x/data.weird'), '.weird');
    assert.strictEqual(languageOfPath('LICENSE'), 'other');
  });

  it('counts files, bytes, languages (most bytes first), skips and non-UTF-8 files', () => {
    const s = summarizeCorpus(
      [
        { relPath: 'a.ts', chars: 100, bytes: 100, encoding: 'utf-8' },
        { relPath: 'b.ts', chars: 50, bytes: 50, encoding: 'utf-8' },
        { relPath: 'c.c', chars: 400, bytes: 400, encoding: 'latin1' },
      ],
      ['vendored', 'vendored', 'minified'],
    );
    assert.strictEqual(s.files, 3);
    assert.strictEqual(s.bytes, 550);
    assert.strictEqual(s.chars, 550);
    assert.deepStrictEqual(s.languages, [
      { language: 'C', files: 1, bytes: 400 },
      { language: 'TypeScript', files: 2, bytes: 150 },
    ]);
    assert.strictEqual(s.notUtf8, 1);
    assert.deepStrictEqual(s.skipped, { vendored: 2, minified: 1 });
    assert.strictEqual(formatCorpusHeadline(s), '3 files, 550 B: C 1 file (400 B), TypeScript 2 files (150 B)');
    assert.strictEqual(
      formatCorpusDetail(s),
      'Skipped 3: vendored 2, minified 1. 1 file not UTF-8 (read as Latin-1 or UTF-16).',
    );
  });

  it('formats bytes', () => {
    assert.strictEqual(formatBytes(999), '999 B');
    assert.strictEqual(formatBytes(2048), '2.0 KB');
    assert.strictEqual(formatBytes(1_234_567), '1.2 MB');
  });
});
