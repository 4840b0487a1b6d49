// `npm run train:default`: trains the bundled default model with our own
// trainer on a licence-clean code corpus that every machine here has offline
// (or from the npm registry):
//   Python  — the standard library of Debian's python3.11 (/usr/lib/python3.11/*.py, PSF licence)
//   TS      — typescript's lib/*.d.ts from node_modules (Apache-2.0)
//   JS      — webpack's lib/**/*.js from node_modules, first 3 MB in path order (MIT)
//   C       — SQLite's amalgamation sqlite3.c (public domain) from the npm package
//             better-sqlite3@12.11.1 (`npm pack`, no install scripts run), cut into
//             its original source files at the "Begin file" markers
// Whole files are held out for validation (seeded), so the validation bits
// per character are on code the model never saw.
// Options: --minutes N (45), --layers L (1), --hidden H (256), --threads N (1), --out PATH
// (media/models/default.onnx), --cache DIR (os.tmpdir()/lstm-lens-corpus),
// --init MODEL (continue training that model: same vocabulary, shape and
// validation files, since the split is seeded), --lr RATE (2e-3).

import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readModelFile } from '../src/core/model/modelFile';
import { train } from '../src/core/training/trainer';
import type { CorpusFile } from '../src/core/training/corpusSplit';

const SQLITE_PACKAGE = 'better-sqlite3@12.11.1';
const ROOT = path.resolve(__dirname, '..', '..');

function arg(name: string, fallback: string): string {
  const j = process.argv.indexOf(`--${name}`);
  return j >= 0 && process.argv[j + 1] !== undefined ? process.argv[j + 1] : fallback;
}

function readDir(dir: string, test: (name: string) => boolean, recursive: boolean): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && recursive) out.push(...readDir(p, test, true));
    else if (e.isFile() && test(e.name)) out.push(p);
  }
  return out;
}

function load(paths: string[], capBytes = Infinity): CorpusFile[] {
  const files: CorpusFile[] = [];
  let total = 0;
  for (const p of paths) {
    const text = fs.readFileSync(p, 'utf8');
    if (text.length > 300_000) continue; // generated-size files say little about code style
    if (total + text.length > capBytes) break;
    total += text.length;
    files.push({ name: path.relative(ROOT, p), text });
  }
  return files;
}

/** sqlite3.c from the npm tarball (cached), cut into its original files. */
function sqliteFiles(cache: string): CorpusFile[] {
  const src = path.join(cache, 'package', 'deps', 'sqlite3', 'sqlite3.c');
  if (!fs.existsSync(src)) {
    fs.mkdirSync(cache, { recursive: true });
    const tgz = execFileSync('npm', ['pack', SQLITE_PACKAGE, '--silent'], { cwd: cache, encoding: 'utf8' })
      .trim()
      .split('\n')
      .pop()!;
    execFileSync('tar', ['xzf', tgz, 'package/deps/sqlite3/sqlite3.c'], { cwd: cache });
  }
  const text = fs.readFileSync(src, 'utf8');
  const parts = text.split(/^(?=\/\*+ Begin file )/m);
  return parts.map((t, j) => ({ name: `sqlite3.c#${/Begin file (\S+)/.exec(t)?.[1] ?? `part${j}`}`, text: t }));
}

async function main(): Promise<void> {
  const minutes = Number(arg('minutes', '45'));
  const out = path.resolve(arg('out', path.join(ROOT, 'media', 'models', 'default.onnx')));
  const cache = arg('cache', path.join(os.tmpdir(), 'lstm-lens-corpus'));
  const nm = path.join(ROOT, 'node_modules');
  const python = load(readDir('/usr/lib/python3.11', (n) => n.endsWith('.py'), false));
  const ts = load(readDir(path.join(nm, 'typescript', 'lib'), (n) => n.endsWith('.d.ts'), false));
  const js = load(
    readDir(path.join(nm, 'webpack', 'lib'), (n) => n.endsWith('.js'), true),
    3_000_000,
  );
  const c = sqliteFiles(cache);
  const files = [...python, ...ts, ...js, ...c];
  const mb = (fs: CorpusFile[]): string => (fs.reduce((s, f) => s + f.text.length, 0) / 1e6).toFixed(1);
  console.log(
    `corpus: Python ${python.length} files ${mb(python)} MB, TS ${ts.length} files ${mb(ts)} MB, JS ${js.length} files ${mb(js)} MB, C ${c.length} parts ${mb(c)} MB`,
  );
  const corpus = `Python stdlib 3.11 (${mb(python)} MB, PSF), typescript lib .d.ts (${mb(ts)} MB, Apache-2.0), webpack lib JS (${mb(js)} MB, MIT), SQLite amalgamation (${mb(c)} MB, public domain)`;
  const init = arg('init', '');
  const initModel = init ? await readModelFile(path.resolve(init)) : undefined;
  if (initModel)
    console.log(
      `continuing ${init}: ${initModel.layers.length}×${initModel.layers[0].hiddenSize} ${initModel.layers[0].kind}`,
    );
  const started = Date.now();
  const result = await train(
    {
      files,
      validationFraction: 0.03,
      maxValidationChars: 250_000,
      layers: Number(arg('layers', '1')),
      hiddenSize: Number(arg('hidden', '256')),
      embeddingSize: 64,
      vocabMaxSize: 100,
      seqLength: 100,
      batchSize: 32,
      learningRate: Number(arg('lr', '2e-3')),
      lrDecay: 0.9,
      gradClip: 5,
      seed: 1,
      maxSeconds: minutes * 60,
      evalEvery: 500,
      threads: Number(arg('threads', '1')),
      outPath: out,
      initModel,
      sampleEvery: 1500,
      metadata: { 'lstm_lens.corpus_sources': corpus, 'lstm_lens.name': 'LSTM Lens default (code: C, Python, TS, JS)' },
    },
    {
      onStart: (s, shape, P) =>
        console.log(
          `train ${s.trainFiles} files ${s.trainChars} chars, validation ${s.validationFiles} files ${s.validationChars} chars (${s.note}); vocab ${s.vocabSize}; ${shape.layers}×${shape.hiddenSize} ${shape.kind}, ${P} parameters`,
        ),
      onProgress: (p) =>
        console.log(
          `step ${p.step} epoch ${p.epoch.toFixed(2)} train ${p.trainBitsPerChar.toFixed(3)} bpc, val ${p.valBitsPerChar?.toFixed(3) ?? '-'} (best ${p.bestValBitsPerChar?.toFixed(3) ?? '-'}), ${Math.round(p.charsPerSecond)} chars/s, lr ${p.learningRate.toExponential(2)}, ETA ${Math.round(p.etaSeconds ?? 0)} s`,
        ),
      onCheckpoint: (c) =>
        console.log(`checkpoint: step ${c.step}, validation ${c.valBitsPerChar.toFixed(4)} bits/char → ${c.path}`),
      onSample: (s) => console.log(`sample at step ${s.step}:\n${s.text}\n---`),
    },
  );
  console.log(
    `done (${result.stoppedBy}) after ${result.steps} steps, ${result.charsTrained} chars, ${((Date.now() - started) / 60000).toFixed(1)} min; best validation ${result.bestValBitsPerChar.toFixed(4)} bits/char; model ${out}`,
  );
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
