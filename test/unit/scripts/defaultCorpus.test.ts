// How scripts/defaultCorpus.ts picks files: generated text is skipped, a cap
// is a seeded sample across directories (not the first few in path order),
// and only permissively licensed npm packages outside the held-out ones count.

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { HELD_OUT_PACKAGES, looksWritten, permissivePackages, take } from '../../../scripts/defaultCorpus';
import { filesUnder } from '../../../bench/benchFiles';

const code = (n: number): string => 'let x = 1; // a line of code\n'.repeat(Math.ceil(n / 29)).slice(0, n);

describe('the default corpus (scripts/defaultCorpus.ts)', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-corpus-test-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps written code and skips tiny, huge, binary and minified text', () => {
    assert.strictEqual(looksWritten(code(5000)), true);
    assert.strictEqual(looksWritten(code(100)), false, 'tiny');
    assert.strictEqual(looksWritten(code(300_001)), false, 'huge');
    assert.strictEqual(looksWritten(code(5000) + '\0'), false, 'binary');
    assert.strictEqual(looksWritten(code(5000) + '\n' + 'a'.repeat(401)), false, 'a minified line');
    assert.strictEqual(looksWritten(code(5000) + '\n' + 'a'.repeat(400)), true);
  });

  it('samples a cap across every directory in a seeded order, the same each time', () => {
    for (const d of ['a', 'b', 'c', 'd'])
      for (let j = 0; j < 10; j++) {
        fs.mkdirSync(path.join(dir, d), { recursive: true });
        fs.writeFileSync(path.join(dir, d, `f${j}.c`), code(1000));
      }
    fs.writeFileSync(path.join(dir, 'a', 'min.c'), 'x'.repeat(2000));
    const paths = filesUnder(dir, /\.c$/);
    assert.strictEqual(paths.length, 41);
    const picked = take(paths, 12_000, 'lib', dir);
    assert.strictEqual(picked.length, 12, 'stops once the cap is reached');
    assert.ok(picked.every((f) => f.name.startsWith('lib/') && !f.name.endsWith('min.c')));
    const dirs = new Set(picked.map((f) => f.name.split('/')[1]));
    assert.ok(dirs.size >= 3, `directories sampled: ${[...dirs].join(', ')}`);
    assert.deepStrictEqual(
      take(paths, 12_000, 'lib', dir).map((f) => f.name),
      picked.map((f) => f.name),
    );
  });

  it('reads npm packages with permissive licences only, and never the held-out ones', () => {
    const pkg = (name: string, license: unknown): void => {
      fs.mkdirSync(path.join(dir, name), { recursive: true });
      fs.writeFileSync(path.join(dir, name, 'package.json'), JSON.stringify({ name, license }));
    };
    pkg('mit-one', 'MIT');
    pkg('@scope/isc-one', 'ISC');
    pkg('apache-one', 'Apache-2.0');
    pkg('gpl-one', 'GPL-3.0');
    pkg('dual-one', '(MIT OR GPL-3.0)');
    pkg('no-licence', undefined);
    for (const held of HELD_OUT_PACKAGES) pkg(held, 'MIT');
    assert.deepStrictEqual(
      permissivePackages(dir).map((p) => p.name),
      ['@scope/isc-one', 'apache-one', 'mit-one'],
    );
    assert.ok(HELD_OUT_PACKAGES.has('npm') && HELD_OUT_PACKAGES.has('mocha') && HELD_OUT_PACKAGES.has('chart.js'));
  });
});
