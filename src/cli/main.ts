// `lstm-lens <command> [options]`: dispatches to one CliCommand per file.
// Headless jobs (run a model over a file, train, label cells, sample) are thin
// wrappers over src/core; they share nothing but this dispatcher.

import { UsageError, stdio, type CliCommand, type CliIo } from './cliCommand';
import { engineCommand } from './engineCommand';
import { infoCliCommand } from './infoCommand';
import { labelCliCommand } from './labelCommand';
import { cellCliCommand } from './cellCommand';
import { runCliCommand } from './runCommand';
import { sampleCliCommand } from './sampleCommand';
import { saliencyCliCommand } from './saliencyCommand';
import { trainCommand } from './trainCommand';
import { errorMessage } from '../core/util/errors';

// Registration point: import src/cli/<name>Command.ts above and add its
// CliCommand here. Order = order in --help.
export const COMMANDS: readonly CliCommand[] = [
  engineCommand,
  infoCliCommand,
  runCliCommand,
  sampleCliCommand,
  saliencyCliCommand,
  labelCliCommand,
  cellCliCommand,
  trainCommand,
];

export function helpText(commands: readonly CliCommand[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: lstm-lens <command> [options]',
    '',
    'Look inside character-level LSTMs from the command line.',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `lstm-lens <command> --help` for the options of a command.',
  ].join('\n');
}

/** Runs the CLI on argv (without `node` and the script) and returns the exit code. */
export async function main(
  argv: string[],
  io: CliIo = stdio,
  commands: readonly CliCommand[] = COMMANDS,
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    const cmd = topic === undefined ? undefined : commands.find((c) => c.name === topic);
    if (topic !== undefined && !cmd) return unknown(topic, io, commands);
    io.out(cmd ? cmd.usage : helpText(commands));
    return name === undefined ? 2 : 0;
  }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) return unknown(name, io, commands);
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(cmd.usage);
    return 0;
  }
  try {
    return await cmd.run(rest, io);
  } catch (err) {
    const usage = err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    io.err(`lstm-lens ${name}: ${errorMessage(err)}`);
    if (usage) {
      io.err(`Run \`lstm-lens ${name} --help\` for usage.`);
      return 2;
    }
    return 1;
  }
}

function unknown(name: string, io: CliIo, commands: readonly CliCommand[]): number {
  io.err(`lstm-lens: unknown command '${name}'. Commands: ${commands.map((c) => c.name).join(', ')}.`);
  io.err('Run `lstm-lens --help` for usage.');
  return 2;
}
