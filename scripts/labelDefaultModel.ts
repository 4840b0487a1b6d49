// `npm run labels:default`: labels the cells of the bundled model
// (media/models/default.onnx) with our own cell discovery on a multi-language
// sample of code it was not trained on (its corpus: scripts/defaultCorpus.ts),
// and writes media/models/default.labels.json. Run it whenever the model
// changes; test/unit/media/bundledModelLabels.test.ts fails until it is run.
// The sample, from what every machine here has offline after `npm ci`:
//   Python     — gyp's pylib of npm's bundled node-gyp (BSD-3-Clause)
//   JavaScript — mocha's lib/**/*.js (MIT)
//   TypeScript — chart.js's dist/types/**/*.d.ts (MIT)
//   C          — the C headers in /usr/include (glibc and others; read, not shipped)
// drawn language-balanced and seeded (core/analysis/sampleTexts.ts), ~200k
// characters. The output lists every file with its SHA-256.
// Options: --model PATH, --out PATH, --chars N (200000).

import * as fs from 'fs';
import * as path from 'path';
import { discoverCells } from '../src/core/analysis/discoverCells';
import { toStored } from '../src/core/analysis/discoveryStore';
import { pickSample } from '../src/core/analysis/sampleTexts';
import { languageFromPath } from '../src/core/analysis/languages';
import { BUNDLED_LABELS_VERSION, openingCell, sha256, type BundledLabels } from '../src/core/analysis/bundledLabels';
import type { SampleText } from '../src/core/analysis/cacheKey';
import { readModelFile } from '../src/core/model/modelFile';
import { filesUnder, npmDir } from '../bench/benchFiles';

const ROOT = path.resolve(__dirname, '..', '..');

function arg(name: string, fallback: string): string {
  const j = process.argv.indexOf(`--${name}`);
  return j >= 0 && process.argv[j + 1] !== undefined ? process.argv[j + 1] : fallback;
}

function sources(): string[] {
  const nm = path.join(ROOT, 'node_modules');
  return [
    ...filesUnder(path.join(npmDir(), 'node_modules', 'node-gyp', 'gyp', 'pylib'), /\.py$/),
    ...filesUnder(path.join(nm, 'mocha', 'lib'), /\.js$/),
    ...filesUnder(path.join(nm, 'chart.js', 'dist', 'types'), /\.d\.ts$/),
    ...filesUnder('/usr/include', /\.h$/, 0),
  ];
}

function displayName(p: string): string {
  const rel = path.relative(ROOT, p);
  return rel.startsWith('..') ? p : rel;
}

async function main(): Promise<void> {
  const modelPath = path.resolve(arg('model', path.join(ROOT, 'media', 'models', 'default.onnx')));
  const out = path.resolve(arg('out', modelPath.replace(/\.onnx$/, '.labels.json')));
  const maxChars = Number(arg('chars', '200000'));
  if (!(Number.isInteger(maxChars) && maxChars >= 1000))
    throw new Error(`--chars must be an integer ≥ 1000, got ${maxChars}`);

  const files: SampleText[] = [];
  for (const p of sources()) {
    const text = fs.readFileSync(p, 'utf8');
    if (text.length < 200 || text.includes('\uFFFD')) continue;
    files.push({ name: displayName(p), text, language: languageFromPath(p).name });
  }
  const texts = pickSample(files, { maxChars, maxPerFile: 12_000 });
  const byLanguage = new Map<string, number>();
  for (const t of texts) byLanguage.set(t.language, (byLanguage.get(t.language) ?? 0) + t.text.length);
  console.log(
    `sample: ${texts.length} files, ${[...byLanguage].map(([l, n]) => `${l} ${n.toLocaleString('en')}`).join(', ')} characters`,
  );

  const bytes = fs.readFileSync(modelPath);
  const model = await readModelFile(modelPath);
  const t0 = Date.now();
  const result = await discoverCells(model, texts, { maxChars, label: { minAbsR: 0.6 }, probes: { floor: true } });
  const stored = toStored(result);
  const labels: BundledLabels = {
    version: BUNDLED_LABELS_VERSION,
    model: { file: path.basename(modelPath), sha256: sha256(bytes) },
    createdBy: 'scripts/labelDefaultModel.ts',
    sample: texts.map((t) => ({
      name: t.name,
      language: t.language,
      chars: Array.from(t.text).length,
      sha256: sha256(t.text),
    })),
    stored,
  };
  fs.writeFileSync(out, JSON.stringify(labels) + '\n');
  const open = openingCell(stored.discovery);
  console.log(
    `${stored.discovery.labels.length} labelled cells in ${((Date.now() - t0) / 1000).toFixed(1)} s; opens on ${
      open
        ? `L${open.layer} ${open.signal}[${open.unit}] (${open.feature}, score ${open.score.toFixed(2)})`
        : 'no label'
    } → ${path.relative(process.cwd(), out)}`,
  );
  for (const l of stored.discovery.labels.slice(0, 12)) console.log(`  L${l.layer} ${l.signal}[${l.unit}] ${l.text}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
