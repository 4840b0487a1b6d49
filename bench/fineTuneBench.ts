// Fine-tuning the bundled model on one project it never saw: this
// repository's own TypeScript (src/), files held out by file (every fifth,
// in path order). Prints the held-out bits/char of the bundled model (the
// reference, measured in this run on the same files) and after fine-tuning
// for the palette's default budget with its learning rate, as the
// extension's "Fine-tune the active model" runs it.
// Usage: node out/bench/fineTuneBench.js [--seconds=120] [--threads=2]

import * as fs from 'fs';
import * as path from 'path';
import { readModelFile } from '../src/core/model/modelFile';
import { train } from '../src/core/training/trainer';
import { FINE_TUNE_LEARNING_RATE } from '../src/extension/training/trainingPresets';
import { benchHeader } from './benchHeader';

const ROOT = path.resolve(__dirname, '..', '..');
const arg = (name: string, fallback: number): number =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...tsFiles(p));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out.sort();
}

async function main(): Promise<void> {
  const seconds = arg('seconds', 120);
  const threads = arg('threads', 2);
  const files = tsFiles(path.join(ROOT, 'src')).map((f) => ({
    name: path.relative(ROOT, f),
    text: fs.readFileSync(f, 'utf8'),
  }));
  const held = files.filter((_, k) => k % 5 === 4);
  const trainFiles = files.filter((_, k) => k % 5 !== 4);
  const chars = (l: { text: string }[]): number => l.reduce((n, f) => n + f.text.length, 0);
  const model = await readModelFile(path.join(ROOT, 'media', 'models', 'default.onnx'));
  console.log(benchHeader('fineTuneBench'));
  console.log(
    `bundled model (${model.layers.map((l) => `${l.kind} ${l.hiddenSize}`).join(' + ')}) on this repository's src/: ` +
      `${trainFiles.length} files (${chars(trainFiles)} chars) to fine-tune on, ${held.length} held out (${chars(held)} chars)`,
  );
  const r = await train({
    files: trainFiles,
    validationFiles: held,
    initModel: model,
    seqLength: 100,
    batchSize: 32,
    learningRate: FINE_TUNE_LEARNING_RATE,
    maxSeconds: seconds,
    evalEvery: 50,
    patience: 0,
    threads,
    sampleEvery: 0,
  });
  const before = r.startValBitsPerChar!;
  const after = r.bestValBitsPerChar;
  console.log(
    `held-out bits/char: bundled ${before.toFixed(3)} (reference) → fine-tuned ${after.toFixed(3)} ` +
      `(${(after - before).toFixed(3)}, ratio ${(after / before).toFixed(3)}) after ${r.steps} steps in ${r.seconds.toFixed(0)} s`,
  );
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
