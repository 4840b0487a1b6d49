// Files the benchmarks and the model scripts read from what the machine has
// installed: npm's own install folder, and the files under a folder, in path
// order (so every run reads the same ones).

import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** The folder npm itself is installed in (its lib/, its bundled node_modules). */
export function npmDir(): string {
  const npm = path.join(spawnSync('npm', ['root', '-g'], { encoding: 'utf8' }).stdout.trim(), 'npm');
  if (!fs.existsSync(path.join(npm, 'package.json'))) throw new Error(`npm's own files are not at ${npm}`);
  return npm;
}

/**
 * Files under `root` whose path passes `keep` (a pattern or a test of the
 * whole path), in path order, at most `maxDepth` folders down (0: `root`'s
 * own files); none when `root` is missing.
 */
export function filesUnder(root: string, keep: RegExp | ((file: string) => boolean), maxDepth = Infinity): string[] {
  if (!fs.existsSync(root)) return [];
  const test = typeof keep === 'function' ? keep : (f: string): boolean => keep.test(f);
  const out: string[] = [];
  const walk = (d: string, depth: number): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const f = path.join(d, e.name);
      if (e.isDirectory()) {
        if (depth < maxDepth) walk(f, depth + 1);
      } else if (e.isFile() && test(f)) out.push(f);
    }
  };
  walk(root, 0);
  return out;
}
