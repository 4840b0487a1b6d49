// Glob patterns as regular expressions, for the two flavours the corpus
// filter meets: VS Code settings (`files.exclude`, `search.exclude`, the
// include setting) and `.gitignore` lines (parsed in gitignore.ts).
// Paths are '/'-separated and relative (no leading '/').
//
//   *      any run of characters except '/'
//   ?      one character except '/'
//   **     any run of whole path segments (also none), when it is a whole segment
//   {a,b}  alternatives (may nest, may contain globs)
//   [abc] [a-z] [!x] [^x]  one character of a class
//   \x     a literal x

/** Thrown for a pattern we cannot read; the message names the pattern. */
export class GlobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GlobError';
  }
}

const escapeRe = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** The regular-expression source (no anchors) for a glob. */
export function globSource(glob: string): string {
  let out = '';
  let depth = 0; // inside {…}
  for (let j = 0; j < glob.length; j++) {
    const c = glob[j];
    if (c === '*') {
      if (glob[j + 1] === '*') {
        const atStart = j === 0 || glob[j - 1] === '/' || glob[j - 1] === '{' || glob[j - 1] === ',';
        let k = j + 2;
        while (glob[k] === '*') k++;
        const atEnd = k === glob.length || glob[k] === '/' || glob[k] === '}' || glob[k] === ',';
        if (atStart && atEnd) {
          if (glob[k] === '/') {
            out += '(?:[^/]*/)*'; // '**/' : zero or more whole segments
            j = k;
          } else {
            out += '.*'; // trailing '**': everything below
            j = k - 1;
          }
          continue;
        }
        out += '[^/]*';
        j = k - 1;
        continue;
      }
      out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '{') {
      depth++;
      out += '(?:';
    } else if (c === '}' && depth > 0) {
      depth--;
      out += ')';
    } else if (c === ',' && depth > 0) out += '|';
    else if (c === '[') {
      const close = glob.indexOf(']', j + 2);
      if (close < 0) {
        out += '\\[';
        continue;
      }
      let body = glob.slice(j + 1, close);
      const negate = body[0] === '!' || body[0] === '^';
      if (negate) body = body.slice(1);
      out += `[${negate ? '^' : ''}${body.replace(/\\/g, '\\\\').replace(/]/g, '\\]')}]`;
      j = close;
    } else if (c === '\\' && j + 1 < glob.length) out += escapeRe(glob[++j]);
    else out += escapeRe(c);
  }
  if (depth !== 0) throw new GlobError(`glob "${glob}" has an unclosed "{"`);
  return out;
}

/** A matcher for whole relative paths: `globMatcher('**\/*.ts')('src/a.ts') === true`. */
export function globMatcher(glob: string): (relPath: string) => boolean {
  if (typeof glob !== 'string' || glob.length === 0) throw new GlobError('empty glob pattern');
  const re = new RegExp(`^${globSource(glob.replace(/^\.\//, ''))}$`);
  return (p) => re.test(p);
}

/**
 * VS Code exclude semantics: a pattern excludes a path when it matches the
 * path or any of its parent folders (`**\/node_modules` excludes everything
 * below node_modules). Only patterns set to `true` count; `when` clauses
 * (sibling conditions) are not evaluated and so not applied.
 */
export function excludeMatcher(settings: Record<string, unknown> | undefined): (relPath: string) => boolean {
  const matchers = Object.entries(settings ?? {})
    .filter(([, v]) => v === true)
    .map(([k]) => globMatcher(k));
  if (matchers.length === 0) return () => false;
  return (p) => {
    const parts = p.split('/');
    for (let n = 1; n <= parts.length; n++) {
      const prefix = parts.slice(0, n).join('/');
      if (matchers.some((m) => m(prefix))) return true;
    }
    return false;
  };
}
