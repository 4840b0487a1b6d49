import * as assert from 'assert';
import { excludeMatcher, GlobError, globMatcher } from '../../../../src/core/corpus/globMatch';

describe('corpus/globMatch', () => {
  const cases: [string, string, boolean][] = [
    ['**/*.ts', 'a.ts', true],
    ['**/*.ts', 'src/deep/a.ts', true],
    ['**/*.ts', 'src/a.tsx', false],
    ['*.ts', 'src/a.ts', false],
    ['src/*.c', 'src/ring.c', true],
    ['src/*.c', 'src/x/ring.c', false],
    ['src/**/*.c', 'src/ring.c', true],
    ['src/**/*.c', 'src/a/b/ring.c', true],
    ['**/*.{c,h}', 'lib/x.h', true],
    ['**/*.{c,h}', 'lib/x.hh', false],
    ['**/{node_modules,dist}/**', 'a/node_modules/x/y.js', true],
    ['**/{node_modules,dist}/**', 'a/nodemodules/x.js', false],
    ['file?.js', 'file1.js', true],
    ['file?.js', 'file10.js', false],
    ['[abc].py', 'b.py', true],
    ['[!abc].py', 'b.py', false],
    ['a.b', 'axb', false],
    ['**/*.{ts,{c,h}}', 'x/y.h', true],
    ['./src/*.ts', 'src/a.ts', true],
  ];
  for (const [glob, p, want] of cases) {
    it(`${glob} ${want ? 'matches' : 'does not match'} ${p}`, () => assert.strictEqual(globMatcher(glob)(p), want));
  }

  it('names a bad pattern', () => {
    assert.throws(
      () => globMatcher('**/*.{ts'),
      (e: unknown) => e instanceof GlobError && /\*\*\/\*\.\{ts/.test(e.message),
    );
    assert.throws(() => globMatcher(''), GlobError);
  });

  it('excludeMatcher: true entries only, and a matching parent folder excludes everything below', () => {
    const ex = excludeMatcher({
      '**/node_modules': true,
      '**/*.code-search': true,
      docs: false,
      '**/*.js': { when: '$(basename).ts' },
    });
    assert.strictEqual(ex('node_modules/a/b.js'), true);
    assert.strictEqual(ex('pkg/node_modules/b.js'), true);
    assert.strictEqual(ex('x.code-search'), true);
    assert.strictEqual(ex('docs/a.md'), false);
    assert.strictEqual(ex('src/a.js'), false);
    assert.strictEqual(excludeMatcher(undefined)('a'), false);
  });
});
