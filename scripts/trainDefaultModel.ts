// `npm run train:default`: trains the bundled default model with our own
// trainer on a licence-clean code corpus in nine languages that Debian and
// npm packages ship (scripts/defaultCorpus.ts lists the sources and their
// licences; this script installs the Debian packages it reads).
// Whole files are held out for validation (seeded), so the validation bits
// per character are on code the model never saw; bench:heldout scores on
// whole projects outside the corpus.
// Options: --minutes N (45), --layers L (1), --hidden H (256), --threads N (2),
// --batch B (32), --out PATH (media/models/default.onnx), --cache DIR
// (os.tmpdir()/lstm-lens-corpus), --init MODEL (continue training that model:
// same vocabulary and shape; the split is seeded, so stages hold out the same
// files), --lr RATE (2e-3), --decay F (0.9 per 1000 steps), --ema D (0 = off:
// validate and save a moving average of the weights, decay D per step), --corpus-only
// (build and summarise the corpus, train nothing), --val-chars N (1 000 000:
// validate on every held-out file, all nine languages; the trainer reads the
// first N characters of them in corpus order), --eval-every STEPS (1000), --score MODEL (that model's
// bits/char on every held-out file of the split, per language; trains nothing).

import { execFileSync } from 'child_process';
import * as os from 'os';
import * as path from 'path';
import { readModelFile } from '../src/core/model/modelFile';
import { train } from '../src/core/training/trainer';
import { splitByFile } from '../src/core/training/corpusSplit';
import { Vocabulary } from '../src/core/model/vocab';
import { heldOutBitsPerChar } from '../bench/heldOutScore';
import { CORPUS_APT_PACKAGES, corpusSummary, defaultCorpus, type CorpusPart } from './defaultCorpus';

const ROOT = path.resolve(__dirname, '..', '..');

function arg(name: string, fallback: string): string {
  const j = process.argv.indexOf(`--${name}`);
  return j >= 0 && process.argv[j + 1] !== undefined ? process.argv[j + 1] : fallback;
}

const VALIDATION_FRACTION = 0.03;
const SEED = 1;

/**
 * Bits/char of a model on every held-out file of the split (not only the
 * first `maxValidationChars` the trainer checks), per language and over all.
 */
async function scoreValidation(modelPath: string, parts: CorpusPart[]): Promise<void> {
  const model = await readModelFile(path.resolve(modelPath));
  const vocab = new Vocabulary(model.vocab);
  const held = new Set(
    splitByFile(
      parts.flatMap((p) => p.files),
      VALIDATION_FRACTION,
      SEED,
    ).validation,
  );
  let bits = 0;
  let count = 0;
  for (const p of parts) {
    const files = p.files.filter((f) => held.has(f));
    if (files.length === 0) continue;
    const ids = vocab.encode(files.map((f) => f.text).join('\n'));
    const bpc = await heldOutBitsPerChar(model, ids);
    console.log(
      `  ${p.language.padEnd(11)} ${bpc.toFixed(3)} bits/char over ${ids.length} chars of ${files.length} files`,
    );
    bits += bpc * ids.length;
    count += ids.length;
  }
  console.log(`validation, every held-out file: ${(bits / count).toFixed(3)} bits/char over ${count} chars`);
}

async function main(): Promise<void> {
  const minutes = Number(arg('minutes', '45'));
  const out = path.resolve(arg('out', path.join(ROOT, 'media', 'models', 'default.onnx')));
  const cache = arg('cache', path.join(os.tmpdir(), 'lstm-lens-corpus'));
  execFileSync('bash', [path.join(ROOT, 'scripts', 'aptPackages.sh'), 'train:default', ...CORPUS_APT_PACKAGES], {
    stdio: 'inherit',
  });
  const parts = defaultCorpus(ROOT, cache);
  const files = parts.flatMap((p) => p.files);
  console.log(`corpus: ${corpusSummary(parts)}`);
  const corpus = parts.map((p) => `${p.language}: ${p.sources}`).join('; ');
  if (process.argv.includes('--corpus-only')) return;
  const scored = arg('score', '');
  if (scored) return scoreValidation(scored, parts);
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
      validationFraction: VALIDATION_FRACTION,
      maxValidationChars: Number(arg('val-chars', '1000000')),
      layers: Number(arg('layers', '1')),
      hiddenSize: Number(arg('hidden', '256')),
      embeddingSize: 64,
      vocabMaxSize: 100,
      seqLength: 100,
      batchSize: Number(arg('batch', '32')),
      learningRate: Number(arg('lr', '2e-3')),
      lrDecay: Number(arg('decay', '0.9')),
      gradClip: 5,
      emaDecay: Number(arg('ema', '0')),
      seed: SEED,
      maxSeconds: minutes * 60,
      evalEvery: Number(arg('eval-every', '1000')),
      threads: Number(arg('threads', '2')),
      outPath: out,
      initModel,
      sampleEvery: 1500,
      metadata: {
        'lstm_lens.corpus_sources': corpus,
        'lstm_lens.name': 'LSTM Lens default (code: C, Python, JS, TS, Go, Rust, Java, shell, Markdown)',
      },
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
      onStartValidation: (bpc) =>
        console.log(`continued model before training: validation ${bpc.toFixed(4)} bits/char`),
      onCheckpoint: (c) =>
        console.log(`checkpoint: step ${c.step}, validation ${c.valBitsPerChar.toFixed(4)} bits/char → ${c.path}`),
      onSample: (s) => console.log(`sample at step ${s.step}:\n${s.text}\n---`),
    },
  );
  console.log(
    `done (${result.stoppedBy}) after ${result.steps} steps, ${result.charsTrained} chars, ${((Date.now() - started) / 60000).toFixed(1)} min; best validation ${result.bestValBitsPerChar.toFixed(4)} bits/char; model ${out} (${result.engine === 'native' ? 'native kernel' : 'ONNX graph'})`,
  );
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
