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
// Both forms are written as the model goes, window by window (runJson.ts):
// the first rows come out before the model reaches the end of the file.

import { parseArgs } from 'util';
import { UsageError, stdio, type CliCommand, type CliIo } from './cliCommand';
import { readModelFile } from '../core/model/modelFile';
import { readTextFile } from './textFile';
import { openRun, guessP, surprisalBits, type OpenRun } from './runRows';
import { round6 } from './jsonNumber';
import { writeRunJson } from './runJson';
import { TextSink } from './textSink';
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
  const spec = { model, text, layers, cells, k, maxChars, plan };
  const sink = new TextSink(io);
  if (values.json) await writeRunJson(openRun(spec), sink);
  else await writeTable(openRun(spec, false), sink);
  return 0;
}

/** One line per character: index, character, its surprisal, the guesses for the next; written window by window. */
async function writeTable(run: OpenRun, sink: TextSink): Promise<void> {
  sink.write(`${run.chars} characters; surprisal (bits) of each character, then the top guesses for the next\n`);
  const chars = [...run.text];
  const guessed = Array.from({ length: run.vocab.size }, (_, id) => JSON.stringify(run.vocab.charOf(id)));
  let own = ''; // surprisal of the character of the row, from the row before
  for await (const w of run.windows()) {
    for (let t = 0; t < w.to - w.from; t++) {
      const at = w.from + t;
      let guesses = '';
      for (let j = 0; j < run.K; j++)
        guesses += `${j === 0 ? '' : ', '}${guessed[w.topIds[t * run.K + j]]} ${round6(guessP(w, run.K, t, j)).toFixed(3)}`;
      sink.write(`${String(at).padStart(6)}  ${JSON.stringify(chars[at]).padEnd(6)} ${own.padStart(6)}  ${guesses}\n`);
      const bits = surprisalBits(w, run.chars, t);
      own = bits === null ? '' : round6(bits).toFixed(2);
    }
    await sink.flush();
  }
  await sink.end();
}

export const runCliCommand: CliCommand = {
  name: 'run',
  summary: 'run a model over a file: every gate of chosen cells, next-char guesses, surprisal',
  usage: USAGE,
  run: runCommand,
};
