// `npm run bench:quality`: what each trainer learns in the same wall time.
// Ours (src/core/training/trainer.ts, as the extension trains: the batch over
// one worker per core) and PyTorch (scripts/torch/train.py, its best CPU
// configuration here: OPENBLAS_NUM_THREADS=1) train the same model (1-layer
// LSTM, H=256, E=64, B=32, T=100, Adam 2e-3, clip 5) on exactly the same ids
// for the same number of seconds, then both models are scored by one scorer
// (our eval graph, B streams over the held-out text, state carried) on the
// same held-out files. Corpus: the JavaScript npm ships with (its lib/ and its
// bundled node_modules), split by file. Nothing else should run beside it.
// Options: --seconds S per trainer (120), --torch-threads N (1), --max-mb M of corpus (6).

import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readModelFile, writeModelFile } from '../src/core/model/modelFile';
import { Vocabulary } from '../src/core/model/vocab';
import { encodeFiles, splitByFile, vocabularyFor } from '../src/core/training/corpusSplit';
import type { CorpusFile } from '../src/core/training/corpusSplit';
import { train } from '../src/core/training/trainer';
import { benchHeader } from './benchHeader';
import { filesUnder, npmDir } from './benchFiles';
import { heldOutBitsPerChar } from './heldOutScore';

const PYTHON = '/usr/bin/python3';
const TRAIN_PY = path.join(__dirname, '..', '..', 'scripts', 'torch', 'train.py');
const argOf = (name: string, d: number): number => {
  const j = process.argv.indexOf(`--${name}`);
  return j >= 0 ? Number(process.argv[j + 1]) : d;
};
const SECONDS = argOf('seconds', 120);
const TORCH_THREADS = argOf('torch-threads', 1);
const MAX_BYTES = argOf('max-mb', 6) * 1e6;
const SETTINGS = { hiddenSize: 256, embeddingSize: 64, seqLength: 100, batchSize: 32, learningRate: 2e-3, gradClip: 5 };
const MAX_VAL = 200_000;

function npmJavaScript(): CorpusFile[] {
  const npm = npmDir();
  const files: CorpusFile[] = [];
  let bytes = 0;
  for (const f of filesUnder(npm, /\.[cm]?js$/)) {
    if (f.endsWith('.min.js') || bytes >= MAX_BYTES) continue;
    const text = fs.readFileSync(f, 'utf8');
    files.push({ name: path.relative(npm, f), text });
    bytes += text.length;
  }
  return files;
}

async function main(): Promise<void> {
  console.log(benchHeader('quality bench'));
  const files = npmJavaScript();
  const split = splitByFile(files, 0.1, 1);
  const vocab = new Vocabulary(vocabularyFor(split.train, 100, 1));
  const trainIds = encodeFiles(split.train, vocab);
  const valIds = encodeFiles(split.validation, vocab).subarray(0, MAX_VAL);
  console.log(
    `corpus: npm's own JavaScript, ${split.train.length} files (${trainIds.length} chars) to train on, ` +
      `${split.validation.length} held out (${valIds.length} chars scored); vocabulary ${vocab.size}`,
  );
  console.log(`model: 1 layer LSTM, H=256, E=64, B=32, T=100, Adam 2e-3, clip 5; ${SECONDS} s of training each`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-quality-'));
  try {
    // Ours: the trainer as the extension runs it; validates once, after the time is up.
    const ours = await train({
      files: split.train,
      validationFiles: split.validation,
      maxValidationChars: MAX_VAL,
      maxSeconds: SECONDS,
      evalEvery: 1e9,
      ...SETTINGS,
    });
    const oursPath = path.join(dir, 'ours.onnx');
    await writeModelFile(ours.model, oursPath);
    const oursChars = ours.charsTrained;

    // PyTorch: the same ids, through train.py's --prepared input.
    fs.writeFileSync(path.join(dir, 'vocab.json'), JSON.stringify(vocab.spec));
    fs.writeFileSync(
      path.join(dir, 'train.ids'),
      Buffer.from(trainIds.buffer, trainIds.byteOffset, trainIds.byteLength),
    );
    fs.writeFileSync(path.join(dir, 'val.ids'), Buffer.from(valIds.buffer, valIds.byteOffset, valIds.byteLength));
    const torchPath = path.join(dir, 'torch.onnx');
    const r = spawnSync(
      PYTHON,
      [
        TRAIN_PY,
        '--prepared',
        dir,
        '--out',
        torchPath,
        '--seconds',
        String(SECONDS),
        '--eval-every',
        '1000000000',
        '--threads',
        String(TORCH_THREADS),
        '--hidden',
        '256',
        '--embedding',
        '64',
        '--seq',
        '100',
        '--batch',
        '32',
        '--lr',
        '2e-3',
        '--clip',
        '5',
      ],
      { env: { ...process.env, OPENBLAS_NUM_THREADS: '1' }, encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`train.py failed: ${r.stderr.trim().split('\n').slice(-3).join(' / ')}`);
    const torchRun = JSON.parse(r.stdout.trim().split('\n').pop()!) as { chars: number; steps: number };

    const oursBpc = await heldOutBitsPerChar(await readModelFile(oursPath), valIds);
    const torchBpc = await heldOutBitsPerChar(await readModelFile(torchPath), valIds);
    console.log(
      `  ours     ${oursBpc.toFixed(3)} bits/char after ${oursChars} chars (${ours.steps} steps, ${Math.round(oursChars / SECONDS)} chars/s)`,
    );
    console.log(
      `  PyTorch  ${torchBpc.toFixed(3)} bits/char after ${torchRun.chars} chars (${torchRun.steps} steps, ${Math.round(torchRun.chars / SECONDS)} chars/s, ${TORCH_THREADS} thread${TORCH_THREADS > 1 ? 's' : ''})`,
    );
    console.log(
      `equal time ${SECONDS} s: ours ${oursBpc.toFixed(3)}, PyTorch ${torchBpc.toFixed(3)} bits/char held out; ours better by ${(torchBpc - oursBpc).toFixed(3)} (goal ≥ 0.15)`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
