// The labels shipped beside the bundled model belong to it: regenerate them
// with `npm run labels:default` whenever media/models/default.onnx changes.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { openingCell, parseBundledLabels, sha256 } from '../../../src/core/analysis/bundledLabels';
import { DISCOVERY_VERSION } from '../../../src/core/analysis/cacheKey';
import { REPO_ROOT } from '../../helpers/packageManifest';
import { HELD_OUT_PACKAGES } from '../../../scripts/defaultCorpus';

const MODEL = path.join(REPO_ROOT, 'media', 'models', 'default.onnx');
const LABELS = path.join(REPO_ROOT, 'media', 'models', 'default.labels.json');

describe('the bundled model’s labels (media/models/default.labels.json)', () => {
  const labels = parseBundledLabels(fs.readFileSync(LABELS, 'utf8'), LABELS);

  it('are of the current discovery version and name the bundled model’s SHA-256 (else: npm run labels:default)', () => {
    assert.ok(labels, `made by an older discovery (not version ${DISCOVERY_VERSION}): run npm run labels:default`);
    assert.strictEqual(labels.model.sha256, sha256(fs.readFileSync(MODEL)), 'run npm run labels:default');
  });

  it('come from a multi-language sample outside the training corpus', () => {
    assert.ok(labels);
    const languages = new Set(labels.sample.map((f) => f.language));
    assert.ok(languages.size >= 3, `languages: ${[...languages].join(', ')}`);
    const chars = labels.sample.reduce((n, f) => n + f.chars, 0);
    assert.ok(chars >= 100_000, `${chars} characters`);
    // Outside the training corpus (scripts/defaultCorpus.ts): a C header of /usr/include, or a file of an
    // npm package the corpus holds out (the package is the one after the last node_modules/).
    const outside = (name: string): boolean => {
      if (/^\/usr\/include\/[^/]+\.h$/.test(name)) return true;
      const pkg = /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(name)?.[1];
      return pkg !== undefined && HELD_OUT_PACKAGES.has(pkg);
    };
    assert.deepStrictEqual(
      labels.sample.filter((f) => !outside(f.name)).map((f) => f.name),
      [],
    );
    assert.strictEqual(labels.stored.discovery.count, chars, 'the discovery scored the whole sample');
  });

  it('open the editor on an inside-string or comment detector', () => {
    assert.ok(labels);
    const open = openingCell(labels.stored.discovery);
    assert.ok(open, 'an opening cell');
    assert.ok(['inString', 'inDoubleQuote', 'inComment', 'inLineComment'].includes(open.feature), open.feature);
    assert.ok(open.score >= labels.stored.discovery.minAbsR, `score ${open.score}`);
    assert.ok(open.threshold !== undefined, 'a binary detector has a threshold to draw');
  });
});
