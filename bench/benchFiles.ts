// Files the benchmarks read from what the machine has installed: npm's own
// install folder, and the files under a folder, in path order (so every run
// reads the same ones).

import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** The folder npm itself is installed in (its lib/, its bundled node_modules). */
export function npmDir(): string {
  const npm = path.join(spawnSync('npm', ['root', '-g'], { encoding: 'utf8' }).stdout.trim(), 'npm');
  if (!fs.existsSync(path.join(npm, 'package.json'))) throw new Error(`npm's own files are not at ${npm}`);
  return npm;
}

/** Files under `root` whose name matches `name`, in path order; none when `root` is missing. */
export function filesUnder(root: string, name: RegExp): string[] {
  if (!fs.existsSync(root)) return [];
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const f = path.join(d, e.name);
      if (e.isDirectory()) walk(f);
      else if (e.isFile() && name.test(e.name)) out.push(f);
    }
  };
  walk(root);
  return out;
}
