// `lstm-lens train --out M.onnx [options] PATHS...`: gathers code under PATHS,
// prints what went in, trains a char model with the core trainer (ONNX
// training graph on onnxruntime-node), prints progress and writes the best
// model so far to --out (atomically) at every validation improvement.

import { parseArgs } from 'util';
import { readModelFile } from '../core/model/modelFile';
import type { RecurrentKind } from '../core/model/types';
import { gatherDiskFiles } from '../core/corpus/diskCorpus';
import { formatCorpusDetail, formatCorpusHeadline } from '../core/corpus/corpusSummary';
import { train } from '../core/training/trainer';
import { resolveOptions } from '../core/training/trainOptions';
import type { ResolvedOptions, TrainOptions } from '../core/training/trainOptions';
import type { KernelChoice } from '../core/training/nativeKernel';
import type { CliCommand } from './cliCommand';
import { UsageError } from './cliCommand';
import { checkOutputFile } from './outputPath';

const OPTIONS = {
  out: { type: 'string' },
  kind: { type: 'string', default: 'lstm' },
  layers: { type: 'string', default: '1' },
  hidden: { type: 'string', default: '256' },
  embedding: { type: 'string', default: '64' },
  'vocab-size': { type: 'string', default: '100' },
  seq: { type: 'string', default: '100' },
  batch: { type: 'string', default: '32' },
  lr: { type: 'string', default: '0.002' },
  'lr-decay': { type: 'string', default: '1' },
  clip: { type: 'string', default: '5' },
  ema: { type: 'string', default: '0' },
  dropout: { type: 'string', default: '0' },
  seed: { type: 'string', default: '1' },
  steps: { type: 'string' },
  minutes: { type: 'string' },
  'eval-every': { type: 'string', default: '100' },
  patience: { type: 'string', default: '0' },
  'val-fraction': { type: 'string', default: '0.1' },
  'sample-every': { type: 'string', default: '0' },
  threads: { type: 'string', default: '2' },
  kernel: { type: 'string', default: 'auto' },
  init: { type: 'string' },
  'max-file-kb': { type: 'string', default: '1000' },
  quiet: { type: 'boolean', default: false },
  force: { type: 'boolean', default: false },
} as const;

function num(values: Record<string, unknown>, name: string): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got ${JSON.stringify(v)}`);
  return n;
}

/** The command-line flag of each trainer option, so errors name what the user typed. */
const FLAG_OF: Partial<Record<keyof ResolvedOptions, string>> = {
  kind: '--kind',
  layers: '--layers',
  hiddenSize: '--hidden',
  embeddingSize: '--embedding',
  vocabMaxSize: '--vocab-size',
  seqLength: '--seq',
  batchSize: '--batch',
  learningRate: '--lr',
  lrDecay: '--lr-decay',
  gradClip: '--clip',
  emaDecay: '--ema',
  dropout: '--dropout',
  seed: '--seed',
  maxSteps: '--steps',
  maxSeconds: '--minutes (in seconds)',
  evalEvery: '--eval-every',
  patience: '--patience',
  validationFraction: '--val-fraction',
  sampleEvery: '--sample-every',
  threads: '--threads',
  kernel: '--kernel',
};

export const trainCommand: CliCommand = {
  name: 'train',
  summary: 'train a character-level LSTM/GRU on code files; write an ONNX model',
  usage: [
    'Usage: lstm-lens train --out M.onnx [options] PATHS...',
    '',
    'Gathers text files under PATHS (skips node_modules, dist, binaries, minified and',
    'huge files), holds out whole files for validation, trains, and writes the best',
    'model so far to --out at every validation. Stop with --steps, --minutes, --patience or Ctrl-C.',
    '',
    'Options (defaults in brackets):',
    '  --out PATH          model file to write (required; an existing file only with --force)',
    '  --force             replace the model at --out (the new run writes its best model there)',
    '  --kind lstm|gru|rnn [lstm]        --layers N [1]      --hidden N [256]',
    '  --embedding N       [64] (0 = one-hot input)          --vocab-size N [100]',
    '  --seq N             BPTT length T [100]               --batch N  streams B [32]',
    '  --lr X              Adam learning rate [0.002]        --lr-decay X  per 1000 steps [1]',
    '  --clip X            global gradient norm [5]          --dropout P  between layers [0]',
    '  --ema D             validate and save a moving average of the weights, decay D per step',
    '                      (0.999 averages about the last 1000 steps) [0 = the weights as they are]',
    '  --steps N           step budget                       --minutes X  time budget',
    '  --eval-every N      steps between validations [100]   --patience N  early stop [0 = off]',
    '  --val-fraction X    held-out share of characters [0.1]',
    '  --sample-every N    print a sample every N steps [0 = off]',
    '  --init M.onnx       continue training this model (its vocabulary and sizes)',
    '  --threads N         [2]    --seed N [1]    --max-file-kb N [1000]    --quiet',
    '  --kernel K          auto: the native kernel for LSTM where it is built, else the ONNX graph;',
    '                      native (an error where it cannot) or onnx [auto]',
    '',
    'Example: lstm-lens train --out my.onnx --minutes 10 --layers 2 src/',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
    if (!values.out) throw new UsageError('--out PATH is required');
    if (positionals.length === 0) throw new UsageError('give at least one file or folder to train on');
    // Before the corpus is read: a bad --out fails at once, and an existing model is kept unless --force.
    checkOutputFile(values.out, 'out', values.force);
    const v = values as Record<string, unknown>;
    const options: Omit<TrainOptions, 'files'> = {
      kind: values.kind as RecurrentKind,
      layers: num(v, 'layers'),
      hiddenSize: num(v, 'hidden'),
      embeddingSize: num(v, 'embedding'),
      vocabMaxSize: num(v, 'vocab-size'),
      seqLength: num(v, 'seq'),
      batchSize: num(v, 'batch'),
      learningRate: num(v, 'lr'),
      lrDecay: num(v, 'lr-decay'),
      gradClip: num(v, 'clip'),
      emaDecay: num(v, 'ema'),
      dropout: num(v, 'dropout'),
      seed: num(v, 'seed'),
      maxSteps: num(v, 'steps'),
      maxSeconds: values.minutes !== undefined ? num(v, 'minutes')! * 60 : undefined,
      evalEvery: num(v, 'eval-every'),
      patience: num(v, 'patience'),
      validationFraction: num(v, 'val-fraction'),
      sampleEvery: num(v, 'sample-every'),
      threads: num(v, 'threads'),
      kernel: values.kernel as KernelChoice,
      outPath: values.out,
      initModel: values.init ? await readModelFile(values.init) : undefined,
      metadata: { 'lstm_lens.corpus_sources': positionals.join(', ') },
    };
    // Every option is checked before the corpus is read, under its flag's name.
    try {
      resolveOptions({ ...options, files: [{ name: '', text: ' ' }] }, (o) => FLAG_OF[o] ?? `option ${o}`);
    } catch (e) {
      if (e instanceof RangeError) throw new UsageError(e.message);
      throw e;
    }
    const gathered = gatherDiskFiles(positionals, { maxFileBytes: num(v, 'max-file-kb')! * 1000 });
    io.out(`corpus: ${formatCorpusHeadline(gathered.summary, 8)}; ${gathered.summary.chars} characters`);
    io.out(`  ${formatCorpusDetail(gathered.summary)}`);
    if (gathered.files.length === 0) throw new Error(`no usable text files under ${positionals.join(', ')}`);
    const run: TrainOptions = { ...options, files: gathered.files };
    const ac = new AbortController();
    const onSigint = (): void => {
      io.err('interrupted: stopping after this step (the best model so far is kept)');
      ac.abort();
    };
    process.once('SIGINT', onSigint);
    try {
      const r = await train(
        run,
        {
          onStart: (s, shape, P) =>
            io.out(
              `train ${s.trainFiles} files (${s.trainChars} chars), validation ${s.validationFiles} files (${s.validationChars} chars, ${s.note}); vocab ${s.vocabSize}; ${shape.layers}×${shape.hiddenSize} ${shape.kind}, ${P} parameters`,
            ),
          onProgress: (p) => {
            if (values.quiet) return;
            const pct = p.fraction !== undefined ? ` ${(p.fraction * 100).toFixed(0)}%` : '';
            const eta = p.etaSeconds !== undefined ? `, ETA ${Math.round(p.etaSeconds)} s` : '';
            io.out(
              `step ${p.step}${pct}: train ${p.trainBitsPerChar.toFixed(3)} bits/char, val ${p.valBitsPerChar?.toFixed(3) ?? '-'}, ${Math.round(p.charsPerSecond)} chars/s${eta}`,
            );
          },
          onCheckpoint: (c) =>
            io.out(`saved ${c.path} (validation ${c.valBitsPerChar.toFixed(4)} bits/char, step ${c.step})`),
          onSample: (s) => io.out(`--- sample at step ${s.step} ---\n${s.text}\n---`),
        },
        ac.signal,
      );
      io.out(
        `done (${r.stoppedBy}): ${r.steps} steps, ${r.charsTrained} chars in ${r.seconds.toFixed(0)} s; best validation ${r.bestValBitsPerChar.toFixed(4)} bits/char → ${values.out} (${r.engine === 'native' ? 'native kernel' : 'ONNX graph'})`,
      );
      return Number.isFinite(r.bestValBitsPerChar) ? 0 : 1;
    } finally {
      process.removeListener('SIGINT', onSigint);
    }
  },
};
