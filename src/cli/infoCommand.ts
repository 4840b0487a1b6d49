// `lstm-lens info --model M [--json]`: reads a model file (ours or a
// torch.onnx.export) and prints its layers, sizes, vocabulary and metadata.

import { parseArgs } from 'util';
import { UsageError, stdio, type CliCommand, type CliIo } from './cliCommand';
import { readModelFile } from '../core/model/modelFile';
import { formatModelSummary, summarizeModel } from '../core/model/modelSummary';

const USAGE = [
  'Usage: lstm-lens info --model M.onnx [--json]',
  '',
  'Reads a model file and prints its vocabulary, input encoding, recurrent',
  'layers (kind, input and hidden sizes, parameters), output layer and',
  'lstm_lens.* metadata. The vocabulary comes from the file metadata or the',
  'sidecar M.onnx.vocab.json.',
  '',
  'Options:',
  '  --model M   the ONNX model file',
  '  --json      print the summary as one JSON object',
  '',
  'Example: lstm-lens info --model media/model.onnx',
].join('\n');

/** Runs `info`; returns the exit code. Throws (message names the problem) on bad usage or a bad model file. */
export async function infoCommand(argv: string[], io: CliIo = stdio): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { model: { type: 'string' }, json: { type: 'boolean', default: false } },
    strict: true,
  });
  if (!values.model) throw new UsageError('--model is required');
  const summary = summarizeModel(await readModelFile(values.model));
  io.out(values.json ? JSON.stringify(summary) : `${values.model}\n${formatModelSummary(summary)}`);
  return 0;
}

export const infoCliCommand: CliCommand = {
  name: 'info',
  summary: 'print a model file’s layers, sizes, vocabulary and metadata',
  usage: USAGE,
  run: infoCommand,
};
