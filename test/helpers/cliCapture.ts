// A CliIo that keeps what a command prints, for the CLI tests: stdout as
// lines (out() and write() pieces together, as a terminal would show them),
// each write() piece as it came, and stderr lines.

import type { CliIo } from '../../src/cli/cliCommand';

export interface Captured extends CliIo {
  readonly stdout: string[];
  readonly stderr: string[];
  /** Every write() piece, in order (bytes as they came). */
  readonly writes: (string | Uint8Array)[];
}

export function capture(): Captured {
  let text = '';
  const stderr: string[] = [];
  const writes: (string | Uint8Array)[] = [];
  const decoder = new TextDecoder(); // a run of bytes may end inside a character
  return {
    get stdout() {
      if (text === '') return [];
      return (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
    },
    stderr,
    writes,
    out: (line) => {
      text += line + '\n';
    },
    err: (line) => stderr.push(line),
    write: (piece) => {
      text += typeof piece === 'string' ? piece : decoder.decode(piece, { stream: true });
      writes.push(piece);
      return Promise.resolve();
    },
  };
}
