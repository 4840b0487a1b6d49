// Reading a file that may not be there (a cache entry, labels beside a
// model): its text, or undefined when it does not exist; other errors throw.

import { promises as fs } from 'fs';

export async function readTextIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
