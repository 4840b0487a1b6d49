import * as assert from 'assert';
import { openFileSample, workspaceSample } from '../../../../src/extension/discovery/discoverySample';

describe('extension/discoverySample', () => {
  it('samples the open file with the language of its VS Code language id; an empty file is an error', () => {
    assert.deepStrictEqual(openFileSample('src/a.ts', 'let a = 1;\n', 'typescript'), [
      { name: 'src/a.ts', text: 'let a = 1;\n', language: 'javascript' },
    ]);
    assert.strictEqual(openFileSample('q.py', 'x = 1\n', 'python')[0].language, 'python');
    assert.strictEqual(openFileSample('n.txt', 'hi\n', 'plaintext')[0].language, 'generic');
    assert.throws(() => openFileSample('e.c', '', 'c'), /e\.c is empty/);
  });

  it('draws a deterministic, capped workspace sample, preferring files in a language the lexer knows', () => {
    const line = (s: string): string => `${s}\n`.repeat(400);
    const files = [
      { name: 'a.c', text: line('int a = 1;') },
      { name: 'b.py', text: line('x = 1') },
      { name: 'notes.txt', text: line('words words') },
      { name: 'empty.js', text: '' },
    ];
    const s = workspaceSample(files, 5000);
    assert.deepStrictEqual(workspaceSample(files, 5000), s, 'same files, same sample (stable cache key)');
    assert.ok(s.reduce((n, t) => n + t.text.length, 0) <= 5000);
    assert.deepStrictEqual(s.map((t) => t.language).sort(), ['c', 'python']);
    assert.ok(
      s.every((t) => t.text.endsWith('\n')),
      'cut at line ends',
    );
    assert.deepStrictEqual(
      workspaceSample([files[2]]).map((t) => [t.name, t.language]),
      [['notes.txt', 'generic']],
    );
    assert.throws(() => workspaceSample([files[3]]), /no workspace file with text/);
  });
});
