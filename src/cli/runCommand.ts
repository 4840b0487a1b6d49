// `lstm-lens run --model M.onnx --file F [--layers ..] [--cells ..] [--top K] --json`:
// runs the model over a file and prints every signal of the chosen cells at
// every character, plus the next-character guesses and surprisal.
// JSON shape (row t = state after reading character t):
//   {"text": "...", "chars": N,          (text = the N characters read, line ends as "\n")
//    "layers": [{"type": "lstm", "h": [[per cell] per char], "c", "i", "f", "o", "g"}],   (GRU: h r z n)
//    "next": [{"top": [[char, p], ...], "surprisal_bits": x | null} per char]}
// surprisal_bits of row t is that of character t + 1 (null for the last).
// With --clamp / --ablate every value is the intervened run's, and
// "interventions" lists what was done, as affine maps applied after every step
// of [from, to): h := a h + hb, c := a c + cb: [{layer, unit, from, [to], a, hb, cb}].

import { parseArgs } from 'util';
import { UsageError, stdio, type CliCommand, type CliIo } from './cliCommand';
import { readModelFile } from '../core/model/modelFile';
import type { CharModel, RecurrentKind, Signal } from '../core/model/types';
import { signalsOf } from '../core/model/types';
import { DocumentAnalysis } from '../core/inference/documentAnalysis';
import { MAX_WINDOW, layerWindow } from '../core/inference/windowQueries';
import { logProbsFromTop, surprisalBits, topK } from '../core/inference/nextChar';
import { asRead, readTextFile } from './textFile';
import type { InterventionPlan } from '../core/inference/intervention';
import {
  INTERVENTION_OPTIONS,
  INTERVENTION_USAGE,
  interventionPlan,
  interventionsFromArgs,
} from './interventionOptions';

const USAGE = [
  'Usage: lstm-lens run --model M.onnx --file F [--layers 0,1] [--cells 0,5,7] [--top K] [--json]',
  '',
  'Runs the model over the file (characters = Unicode code points; CRLF is read',
  'as one "\\n") and prints, for every character, h, c and the gates of the',
  'chosen cells of the chosen layers, the most likely next characters and the',
  'surprisal (bits) of the character that follows.',
  '',
  'Options:',
  '  --model M     the ONNX model file',
  '  --file F      the text file to read',
  '  --layers L    comma-separated layer indices (default: all)',
  '  --cells C     comma-separated cell indices in each chosen layer (default: all)',
  '  --top K       next-character guesses per character (default 5)',
  '  --max-chars N refuse files longer than N characters (default 100000)',
  ...INTERVENTION_USAGE,

  '  --json        print one JSON object (otherwise a table of characters)',
  '',
  'JSON (--json): "text" is the text as the model read it, line ends (CRLF, CR)',
  'as "\\n", so its code point t is the character of row t; "chars" counts them.',
  '',
  'Example: lstm-lens run --model media/model.onnx --file src/a.ts --layers 1 --cells 3,17 --json',
].join('\n');

function intList(value: string | undefined, name: string, limit: number): number[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(',').map((s) => s.trim());
  const nums = items.map(Number);
  nums.forEach((n, k) => {
    if (!Number.isInteger(n) || n < 0 || n >= limit)
      throw new UsageError(`--${name}: '${items[k]}' is not an index in 0..${limit - 1}`);
  });
  return nums;
}

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

export interface RunResult {
  text: string;
  chars: number;
  layers: ({ type: RecurrentKind } & Partial<Record<Signal, number[][]>>)[];
  next: { top: [string, number][]; surprisal_bits: number | null }[];
  interventions?: Record<string, number | string>[];
}

/** Everything `run --json` prints, as a value (used by the command and its tests). */
export async function runModelOverText(
  model: CharModel,
  text: string,
  layers: number[],
  cells: number[] | undefined,
  k: number,
  maxChars: number,
  plan?: InterventionPlan,
): Promise<RunResult> {
  const doc = new DocumentAnalysis(model, { maxChars, intervention: plan });
  try {
    doc.setText(text, 1);
    await doc.idle();
    const T = doc.ids.length;
    const top = model.layers.length - 1;
    const wanted = [...new Set([...layers, top])];
    const rows = new Map<number, Partial<Record<Signal, number[][]>>>();
    const topH: Float32Array[] = [];
    for (const l of wanted) {
      const H = model.layers[l].hiddenSize;
      const chosen = cells ?? Array.from({ length: H }, (_, j) => j);
      for (const j of chosen) if (j >= H) throw new UsageError(`--cells: cell ${j} is outside layer ${l} (H = ${H})`);
      const out: Partial<Record<Signal, number[][]>> = {};
      for (const s of signalsOf(model.layers[l].kind)) out[s] = [];
      for (let a = 0; a < T; a += MAX_WINDOW) {
        const w = await layerWindow(doc, l, a, Math.min(T, a + MAX_WINDOW));
        for (let t = 0; t < w.to - w.from; t++) {
          for (const s of signalsOf(model.layers[l].kind))
            out[s]!.push(chosen.map((j) => round(w.signals[s]![t * H + j])));
          if (l === top) topH.push(w.signals.h!.slice(t * H, (t + 1) * H));
        }
      }
      rows.set(l, out);
    }
    const next = topH.map((h, t) => {
      const lp = logProbsFromTop(model, h);
      return {
        top: topK(lp, k).map((e) => [doc.vocab.charOf(e.id), round(e.p)] as [string, number]),
        surprisal_bits: t + 1 < T ? round(surprisalBits(lp, doc.ids[t + 1])) : null,
      };
    });
    return {
      text: asRead(text),
      chars: T,
      layers: layers.map((l) => ({ type: model.layers[l].kind, ...rows.get(l)! })),
      next,
      ...(plan
        ? {
            interventions: plan.clamps.map((c) => ({
              layer: c.layer,
              unit: c.unit,
              from: c.from,
              ...(c.to === Infinity ? {} : { to: c.to }),
              a: c.a,
              hb: round(c.hb),
              cb: round(c.cb),
            })),
          }
        : {}),
    };
  } finally {
    await doc.dispose();
  }
}

export async function runCommand(argv: string[], io: CliIo = stdio): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string' },
      file: { type: 'string' },
      layers: { type: 'string' },
      cells: { type: 'string' },
      top: { type: 'string', default: '5' },
      'max-chars': { type: 'string', default: '100000' },
      json: { type: 'boolean', default: false },
      ...INTERVENTION_OPTIONS,
    },
    strict: true,
  });
  const asked = interventionsFromArgs(values);
  if (!values.model) throw new UsageError('--model is required');
  if (!values.file) throw new UsageError('--file is required');
  const k = Number(values.top);
  if (!Number.isInteger(k) || k < 0) throw new UsageError(`--top: '${values.top}' is not a whole number >= 0`);
  const maxChars = Number(values['max-chars']);
  if (!Number.isInteger(maxChars) || maxChars < 1)
    throw new UsageError(`--max-chars: '${values['max-chars']}' is not a whole number >= 1`);
  const text = readTextFile(values.file, io, maxChars);
  const model = await readModelFile(values.model);
  const layers = intList(values.layers, 'layers', model.layers.length) ?? model.layers.map((_, l) => l);
  const cells = intList(values.cells, 'cells', Math.max(...layers.map((l) => model.layers[l].hiddenSize)));
  const plan = await interventionPlan(model, asked, text);
  const result = await runModelOverText(model, text, layers, cells, k, maxChars, plan);
  if (values.json) {
    io.out(JSON.stringify(result));
    return 0;
  }
  const chars = [...result.text];
  io.out(`${result.chars} characters; surprisal (bits) of each character, then the top guesses for the next`);
  result.next.forEach((n, t) => {
    const own = t === 0 ? '' : (result.next[t - 1].surprisal_bits?.toFixed(2) ?? '');
    io.out(
      `${String(t).padStart(6)}  ${JSON.stringify(chars[t]).padEnd(6)} ${own.padStart(6)}  ${n.top.map(([c, p]) => `${JSON.stringify(c)} ${p.toFixed(3)}`).join(', ')}`,
    );
  });
  return 0;
}

export const runCliCommand: CliCommand = {
  name: 'run',
  summary: 'run a model over a file: every gate of chosen cells, next-char guesses, surprisal',
  usage: USAGE,
  run: runCommand,
};
