// `lstm-lens cell --model M --cell L:K [--signal h|c] [--json] PATHS...`:
// the page of one cell over the given files (core/analysis/cellProfile.ts):
// its label and scores, histogram, top-activating places, examples per
// activation interval, prediction effects, the characters that move it, its
// gates and the cells most correlated with it.

import * as path from 'path';
import { parseArgs } from 'util';
import { UsageError, stdio, type CliCommand, type CliIo } from './cliCommand';
import { numberOption, readSourceSample } from './sourceSample';
import { readModelFile } from '../core/model/modelFile';
import { parseCellSpec, profileCell, showChar, type CellPlace, type CellProfile } from '../core/analysis/cellProfile';
import { cellName, sparkline } from '../core/analysis/cellReport';

const USAGE = [
  'Usage: lstm-lens cell --model M.onnx --cell L:K [options] PATHS...',
  '',
  'Runs the model over the files (folders are searched for source files, as',
  'for `label`) and prints the page of one cell: its label and its score',
  'against every code feature, its activation histogram, the top places it',
  'fires in the files and examples from evenly spaced activation intervals,',
  'the next characters its h pushes up and down, the characters after which',
  'it changes most, its gates (saturation, forget-gate mean and memory',
  'timescale) and the cells most correlated with it.',
  '',
  'Options:',
  '  --model M        the ONNX model file',
  '  --cell L:K       layer L, unit K, both from 0 (also L0#K)',
  '  --signal S       h or c (default c for LSTM layers, h for GRU)',
  '  --json           print the page as one JSON object; `top` is sorted by value,',
  '                   highest first, with {file, offset, line, column, value, excerpt}',
  '                   (offset and column in code points of that file, line and column from 1)',
  '  --top N          top places listed (default 20)',
  '  --max-chars N    characters read at most (default 200000)',
  '  --max-per-file N characters taken from one file at most (default 30000)',
  '',
  'Example: lstm-lens cell --model media/models/default.onnx --cell 0:19 src/',
].join('\n');

/** Runs `cell`; returns the exit code. */
export async function cellCommand(argv: string[], io: CliIo = stdio): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      model: { type: 'string' },
      cell: { type: 'string' },
      signal: { type: 'string' },
      json: { type: 'boolean', default: false },
      top: { type: 'string' },
      'max-chars': { type: 'string' },
      'max-per-file': { type: 'string' },
    },
  });
  if (!values.model) throw new UsageError('--model is required');
  if (!values.cell) throw new UsageError('--cell L:K is required (layer and unit, from 0)');
  const spec = parseCellSpec(values.cell);
  if (!spec) throw new UsageError(`--cell ${values.cell} is not L:K (for example 0:19)`);
  if (values.signal !== undefined && values.signal !== 'h' && values.signal !== 'c')
    throw new UsageError(`--signal ${values.signal} is not h or c`);
  if (positionals.length === 0) throw new UsageError('give at least one file or folder to read');
  const top = numberOption(values.top, 'top', 20, (x) => Number.isInteger(x) && x >= 1 && x <= 1000);
  const maxChars = numberOption(values['max-chars'], 'max-chars', 200_000, (x) => Number.isInteger(x) && x >= 1);
  const maxPerFile = numberOption(values['max-per-file'], 'max-per-file', 30_000, (x) => Number.isInteger(x) && x >= 1);

  const model = await readModelFile(values.model);
  const layer = model.layers[spec.layer];
  if (!layer)
    throw new UsageError(
      `--cell ${values.cell}: layer ${spec.layer} does not exist (the model has ${model.layers.length})`,
    );
  if (spec.unit >= layer.hiddenSize)
    throw new UsageError(
      `--cell ${values.cell}: unit ${spec.unit} is outside layer ${spec.layer} (H = ${layer.hiddenSize})`,
    );
  const signal = values.signal ?? (layer.kind === 'lstm' ? 'c' : 'h');
  if (signal === 'c' && layer.kind !== 'lstm')
    throw new UsageError(`--signal c: layer ${spec.layer} is ${layer.kind.toUpperCase()}, which has no c`);

  const texts = readSourceSample(positionals, io, { maxChars, maxPerFile });
  const started = Date.now();
  const page = await profileCell(model, texts, { layer: spec.layer, unit: spec.unit, signal }, { maxChars, top });
  const seconds = (Date.now() - started) / 1000;
  if (values.json) {
    io.out(JSON.stringify({ model: values.model, seconds, ...page }));
    return 0;
  }
  for (const line of pageLines(page, path.basename(values.model), seconds)) io.out(line);
  return 0;
}

/** One place as a line: value, file:line:column, the excerpt with the place marked. */
function placeLine(p: CellPlace): string {
  const chars = Array.from(p.excerpt);
  const at = p.offset - p.excerptStart;
  const shown = chars.map((c, i) => (i === at ? `[${showChar(c)}]` : c === '\n' ? '⏎' : c === '\t' ? '⇥' : c)).join('');
  return `  ${p.value.toFixed(3).padStart(7)}  ${`${p.file}:${p.line}:${p.column}`.padEnd(28)}  ${shown}`;
}

function pageLines(page: CellProfile, modelName: string, seconds: number): string[] {
  const out: string[] = [];
  const name = cellName(page.cell);
  out.push(
    `${modelName} ${name} (${page.kind.toUpperCase()}): ${page.count.toLocaleString('en')} characters of ${page.texts.length} file(s)${page.truncated ? ' (cut)' : ''}, in ${seconds.toFixed(1)} s.`,
  );
  out.push(`Label: ${page.label ? page.label.text : 'none (no feature reaches the label threshold)'}`);
  const { min, max, mean, sd } = page.stats;
  out.push(`Values: min ${min.toFixed(3)}, max ${max.toFixed(3)}, mean ${mean.toFixed(3)}, sd ${sd.toFixed(3)}`);
  out.push(
    `Histogram ${min.toFixed(2)} … ${max.toFixed(2)}: ${sparkline(page.histogram.counts.map((c) => Math.log1p(c)))}`,
  );
  out.push('');
  out.push('Scores against code features (r; on/off features r / φ / F1):');
  for (const s of [...page.scores].sort((a, b) => Math.abs(b.phi ?? b.r) - Math.abs(a.phi ?? a.r)).slice(0, 10)) {
    const extra = s.kind === 'binary' ? ` / ${(s.phi ?? NaN).toFixed(2)} / ${(s.f1 ?? NaN).toFixed(2)}` : '';
    out.push(`  ${s.name.padEnd(28)} ${s.r.toFixed(2)}${extra}`);
  }
  out.push('');
  out.push(`Top ${page.top.length} places:`);
  for (const p of page.top) out.push(placeLine(p));
  for (const iv of page.intervals) {
    out.push('');
    out.push(`Interval ${iv.lo.toFixed(3)} … ${iv.hi.toFixed(3)} (${iv.count.toLocaleString('en')} characters):`);
    for (const p of iv.examples) out.push(placeLine(p));
  }
  out.push('');
  if (page.prediction) {
    const fmt = (e: { char: string; value: number; detail: number }): string =>
      `${e.char} ${e.value >= 0 ? '+' : ''}${e.value.toFixed(2)}`;
    out.push(`Pushes up the next character: ${page.prediction.up.map(fmt).join('  ')}`);
    out.push(`Pushes down:                  ${page.prediction.down.map(fmt).join('  ')}`);
  }
  if (page.predictionNote) out.push(`(${page.predictionNote})`);
  const mv = (e: { char: string; value: number }): string =>
    `${e.char} ${e.value >= 0 ? '+' : ''}${e.value.toFixed(3)}`;
  out.push(`Rises most after reading:     ${page.moves.up.map(mv).join('  ')}`);
  out.push(`Falls most after reading:     ${page.moves.down.map(mv).join('  ')}`);
  out.push('');
  const g = page.gates;
  out.push(
    `Gates: ${g.saturation.map((s) => `${s.gate} mean ${s.mean.toFixed(2)} (<0.1 ${(100 * s.left).toFixed(0)}%, >0.9 ${(100 * s.right).toFixed(0)}%)`).join('; ')}`,
  );
  if (g.forgetMean !== undefined && g.timescale !== undefined)
    out.push(
      `Memory: mean forget gate ${g.forgetMean.toFixed(3)} → timescale −1/ln f̄ ≈ ${g.timescale.toFixed(1)} characters`,
    );
  out.push(`Most correlated cells: ${page.correlated.map((c) => `${cellName(c)} ${c.r.toFixed(2)}`).join('  ')}`);
  return out;
}

export const cellCliCommand: CliCommand = {
  name: 'cell',
  summary: "one cell's page: label, scores, top places, intervals, prediction effects, gates",
  usage: USAGE,
  run: cellCommand,
};
