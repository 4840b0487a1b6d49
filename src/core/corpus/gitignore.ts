// `.gitignore` rules of a folder tree, for corpus gathering (VS Code's stable
// findFiles does not read ignore files). Semantics follow gitignore(5):
//   - blank lines and `#` comments are skipped; `\#`, `\!` and `\ ` escape;
//   - `!pattern` re-includes what an earlier rule excluded, but never a path
//     whose parent folder is excluded;
//   - `dir/` (trailing slash) matches folders only;
//   - a pattern with a '/' at its start or middle is anchored at the folder
//     of its .gitignore, otherwise it matches a name at any depth below it;
//   - rules of a deeper .gitignore win over those of shallower ones, and
//     later lines over earlier ones.
// Paths are '/'-separated, relative to the workspace folder, no leading '/'.

import { globSource } from './globMatch';

interface Rule {
  base: string; // folder of the .gitignore ('' = root)
  depth: number; // segments in base
  order: number; // global line order, for ties
  negate: boolean;
  dirOnly: boolean;
  re: RegExp; // on the path relative to base
}

export class IgnoreRules {
  private rules: Rule[] = [];
  private lines = 0;

  /** Adds the lines of the .gitignore in folder `base` ('' for the root). */
  add(base: string, text: string): void {
    const b = base.replace(/^\/+|\/+$/g, '');
    for (const raw of text.split(/\r?\n/)) {
      const rule = parseLine(raw);
      if (!rule) continue;
      this.rules.push({ base: b, depth: b === '' ? 0 : b.split('/').length, order: this.lines++, ...rule });
    }
    this.rules.sort((x, y) => x.depth - y.depth || x.order - y.order);
  }

  get size(): number {
    return this.rules.length;
  }

  /** True when `relPath` (a file) or one of its parent folders is ignored. */
  ignores(relPath: string): boolean {
    if (this.rules.length === 0) return false;
    const parts = relPath.split('/');
    for (let n = 1; n < parts.length; n++) {
      if (this.decide(parts.slice(0, n).join('/'), true)) return true;
    }
    return this.decide(relPath, false);
  }

  private decide(p: string, isDir: boolean): boolean {
    let ignored = false;
    for (const r of this.rules) {
      if (r.dirOnly && !isDir) continue;
      if (r.base !== '' && !p.startsWith(`${r.base}/`)) continue;
      const rel = r.base === '' ? p : p.slice(r.base.length + 1);
      if (r.re.test(rel)) ignored = !r.negate;
    }
    return ignored;
  }
}

function parseLine(raw: string): Omit<Rule, 'base' | 'depth' | 'order'> | undefined {
  let line = raw.replace(/(?<!\\)\s+$/, '');
  if (line === '' || line.startsWith('#')) return undefined;
  let negate = false;
  if (line.startsWith('!')) {
    negate = true;
    line = line.slice(1);
  } else if (line.startsWith('\\!') || line.startsWith('\\#')) line = line.slice(1);
  let dirOnly = false;
  if (line.endsWith('/')) {
    dirOnly = true;
    line = line.replace(/\/+$/, '');
  }
  if (line === '') return undefined;
  const anchored = line.includes('/');
  line = line.replace(/^\/+/, '');
  const glob = anchored ? line : `**/${line}`;
  return { negate, dirOnly, re: new RegExp(`^${globSource(glob)}$`) };
}
