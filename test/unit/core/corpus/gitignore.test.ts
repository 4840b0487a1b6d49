import * as assert from 'assert';
import { IgnoreRules } from '../../../../src/core/corpus/gitignore';

describe('corpus/gitignore', () => {
  const rules = new IgnoreRules();
  rules.add(
    '',
    ['# comment', '', 'build/', '*.log', '!keep.log', '/root-only.txt', 'docs/*.tmp', 'secret', 'trailing   '].join(
      '\n',
    ),
  );
  rules.add('pkg', ['generated.ts', '!important.log'].join('\n'));

  const cases: [string, boolean][] = [
    ['build/a.js', true], // folder rule excludes everything below
    ['src/build/a.js', true], // unanchored folder rule matches at any depth
    ['build', false], // 'build/' matches folders only, not a file named build
    ['a.log', true],
    ['deep/x/a.log', true],
    ['keep.log', false], // re-included
    ['root-only.txt', true],
    ['sub/root-only.txt', false], // anchored
    ['docs/a.tmp', true],
    ['docs/x/a.tmp', false], // '*' does not cross '/'
    ['secret', true],
    ['x/secret/y.c', true], // a name rule matches a folder too
    ['trailing', true], // trailing spaces are stripped
    ['pkg/generated.ts', true],
    ['pkg/sub/generated.ts', true],
    ['generated.ts', false], // pkg's rules apply under pkg only
    ['pkg/important.log', false], // deeper .gitignore wins
    ['src/main.c', false],
  ];
  for (const [p, want] of cases)
    it(`${p} is ${want ? '' : 'not '}ignored`, () => assert.strictEqual(rules.ignores(p), want));

  it('cannot re-include a file inside an ignored folder', () => {
    const r = new IgnoreRules();
    r.add('', 'out/\n!out/keep.js\n');
    assert.strictEqual(r.ignores('out/keep.js'), true);
  });

  it('handles CRLF files and escapes', () => {
    const r = new IgnoreRules();
    r.add('', '\\#hash.c\r\n\\!bang.c\r\n*.o\r\n');
    assert.strictEqual(r.ignores('#hash.c'), true);
    assert.strictEqual(r.ignores('!bang.c'), true);
    assert.strictEqual(r.ignores('x.o'), true);
    assert.strictEqual(r.size, 3);
  });
});
