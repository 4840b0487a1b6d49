import * as assert from 'assert';
import { DEFAULT_INCLUDE, readTrainingSettings } from '../../../../src/extension/training/trainingSettings';
import { readPackageManifest } from '../../../helpers/packageManifest';

describe('extension/trainingSettings', () => {
  it('defaults: the source-code glob, 512 KB per file, 20 MB in all', () => {
    const r = readTrainingSettings(() => undefined);
    assert.deepStrictEqual(r, {
      settings: { include: DEFAULT_INCLUDE, maxFileBytes: 512 * 1024, maxTotalBytes: 20 * 1024 * 1024 },
      problems: [],
    });
  });

  it('reads good values', () => {
    const v: Record<string, unknown> = {
      'training.include': 'src/**/*.ts',
      'training.maxFileSizeKB': 64,
      'training.maxCorpusMB': 1.5,
    };
    assert.deepStrictEqual(readTrainingSettings((k) => v[k]).settings, {
      include: 'src/**/*.ts',
      maxFileBytes: 65536,
      maxTotalBytes: 1572864,
    });
  });

  it('falls back on bad values and names each problem', () => {
    const v: Record<string, unknown> = {
      'training.include': '**/*.{ts',
      'training.maxFileSizeKB': -3,
      'training.maxCorpusMB': 'lots',
    };
    const r = readTrainingSettings((k) => v[k]);
    assert.strictEqual(r.settings.include, DEFAULT_INCLUDE);
    assert.strictEqual(r.problems.length, 3);
    assert.match(r.problems[0], /lstmLens\.training\.include: glob "\*\*\/\*\.\{ts" has an unclosed/);
    assert.match(r.problems[1], /lstmLens\.training\.maxFileSizeKB must be a number from 1 to 100000, got -3/);
    assert.match(r.problems[2], /maxCorpusMB.*"lots"/);
  });
});

describe('extension/trainingSettings vs the manifest', () => {
  it('package.json declares the same keys and defaults', () => {
    const manifest = readPackageManifest();
    const props = manifest.contributes.configuration.properties;
    assert.strictEqual(props['lstmLens.training.include'].default, DEFAULT_INCLUDE);
    assert.strictEqual(props['lstmLens.training.maxFileSizeKB'].default, 512);
    assert.strictEqual(props['lstmLens.training.maxCorpusMB'].default, 20);
  });
});
