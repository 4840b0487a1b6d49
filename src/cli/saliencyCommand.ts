// `lstm-lens saliency --model M --file F --at N [--json]`: what the
// prediction after character N depended on. For every character t <= N the
// saliency ‖∂ ln p(next char) / ∂ x_t‖₂ (over the input embedding), and per
// layer the norms of the gradient of h_t and of c_t, back to the start.
// JSON: {"at": N, "saliency": [s_0 … s_N], "target": char, "target_is_guess": bool,
//        "p": p(target), "layers": [{"type": "lstm", "h": [...], "c": [...]}]}   (GRU: no "c")

import { parseArgs } from 'util';
import { UsageError, stdio, type CliCommand, type CliIo } from './cliCommand';
import { numberOption } from './sourceSample';
import { readTextFile } from './textFile';
import { readModelFile } from '../core/model/modelFile';
import { DocumentAnalysis } from '../core/inference/documentAnalysis';
import { SALIENCY_WINDOW, SaliencyEngine } from '../core/inference/saliency';
import type { SaliencyResult } from '../core/inference/saliency';
import { showChar } from '../core/analysis/cellProfile';

const USAGE = [
  'Usage: lstm-lens saliency --model M.onnx --file F --at N [--json]',
  '',
  'Explains the prediction the model makes after reading character N of the',
  'file (of character N + 1; of its own top guess when N is the last): the',
  'gradient of its log-probability with respect to every earlier character',
  "(the L2 norm over the character's input vector), and per layer the norms",
  'of the gradients of h and of c (c as the state the next step reads),',
  'all the way back to the start of the file.',
  '',
  'Options:',
  '  --model M     the ONNX model file',
  '  --file F      the text file to read (characters = code points, CRLF as one "\\n")',
  '  --at N        the character index, from 0',
  '  --top K       most salient characters listed without --json (default 20)',
  '  --max-chars N refuse files longer than N characters (default 100000)',
  '  --json        print one JSON object: {"at", "saliency": [s_0 … s_N], "target",',
  '                "target_is_guess", "p", "layers": [{"type", "h", ["c"]}]}',
  '',
  'Example: lstm-lens saliency --model media/models/default.onnx --file src/a.ts --at 120 --json',
].join('\n');

const sig = (x: number): number => Number(x.toPrecision(6));

export async function saliencyCommand(argv: string[], io: CliIo = stdio): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string' },
      file: { type: 'string' },
      at: { type: 'string' },
      top: { type: 'string' },
      'max-chars': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.model) throw new UsageError('--model is required');
  if (!values.file) throw new UsageError('--file is required');
  if (values.at === undefined) throw new UsageError('--at N is required (a character index, from 0)');
  const at = numberOption(values.at, 'at', 0, (x) => Number.isInteger(x) && x >= 0);
  const top = numberOption(values.top, 'top', 20, (x) => Number.isInteger(x) && x >= 0);
  const maxChars = numberOption(values['max-chars'], 'max-chars', 100_000, (x) => Number.isInteger(x) && x >= 1);
  const text = readTextFile(values.file, io, maxChars);
  const model = await readModelFile(values.model);
  const doc = new DocumentAnalysis(model, { maxChars });
  // one session: a window just long enough when the text before N is short (a session costs ~1 s per 400 steps)
  const engine = new SaliencyEngine(model, Math.max(1, Math.min(SALIENCY_WINDOW, at)));
  try {
    doc.setText(text, 1);
    await doc.idle();
    const n = doc.ids.length;
    if (at >= n) throw new UsageError(`--at ${at} is past the end of the file (${n} characters)`);
    const res = await engine.explain(doc.ids, at, (s) => doc.stateAt(s), { full: true });
    const chars = [...doc.text.replace(/\r\n?/g, '\n')];
    const target = doc.vocab.charOf(res.target);
    if (values.json) {
      io.out(
        JSON.stringify({
          at,
          saliency: Array.from(res.saliency, sig),
          target,
          target_is_guess: res.targetIsGuess,
          p: sig(Math.exp(res.logp)),
          layers: res.layers.map((l, k) => ({
            type: model.layers[k].kind,
            h: Array.from(l.h, sig),
            ...(l.c ? { c: Array.from(l.c, sig) } : {}),
          })),
        }),
      );
      return 0;
    }
    printReport(io, res, chars, target, top);
    return 0;
  } finally {
    await engine.dispose();
    await doc.dispose();
  }
}

function printReport(io: CliIo, res: SaliencyResult, chars: string[], target: string, top: number): void {
  const what = res.targetIsGuess ? 'its top guess' : 'the next character';
  io.out(
    `prediction after character ${res.at} (${showChar(chars[res.at])}) of ${what} ${showChar(target)}: p = ${Math.exp(res.logp).toFixed(4)}`,
  );
  const order = Array.from(res.saliency, (_, k) => k).sort((a, b) => res.saliency[b] - res.saliency[a]);
  io.out(`\nmost salient characters (‖∂ ln p / ∂ x_t‖):`);
  for (const k of order.slice(0, top)) {
    const t = res.from + k;
    io.out(
      `  ${String(t).padStart(7)}  ${showChar(chars[t]).padEnd(6)} ${res.saliency[k].toExponential(3)}  ${res.at - t} back`,
    );
  }
  io.out('\ngradient norm by distance (mean over each band):');
  const header = ['distance', 'x', ...res.layers.flatMap((l, i) => [`L${i} h`, ...(l.c ? [`L${i} c`] : [])])];
  io.out('  ' + header.map((h) => h.padStart(11)).join(''));
  for (let lo = 0; lo <= res.at - res.from; lo = lo === 0 ? 1 : lo * 2) {
    const hi = Math.min(res.at - res.from, lo === 0 ? 0 : lo * 2 - 1);
    const mean = (v: Float32Array): number => {
      let s = 0;
      for (let d = lo; d <= hi; d++) s += v[res.at - res.from - d];
      return s / (hi - lo + 1);
    };
    const cols = [res.saliency, ...res.layers.flatMap((l) => [l.h, ...(l.c ? [l.c] : [])])].map((v) =>
      mean(v).toExponential(2).padStart(11),
    );
    io.out('  ' + `${lo === hi ? lo : `${lo}-${hi}`}`.padStart(11) + cols.join(''));
  }
}

export const saliencyCliCommand: CliCommand = {
  name: 'saliency',
  summary: 'gradient flow: how much a next-character guess depends on each earlier character',
  usage: USAGE,
  run: saliencyCommand,
};
