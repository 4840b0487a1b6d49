// A CliIo that keeps what a command prints, line by line, for the CLI tests.

import type { CliIo } from '../../src/cli/cliCommand';

export function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}
