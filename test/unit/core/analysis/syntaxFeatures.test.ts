import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { codeFeature } from '../../../../src/core/analysis/codeFeatures';
import { languageFromPath, LANGUAGES } from '../../../../src/core/analysis/languages';
import { syntaxFeatures, type SyntaxFeatures } from '../../../../src/core/analysis/syntaxFeatures';
import { GRAMMAR_NAMES, grammarOf, parseText } from '../../../../src/core/analysis/syntaxTree';
import { REPO_ROOT } from '../../../helpers/packageManifest';

async function syntaxOf(language: string, name: string, text: string): Promise<SyntaxFeatures> {
  const tree = await parseText(language, name, text);
  if (!tree) throw new Error(`no grammar for ${language} (${name})`);
  try {
    return syntaxFeatures(text, tree);
  } finally {
    tree.delete();
  }
}

/** The characters of `text` where `mask` is on, other characters as '.', line ends kept. */
function shown(text: string, mask: ArrayLike<number>): string {
  return Array.from(text)
    .map((c, i) => (c === '\n' ? '\n' : mask[i] ? c : '.'))
    .join('');
}

/** φ (Matthews correlation) of two on/off series. */
function phi(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] && b[i]) tp++;
    else if (!a[i] && b[i]) fp++;
    else if (a[i] && !b[i]) fn++;
    else tn++;
  }
  const d = Math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn));
  return d > 0 ? (tp * tn - fp * fn) / d : 0;
}

describe('syntax features (tree-sitter)', function () {
  this.timeout(30_000);

  it('picks the grammar by language family, TypeScript by file name, none for the rest', () => {
    assert.strictEqual(grammarOf('c', 'a.c'), 'cpp');
    assert.strictEqual(grammarOf('javascript', 'a.js'), 'javascript');
    assert.strictEqual(grammarOf('javascript', 'a.ts'), 'typescript');
    assert.strictEqual(grammarOf('javascript', 'a.tsx'), 'tsx');
    assert.strictEqual(grammarOf('generic', 'a.txt'), undefined);
  });

  it('marks argument lists, type annotations, function bodies, conditions, identifiers and keywords (TypeScript)', async () => {
    const text = 'function f(a: number): string {\n  if (a > 1) return g(a, "x");\n  return "";\n}\n';
    const s = await syntaxOf('javascript', 'a.ts', text);
    const lines = (m: ArrayLike<number>): string[] => shown(text, m).split('\n');
    assert.match(lines(s.inArguments)[1], /^\.+\(a, "x"\)\.$/);
    assert.match(lines(s.inTypeAnnotation)[0], /^\.+: number\.*: string\.*$/);
    assert.match(lines(s.inFunctionBody)[0], /\{$/);
    assert.strictEqual(lines(s.inFunctionBody)[1], '  if (a > 1) return g(a, "x");');
    assert.match(lines(s.inCondition)[1], /^\.+\(a > 1\)\.+$/);
    // TypeScript's predefined types are keywords too.
    assert.strictEqual(lines(s.isKeyword)[0], 'function......number...string..');
    assert.match(lines(s.isKeyword)[1], /^\.\.if\.+return\.+$/);
    assert.strictEqual(lines(s.isIdentifier)[0].replace(/\./g, ''), 'fa');
    assert.ok(s.depth[Array.from(text).indexOf('x')] > s.depth[0], 'deeper inside the call');
  });

  it('counts code points, not UTF-16 units (Python)', async () => {
    const text = 's = "😀é"\nprint(len(s))\n';
    const s = await syntaxOf('python', 'a.py', text);
    assert.strictEqual(s.depth.length, Array.from(text).length);
    assert.strictEqual(shown(text, s.inString).split('\n')[0], '...."😀é.', 'the closing quote is outside');
    assert.strictEqual(shown(text, s.inArguments).split('\n')[1], '.....(len(s))');
  });

  it('agree with the lexer on strings and comments over real files of four languages', async () => {
    const files = [
      'test/e2e/workspace/src/ring.c',
      'test/e2e/workspace/src/queue.py',
      'test/e2e/workspace/src/greeter.ts',
      'src/core/analysis/cellProfile.ts',
      'node_modules/mocha/lib/runner.js',
      'scripts/codeServer.js',
    ];
    for (const rel of files) {
      const text = fs.readFileSync(path.join(REPO_ROOT, rel), 'utf8');
      const lang = languageFromPath(rel);
      const s = await syntaxOf(lang.name, rel, text);
      const spec = LANGUAGES[lang.name];
      for (const feature of ['inString', 'inComment'] as const) {
        const lexer = codeFeature(text, spec, feature);
        const tree = feature === 'inString' ? s.inString : s.inComment;
        if (!lexer.some((v) => v > 0)) {
          assert.ok(!tree.some((v) => v > 0), `${rel}: ${feature} only by the tree`);
          continue;
        }
        const agree = phi(lexer, tree);
        assert.ok(agree > 0.9, `${rel}: ${feature} φ ${agree.toFixed(3)} between lexer and tree`);
      }
    }
  });
});

describe('the grammars the extension ships', () => {
  it('are every grammar syntaxTree.ts may load, listed in .vscodeignore, and exist', () => {
    const ignore = fs.readFileSync(path.join(REPO_ROOT, '.vscodeignore'), 'utf8');
    const m = /^!node_modules\/@vscode\/tree-sitter-wasm\/wasm\/tree-sitter-\{([^}]+)\}\.wasm$/m.exec(ignore);
    assert.ok(m, 'a .vscodeignore line for the grammars');
    assert.deepStrictEqual(m[1].split(',').sort(), [...GRAMMAR_NAMES]);
    for (const g of GRAMMAR_NAMES)
      assert.ok(
        fs.existsSync(path.join(REPO_ROOT, 'node_modules/@vscode/tree-sitter-wasm/wasm', `tree-sitter-${g}.wasm`)),
        g,
      );
  });
});
