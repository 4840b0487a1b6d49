import * as assert from 'assert';
import { DEFAULTS, SETTING_KEYS, isColouredDocument, readSettings } from '../../../../src/extension/lens/lensSettings';

describe('lens settings', () => {
  it('returns the defaults when nothing is set', () => {
    const r = readSettings(() => undefined);
    assert.deepStrictEqual(r.settings, DEFAULTS);
    assert.deepStrictEqual(r.problems, []);
  });

  it('reads good values and names every bad one, falling back to its default', () => {
    const raw: Record<string, unknown> = {
      [SETTING_KEYS.modelPath]: '  ~/m.onnx ',
      [SETTING_KEYS.defaultLayer]: 1,
      [SETTING_KEYS.defaultCell]: -3,
      [SETTING_KEYS.defaultSignal]: 'q',
      [SETTING_KEYS.opacity]: 0.5,
      [SETTING_KEYS.maxFileChars]: 0,
      [SETTING_KEYS.languages]: ['c', ''],
      [SETTING_KEYS.schemes]: ['file'],
      [SETTING_KEYS.colouringEnabled]: 'yes',
    };
    const r = readSettings((k) => raw[k]);
    assert.strictEqual(r.settings.modelPath, '~/m.onnx');
    assert.strictEqual(r.settings.defaultLayer, 1);
    assert.strictEqual(r.settings.defaultCell, 0);
    assert.strictEqual(r.settings.defaultSignal, 'c');
    assert.strictEqual(r.settings.opacity, 0.5);
    assert.strictEqual(r.settings.maxFileChars, DEFAULTS.maxFileChars);
    assert.deepStrictEqual(r.settings.languages, DEFAULTS.languages);
    assert.deepStrictEqual(r.settings.schemes, ['file']);
    assert.strictEqual(r.settings.colouringEnabled, true);
    assert.strictEqual(r.problems.length, 5);
    assert.match(r.problems.join('\n'), /lstmLens\.default\.cell must be an integer >= 0, got -3; using 0/);
    assert.match(r.problems.join('\n'), /lstmLens\.default\.signal must be one of h, c, i, f, o, g, r, z, n, got "q"/);
    assert.match(r.problems.join('\n'), /lstmLens\.colouring\.maxFileSize must be a positive integer/);
  });

  it('colours documents by language and scheme, * meaning every language', () => {
    const s = { ...DEFAULTS, languages: ['c'], schemes: ['file'] };
    assert.ok(isColouredDocument(s, 'c', 'file'));
    assert.ok(!isColouredDocument(s, 'typescript', 'file'));
    assert.ok(!isColouredDocument(s, 'c', 'git'));
    assert.ok(isColouredDocument({ ...s, languages: ['*'] }, 'anything', 'file'));
  });
});
