// `lstm-lens engine`: loads onnxruntime-node, runs a one-node graph, reports
// the version and where it was loaded from. The quick check that the native
// binding works on this machine.

import { parseArgs } from 'util';
import type { CliCommand } from './cliCommand';
import { probeEngine } from '../worker/engineProbe';

export const engineCommand: CliCommand = {
  name: 'engine',
  summary: 'check that onnxruntime-node loads and runs; print its version',
  usage: [
    'Usage: lstm-lens engine [--json]',
    '',
    'Loads onnxruntime-node, runs a one-node ONNX graph and prints the version,',
    'the package path and the time taken.',
    '',
    'Options:',
    '  --json   print the result as JSON',
  ].join('\n'),
  async run(args, io) {
    const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } }, strict: true });
    const info = await probeEngine();
    if (values.json) io.out(JSON.stringify(info));
    else {
      io.out(`onnxruntime-node ${info.ortVersion}`);
      io.out(`  path:     ${info.ortPath}`);
      io.out(`  node:     ${info.nodeVersion} (${info.platform})`);
      io.out(`  load+run: ${info.elapsedMs.toFixed(0)} ms`);
    }
    return 0;
  },
};
