import * as assert from 'assert';
import { FEATURES, codeFeature, computeCodeFeatures } from '../../../../src/core/analysis/codeFeatures';
import type { FeatureId } from '../../../../src/core/analysis/codeFeatures';
import { LANGUAGES, languageFromId, languageFromPath } from '../../../../src/core/analysis/languages';

// A binary feature as a string under the text: '^' where on, '.' where off.
function mask(text: string, lang: string, id: FeatureId): string {
  return Array.from(codeFeature(text, LANGUAGES[lang], id), (v) => (v ? '^' : '.')).join('');
}
function values(text: string, lang: string, id: FeatureId): number[] {
  return Array.from(codeFeature(text, LANGUAGES[lang], id));
}

describe('code features: strings', () => {
  it('marks a string from its opening quote to before the closing quote, with escaped quotes inside', () => {
    const text = 'x = "a\\"b" + y';
    assert.strictEqual(mask(text, 'c', 'inString'), '....^^^^^.....');
    assert.strictEqual(mask(text, 'c', 'inDoubleQuote'), '....^^^^^.....');
    assert.strictEqual(mask(text, 'c', 'inSingleQuote'), '..............');
  });
  it('does not start a comment at // inside a string, nor a string at a quote inside a comment', () => {
    assert.strictEqual(mask('s = "http://x"; // it\'s', 'javascript', 'inComment'), '................^^^^^^^');
    assert.strictEqual(mask('s = "http://x"; // it\'s', 'javascript', 'inString'), '....^^^^^^^^^..........');
  });
  it('ends an unterminated quote at the newline (CRLF too)', () => {
    assert.strictEqual(mask('a = "abc\r\nb = 1', 'c', 'inString'), '....^^^^.......');
  });
  it('handles JS template literals with ${} nesting, braces inside and nested templates', () => {
    const text = '`a${ {b:1}[`c${d}`] }e` + f';
    //            `a${ {b:1}[`c${d}`] }e` + f
    assert.strictEqual(mask(text, 'javascript', 'inBacktick'), '^^^........^^^..^...^^.....');
    assert.strictEqual(values(text, 'javascript', 'braceDepth').join(''), '000112222111112211110000000');
  });
  it('tells JS regex literals from division', () => {
    assert.strictEqual(
      mask('a = b / c / d; r = /[/"]x\\//g;', 'javascript', 'inRegex'),
      '...................^^^^^^^^...',
    );
    assert.strictEqual(mask('r = /[/"]x\\//g;', 'javascript', 'inString'), '...............');
    assert.strictEqual(mask('return /a/.test(s)', 'javascript', 'inRegex'), '.......^^.........');
  });
  it('reads Python triple quotes, prefixes and single-quote strings', () => {
    const text = 'x = r"""a"b\n"" """ + f\'{y}\' # c';
    assert.strictEqual(mask(text, 'python', 'inTripleQuote'), '....^^^^^^^^^^^^^..............');
    assert.strictEqual(mask(text, 'python', 'inSingleQuote'), '.....................^^^^^.....');
    assert.strictEqual(mask(text, 'python', 'inComment'), '............................^^^');
  });
  it('reads Go raw strings (no escapes, multi-line) and Rust raw strings, byte strings and lifetimes', () => {
    assert.strictEqual(mask('s := `a\\`+"b"', 'go', 'inBacktick'), '.....^^^.....');
    assert.strictEqual(mask('r#"a"b"# x', 'rust', 'inString'), '^^^^^^^...');
    assert.strictEqual(
      mask("fn f<'a>(x: &'a str) -> char { 'x' }", 'rust', 'inSingleQuote'),
      '.'.repeat(31) + '^^' + '...',
    );
    assert.strictEqual(mask("c = '\\''; d", 'c', 'inSingleQuote'), '....^^^....');
  });
  it('reads C++ raw strings and C# verbatim strings', () => {
    assert.strictEqual(mask('s = R"x(a)"b)x";', 'cpp', 'inString'), '....^^^^^^^^^^..');
    assert.strictEqual(mask('s = @"a\\""b";', 'csharp', 'inString'), '....^^^^^^^..');
  });
});

describe('code features: comments, numbers, keywords', () => {
  it('nests Rust block comments but not C ones', () => {
    const text = '/* a /* b */ c */ d';
    assert.strictEqual(mask(text, 'rust', 'inBlockComment'), '^'.repeat(16) + '...');
    assert.strictEqual(mask(text, 'c', 'inBlockComment'), '^'.repeat(11) + '........');
  });
  it('marks numbers including hex, exponents and fractions, but not digits in names', () => {
    assert.strictEqual(mask('x1 = 0x1F + 1.5e-3 - .5;', 'c', 'inNumber'), '.....^^^^...^^^^^^...^^.');
    assert.strictEqual(mask('for i in 0..10 {}', 'rust', 'inNumber'), '.........^..^^...');
  });
  it('marks whitespace input, the baseline for cells that echo the current character', () => {
    assert.strictEqual(mask('a b\t\r\n"c d"', 'c', 'isWhitespace'), '.^.^^^..^..');
  });
  it('marks the end of a keyword and the blanks after it', () => {
    assert.strictEqual(mask('return  x; iffy', 'c', 'afterKeyword'), '.....^^^.......');
  });
});

describe('code features: conditions and depths', () => {
  it('marks the parenthesised condition of if/while/for in C-like languages', () => {
    assert.strictEqual(mask('if (a(b)) { while (c) x(); }', 'java', 'inCondition'), '...^^^^^..........^^........');
    assert.strictEqual(mask('for (;;) {}', 'c', 'inCondition'), '....^^^....');
  });
  it('marks Go/Rust conditions up to the brace and Python ones up to the colon', () => {
    assert.strictEqual(mask('if x > f(1) { y }', 'go', 'inCondition'), '...^^^^^^^^^.....');
    assert.strictEqual(mask('if a and (b or\n c):\n  d', 'python', 'inCondition'), '...^^^^^^^^^^^^^^^.....');
    assert.strictEqual(mask('z = [x for x in y if x]\nw', 'python', 'inCondition'), '...........^^^^^^^^^^^...');
  });
  it('counts bracket depth outside strings and comments and never below zero', () => {
    assert.deepStrictEqual(
      values('f(a["(", {b}]) // (', 'javascript', 'nestingDepth'),
      [0, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 2, 1, 0, 0, 0, 0, 0, 0],
    );
    assert.deepStrictEqual(values(')) (', 'c', 'parenDepth'), [0, 0, 0, 1]);
  });
});

describe('code features: lines and indentation', () => {
  it('counts columns in code points, resetting after each newline, CRLF included', () => {
    assert.deepStrictEqual(values('ab\r\nc😀d\n', 'generic', 'column'), [1, 2, 0, 0, 1, 2, 3, 0]);
  });
  it('measures indentation in columns with tabs to the next tab stop, and in levels', () => {
    const text = 'a\n\tb\n  \tc\n        d\n';
    const f = computeCodeFeatures(text, LANGUAGES.c, { tabSize: 4 });
    const cols = Array.from(f.values[FEATURES.findIndex((s) => s.id === 'indentColumns')]);
    // a \n | \t b \n | ' ' ' ' \t c \n | 8 spaces d \n
    assert.deepStrictEqual(cols, [0, 0, 4, 4, 0, 1, 2, 4, 4, 0, 1, 2, 3, 4, 5, 6, 7, 8, 8, 0]);
    const levels = Array.from(f.values[FEATURES.findIndex((s) => s.id === 'indentLevels')]);
    assert.deepStrictEqual(levels.slice(13, 19), [1, 1.25, 1.5, 1.75, 2, 2]); // unit 4: most common increase
    assert.strictEqual(mask(text, 'c', 'atLineStart'), '.^^.^^^^.^^^^^^^^^.^');
  });
  it('finds a two-space indentation unit', () => {
    const text = 'a\n  b\n    c\n  d\n';
    const levels = values(text, 'python', 'indentLevels');
    assert.strictEqual(levels[text.indexOf('c')], 2);
  });
});

describe('code features: language choice and errors', () => {
  it('chooses languages from VS Code ids and file names', () => {
    assert.strictEqual(languageFromId('typescriptreact').name, 'javascript');
    assert.strictEqual(languageFromId('rust').name, 'rust');
    assert.strictEqual(languageFromId('plaintext').name, 'generic');
    assert.strictEqual(languageFromPath('/a/b/main.go').name, 'go');
    assert.strictEqual(languageFromPath('C:\\x\\Setup.PY').name, 'python');
    assert.strictEqual(languageFromPath('Makefile').name, 'shell');
    assert.strictEqual(languageFromPath('README').name, 'generic');
  });
  it('names an unknown feature and a bad tab size', () => {
    assert.throws(() => codeFeature('x', LANGUAGES.c, 'nope' as FeatureId), /unknown code feature 'nope'/);
    assert.throws(() => computeCodeFeatures('x', LANGUAGES.c, { tabSize: 0 }), /tabSize must be at least 1/);
  });
  it('gives every feature one value per code point', () => {
    const f = computeCodeFeatures('a😀\n"b"', LANGUAGES.javascript);
    assert.strictEqual(f.length, 6);
    for (const v of f.values) assert.strictEqual(v.length, 6);
  });
});
