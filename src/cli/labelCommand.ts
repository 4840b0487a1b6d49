// `lstm-lens label --model M [--json | --markdown] PATHS...`: scores every h
// and c cell of the model against code features of the given files (folders
// are walked for source files) and prints, per feature, the best cells with
// their scores, and the labelled cells. Thin over core/analysis/discoverCells.

import * as path from 'path';
import { parseArgs } from 'util';
import { UsageError, stdio, type CliCommand, type CliIo } from './cliCommand';
import { readModelFile } from '../core/model/modelFile';
import { buildReport, cellName, probeLines } from '../core/analysis/cellReport';
import { discoverCells } from '../core/analysis/discoverCells';
import { numberOption, readSourceSample } from './sourceSample';

const USAGE = [
  'Usage: lstm-lens label --model M.onnx [options] PATHS...',
  '',
  'Runs the model over the files (folders are searched for source files,',
  'skipping vendored, build, generated, minified, binary and .gitignored',
  'ones), scores every h and c cell of every layer against code features',
  '(inside string, comment, indentation, column, bracket depth, condition,',
  '...) and prints the best cells per feature and the cells that get a label.',
  '',
  'Options:',
  '  --model M        the ONNX model file',
  '  --json           print the result as one JSON object',
  '  --markdown       print the full report (tables and sparkline excerpts)',
  '  --min-r R        label threshold on |r| (on/off features: max(|r|, |φ|)) (default 0.6)',
  '  --top K          best cells listed per feature (default 5)',
  '  --max-chars N    characters scored at most (default 200000)',
  '  --probes         also fit a linear probe (elastic net) per feature over all',
  '                   cells of each layer, trained and scored on separate files,',
  '                   with the cells carrying 90% of its weight, a control task',
  '                   (a random label per character type) and the same probe on',
  '                   a randomly initialised model of the same shape',
  '  --max-per-file N characters taken from one file at most (default 30000);',
  '                   languages take turns and files are drawn in a seeded order',
  '',
  'Example: lstm-lens label --model media/model.onnx src/',
].join('\n');

/** Runs `label`; returns the exit code. */
export async function labelCommand(argv: string[], io: CliIo = stdio): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      model: { type: 'string' },
      json: { type: 'boolean', default: false },
      markdown: { type: 'boolean', default: false },
      probes: { type: 'boolean', default: false },
      'min-r': { type: 'string' },
      top: { type: 'string' },
      'max-chars': { type: 'string' },
      'max-per-file': { type: 'string' },
    },
  });
  if (!values.model) throw new UsageError('--model is required');
  if (positionals.length === 0) throw new UsageError('give at least one file or folder to score');
  if (values.json && values.markdown) throw new UsageError('--json and --markdown exclude each other');
  const minAbsR = numberOption(values['min-r'], 'min-r', 0.6, (x) => x >= 0 && x <= 1);
  const topK = numberOption(values.top, 'top', 5, (x) => Number.isInteger(x) && x >= 1);
  const maxChars = numberOption(values['max-chars'], 'max-chars', 200_000, (x) => Number.isInteger(x) && x >= 1);
  const maxPerFile = numberOption(values['max-per-file'], 'max-per-file', 30_000, (x) => Number.isInteger(x) && x >= 1);

  const model = await readModelFile(values.model);
  const texts = readSourceSample(positionals, io, { maxChars, maxPerFile });

  const started = Date.now();
  const res = await discoverCells(model, texts, {
    maxChars,
    label: { minAbsR, topK },
    probes: values.probes ? { floor: true } : undefined,
  });
  const seconds = (Date.now() - started) / 1000;
  const modelName = path.basename(values.model);
  if (values.json) {
    const { discovery, texts: used, truncated, cacheKey } = res;
    io.out(
      JSON.stringify({
        model: values.model,
        cacheKey,
        seconds,
        truncated,
        texts: used,
        minAbsR,
        labels: discovery.labels,
        features: discovery.features,
        probes: res.probes,
      }),
    );
    return 0;
  }
  if (values.markdown) {
    io.out(buildReport(res, { modelName }));
    return 0;
  }
  io.out(
    `${modelName}: scored ${res.table.sources.reduce((a, s) => a + s.size, 0)} cells on ${res.texts.length} file(s), ${res.table.count} characters${res.truncated ? ' (cut)' : ''}, in ${seconds.toFixed(1)} s.`,
  );
  io.out('');
  io.out('Best cells per feature (r; for on/off features r/φ/F1):');
  const width = Math.max(...res.discovery.features.map((f) => f.name.length));
  for (const f of res.discovery.features) {
    if (f.skipped !== undefined) {
      io.out(`  ${f.name.padEnd(width)}  – ${f.skipped}`);
      continue;
    }
    const cells = f.top.map(
      (s) =>
        `${cellName(s)} ${s.r.toFixed(2)}${s.f1 === undefined ? '' : `/${(s.phi ?? NaN).toFixed(2)}/${s.f1.toFixed(2)}`}`,
    );
    io.out(`  ${f.name.padEnd(width)}  ${cells.join('   ')}`);
  }
  io.out('');
  io.out(`Labelled cells (score >= ${minAbsR}): ${res.discovery.labels.length}`);
  for (const l of res.discovery.labels) io.out(`  ${cellName(l).padEnd(12)}  ${l.text}`);
  if (res.probes) {
    io.out('');
    for (const line of probeLines(res.probes, res.discovery.features)) io.out(line);
  }
  return 0;
}

export const labelCliCommand: CliCommand = {
  name: 'label',
  summary: 'score every cell against code features and label the interpretable ones',
  usage: USAGE,
  run: labelCommand,
};
