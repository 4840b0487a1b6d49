// The contract every `lstm-lens <name>` subcommand implements. Each lives in
// its own file src/cli/<name>Command.ts and is registered in src/cli/main.ts.

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /**
   * Text (or its UTF-8 bytes) as it is, no newline added: a long output in
   * pieces (run --json, sample). Resolves once the reader can take more (a
   * pipe's backpressure). Optional: textSink.ts turns the pieces into lines
   * for an io without it.
   */
  write?: (piece: string | Uint8Array) => Promise<void>;
}

/** The process's own stdout / stderr: every command's default io. */
export const stdio: CliIo = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
  // Through a pipe, write() queues in memory and returns false above the
  // stream's high-water mark; waiting for 'drain' keeps a slow reader from
  // piling the whole output up in this process.
  write: (piece) =>
    process.stdout.write(piece)
      ? Promise.resolve()
      : new Promise<void>((resolve) => process.stdout.once('drain', () => resolve())),
};

export interface CliCommand {
  /** The word typed after `lstm-lens`, e.g. 'run'. */
  name: string;
  /** One line for the command list in `lstm-lens --help`. */
  summary: string;
  /** Full help printed by `lstm-lens <name> --help`: usage line, options, an example. */
  usage: string;
  /**
   * Runs with the arguments after the command name (parse them with
   * util.parseArgs, strict). Returns the process exit code. Throw an Error
   * with a message naming the problem for bad input; the dispatcher prints it
   * and exits with code 1.
   */
  run(args: string[], io: CliIo): Promise<number>;
}

/** Thrown for bad usage (unknown option, missing argument): exit code 2 and a hint to --help. */
export class UsageError extends Error {}
