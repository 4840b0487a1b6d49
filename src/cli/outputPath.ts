// Checks a file the command will write (`--out`) before any work starts, so a
// path that cannot be written fails at once, naming the path as the user gave
// it, and an existing model is only replaced when asked.

import * as fs from 'fs';
import * as path from 'path';
import { UsageError } from './cliCommand';

/**
 * Throws a UsageError naming `--<option> <file>` when the file cannot be
 * written: its folder is missing, not a folder or not writable, the path is a
 * folder, or the file exists and `replace` is false.
 */
export function checkOutputFile(file: string, option: string, replace: boolean): void {
  const what = `--${option} ${file}`;
  const existing = statOrUndefined(file);
  if (existing?.isDirectory()) throw new UsageError(`${what} is a folder; give the path of a file to write`);
  if (existing && !replace) {
    throw new UsageError(`${what} exists; pass --force to replace it, or choose another --${option}`);
  }
  const dir = path.dirname(path.resolve(file));
  const folder = statOrUndefined(dir);
  if (!folder) throw new UsageError(`${what}: the folder ${dir} does not exist`);
  if (!folder.isDirectory()) throw new UsageError(`${what}: ${dir} is not a folder`);
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    throw new UsageError(`${what}: the folder ${dir} is not writable`);
  }
}

function statOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw e;
  }
}
