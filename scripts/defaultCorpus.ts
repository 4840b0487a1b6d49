// The bundled model's training corpus: licence-clean source that Debian and
// npm packages ship, so every machine here can rebuild it offline (after
// `apt-get install` of the packages below). Each language is capped; within a
// language files are taken in a seeded order of their paths, so the cap
// samples every project and directory instead of the first few.
//
// Held out from it on purpose (bench/heldOutBench.ts scores on them): the
// examples of zlib, nettle and xmlsec, PyTorch, and npm's own lib/; and what
// labels the bundled model's cells (scripts/labelDefaultModel.ts): mocha,
// chart.js, node-gyp and /usr/include. The kernel's copies of zlib
// (lib/zlib_*) are left out too.

import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { CorpusFile } from '../src/core/training/corpusSplit';
import { filesUnder } from '../bench/benchFiles';

/** The Debian packages the corpus reads; scripts/aptPackages.sh installs them. */
export const CORPUS_APT_PACKAGES = [
  'python3.11',
  'python3-numpy',
  'golang-1.19-src',
  'rust-src',
  'openjdk-17-source',
  'linux-source-6.1',
  'bash-doc',
];

const SQLITE_PACKAGE = 'better-sqlite3@12.11.1';
const GO_SRC = '/usr/share/go-1.19/src';
const RUST_LIBRARY = '/usr/src/rustc-1.63.0/library';
const JDK_SRC_ZIP = '/usr/lib/jvm/java-17-openjdk-amd64/lib/src.zip';
const LINUX_TAR = '/usr/src/linux-source-6.1.tar.xz';
const LINUX_DIRS = ['kernel', 'mm', 'lib', 'fs/ext4', 'net/ipv4', 'drivers/char', 'scripts', 'tools/testing/selftests'];
/** npm is bench:heldout's JavaScript; mocha and chart.js are the labels' sample (scripts/labelDefaultModel.ts). */
export const HELD_OUT_PACKAGES = new Set(['npm', 'mocha', '@types/mocha', 'chart.js', 'node-gyp']);
const PERMISSIVE = /^(MIT|ISC|0BSD|BSD-[23]-Clause|Apache-2\.0|BlueOak-1\.0\.0|Python-2\.0|CC0-1\.0)$/;

/** One language's share of the corpus. */
export interface CorpusPart {
  language: string;
  /** Where it comes from and under which licence, for the model card. */
  sources: string;
  files: CorpusFile[];
}

/** Files longer than this are generated more often than written. */
const MAX_FILE_CHARS = 300_000;
/** A line this long means minified or generated text. */
const MAX_LINE_CHARS = 400;

/** FNV-1a of a string: a seeded order of paths that does not depend on the walk. */
function hashOf(s: string, seed: number): number {
  let h = (2166136261 ^ seed) >>> 0;
  for (let j = 0; j < s.length; j++) h = Math.imul(h ^ s.charCodeAt(j), 16777619) >>> 0;
  return h;
}

/** Not generated: 200 characters to 300 k, no NUL, no line over 400 characters. */
export function looksWritten(text: string): boolean {
  if (text.length < 200 || text.length > MAX_FILE_CHARS || text.includes('\0')) return false;
  let run = 0;
  for (let j = 0; j < text.length; j++) {
    if (text.charCodeAt(j) === 10) run = 0;
    else if (++run > MAX_LINE_CHARS) return false;
  }
  return true;
}

/**
 * Reads `paths` in a seeded order until `capChars`; names are relative to
 * `base` with `label` before them. Files that look generated are skipped.
 */
export function take(paths: string[], capChars: number, label: string, base: string): CorpusFile[] {
  const order = [...paths].sort((a, b) => hashOf(a, 1) - hashOf(b, 1));
  const out: CorpusFile[] = [];
  let total = 0;
  for (const p of order) {
    if (total >= capChars) break;
    const text = fs.readFileSync(p, 'utf8');
    if (!looksWritten(text)) continue;
    out.push({ name: `${label}/${path.relative(base, p)}`, text });
    total += text.length;
  }
  return out;
}

const chars = (files: CorpusFile[]): number => files.reduce((s, f) => s + f.text.length, 0);
const mb = (files: CorpusFile[]): string => (chars(files) / 1e6).toFixed(1);

/** sqlite3.c from the npm tarball (cached), cut into its original files. */
function sqliteFiles(cache: string): CorpusFile[] {
  const dir = path.join(cache, 'sqlite');
  const src = path.join(dir, 'package', 'deps', 'sqlite3', 'sqlite3.c');
  if (!fs.existsSync(src)) {
    fs.mkdirSync(dir, { recursive: true });
    const tgz = execFileSync('npm', ['pack', SQLITE_PACKAGE, '--silent'], { cwd: dir, encoding: 'utf8' })
      .trim()
      .split('\n')
      .pop()!;
    execFileSync('tar', ['xzf', tgz, 'package/deps/sqlite3/sqlite3.c'], { cwd: dir });
  }
  const parts = fs.readFileSync(src, 'utf8').split(/^(?=\/\*+ Begin file )/m);
  return parts
    .map((t, j) => ({ name: `sqlite3.c#${/Begin file (\S+)/.exec(t)?.[1] ?? `part${j}`}`, text: t }))
    .filter((f) => f.text.length <= MAX_FILE_CHARS);
}

/** The kernel directories above, unpacked once from Debian's source tarball. */
function linuxTree(cache: string): string {
  const root = path.join(cache, 'linux-source-6.1');
  if (!fs.existsSync(path.join(root, '.unpacked'))) {
    if (!fs.existsSync(LINUX_TAR)) throw new Error(`${LINUX_TAR} is missing: apt-get install linux-source-6.1`);
    execFileSync('tar', ['xJf', LINUX_TAR, '-C', cache, ...LINUX_DIRS.map((d) => `linux-source-6.1/${d}`)]);
    fs.writeFileSync(path.join(root, '.unpacked'), '');
  }
  return root;
}

/** The JDK's java.base, java.net.http and java.sql sources, unzipped once. */
function jdkTree(cache: string): string {
  const root = path.join(cache, 'jdk17');
  if (!fs.existsSync(path.join(root, '.unpacked'))) {
    if (!fs.existsSync(JDK_SRC_ZIP)) throw new Error(`${JDK_SRC_ZIP} is missing: apt-get install openjdk-17-source`);
    fs.mkdirSync(root, { recursive: true });
    execFileSync('unzip', ['-q', '-o', JDK_SRC_ZIP, 'java.base/*', 'java.net.http/*', 'java.sql/*', '-d', root]);
    fs.writeFileSync(path.join(root, '.unpacked'), '');
  }
  return root;
}

export interface NpmPackage {
  name: string;
  dir: string;
}

/** Packages under node_modules (scoped ones too) with a permissive licence, npm itself left out. */
export function permissivePackages(nodeModules: string): NpmPackage[] {
  const out: NpmPackage[] = [];
  const visit = (dir: string, prefix: string): void => {
    for (const name of fs.readdirSync(dir).sort()) {
      if (name.startsWith('.')) continue;
      const p = path.join(dir, name);
      if (name.startsWith('@') && !prefix) {
        visit(p, `${name}/`);
        continue;
      }
      const manifest = path.join(p, 'package.json');
      if (!fs.existsSync(manifest)) continue;
      const license = (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { license?: unknown }).license;
      if (HELD_OUT_PACKAGES.has(`${prefix}${name}`) || typeof license !== 'string' || !PERMISSIVE.test(license))
        continue;
      out.push({ name: `${prefix}${name}`, dir: p });
    }
  };
  visit(nodeModules, '');
  return out;
}

const SKIP_DIRS = /\/(node_modules|dist|umd|min|bundle|build|esm5|fixtures?|vendor|__tests__|tests?|coverage)\//;

/** Each package's files that pass `keep`, at most `perPackage` characters from one package. */
function fromPackages(
  packages: NpmPackage[],
  keep: (p: string) => boolean,
  perPackage: number,
  cap: number,
  nodeModules: string,
): CorpusFile[] {
  const perPkg = packages.map((pkg) =>
    take(
      filesUnder(pkg.dir, (p) => keep(p) && !SKIP_DIRS.test(p.slice(pkg.dir.length))),
      perPackage,
      'node_modules',
      nodeModules,
    ),
  );
  const all = perPkg.flat();
  const order = [...all].sort((a, b) => hashOf(a.name, 2) - hashOf(b.name, 2));
  const out: CorpusFile[] = [];
  let total = 0;
  for (const f of order) {
    if (total >= cap) break;
    out.push(f);
    total += f.text.length;
  }
  return out;
}

/**
 * The corpus, about 32 M characters in nine languages. `root` is the
 * project (its node_modules are read, never its own files: the e2e
 * workspace and the README's examples are code the model must not have
 * seen); `cache` holds what is
 * unpacked once (sqlite3.c, the kernel directories, the JDK sources).
 */
export function defaultCorpus(root: string, cache: string): CorpusPart[] {
  fs.mkdirSync(cache, { recursive: true });
  const nm = path.join(root, 'node_modules');
  const packages = permissivePackages(nm);
  const linux = linuxTree(cache);
  const jdk = jdkTree(cache);
  const MB = 1e6;
  const kernelC = (p: string): boolean => /\.[ch]$/.test(p) && !/\/lib\/(zlib_|zstd|xz)/.test(p);
  // sqlite's parts are cut from one file in memory, so they are capped here.
  let sqliteChars = 0;
  const sqlite = sqliteFiles(cache).filter((f) => (sqliteChars += f.text.length) <= 2.5 * MB);
  const parts: CorpusPart[] = [
    {
      language: 'c',
      sources:
        'SQLite amalgamation from better-sqlite3@12.11.1 (public domain); Linux 6.1 kernel/, mm/, lib/, fs/ext4, net/ipv4, drivers/char (GPL-2.0)',
      files: [...sqlite, ...take(filesUnder(linux, kernelC), 3 * MB, 'linux', linux)],
    },
  ];
  parts.push(
    {
      language: 'python',
      sources: 'Python 3.11 standard library (PSF-2.0); NumPy from python3-numpy (BSD-3-Clause)',
      files: [
        ...take(
          filesUnder(
            '/usr/lib/python3.11',
            (p) => p.endsWith('.py') && !/\/(test|tests|idlelib|lib2to3|encodings)\//.test(p),
          ),
          4 * MB,
          'python3.11',
          '/usr/lib/python3.11',
        ),
        ...take(
          filesUnder('/usr/lib/python3/dist-packages/numpy', (p) => p.endsWith('.py') && !/\/tests\//.test(p)),
          1.5 * MB,
          'numpy',
          '/usr/lib/python3/dist-packages/numpy',
        ),
      ],
    },
    {
      language: 'javascript',
      sources:
        'webpack lib/ and the .js sources of the permissively licensed (MIT, ISC, BSD, Apache-2.0) packages in node_modules, at most 250 kB each',
      files: fromPackages(packages, (p) => /\.(c|m)?js$/.test(p) && !p.endsWith('.min.js'), 250_000, 5 * MB, nm),
    },
    {
      language: 'typescript',
      sources:
        'typescript lib/*.d.ts (Apache-2.0), @types/* and the .ts sources of permissive packages in node_modules',
      files: fromPackages(packages, (p) => /\.(m|c)?ts$/.test(p), 300_000, 4 * MB, nm),
    },
    {
      language: 'go',
      sources: 'Go 1.19 standard library from golang-1.19-src (BSD-3-Clause)',
      files: take(
        filesUnder(GO_SRC, (p) => p.endsWith('.go') && !p.includes('/testdata/') && !p.includes('/vendor/')),
        3 * MB,
        'go',
        GO_SRC,
      ),
    },
    {
      language: 'rust',
      sources: 'Rust 1.63 library/ from rust-src (MIT or Apache-2.0)',
      files: take(
        filesUnder(RUST_LIBRARY, (p) => p.endsWith('.rs') && !p.includes('/stdarch/crates/core_arch/src/x86')),
        3 * MB,
        'rust',
        RUST_LIBRARY,
      ),
    },
    {
      language: 'java',
      sources:
        'OpenJDK 17 java.base, java.net.http, java.sql from openjdk-17-source (GPL-2.0 with Classpath Exception)',
      files: take(
        filesUnder(jdk, (p) => p.endsWith('.java')),
        3 * MB,
        'jdk17',
        jdk,
      ),
    },
    {
      language: 'shell',
      sources: 'Linux 6.1 scripts/ and tools/testing/selftests shell scripts (GPL-2.0); bash-doc examples (GPL-3.0)',
      files: [
        ...take(
          filesUnder(path.join(linux, 'scripts'), (p) => p.endsWith('.sh')).concat(
            filesUnder(path.join(linux, 'tools', 'testing', 'selftests'), (p) => p.endsWith('.sh')),
          ),
          1.5 * MB,
          'linux',
          linux,
        ),
        ...take(
          filesUnder(
            '/usr/share/doc/bash-doc/examples',
            (p) => !/\.(gz|html|txt)$/.test(p) && !p.includes('/loadables/'),
          ),
          0.3 * MB,
          'bash-doc',
          '/usr/share/doc/bash-doc/examples',
        ),
      ],
    },
    {
      language: 'markdown',
      sources:
        'README and docs .md files of the permissive packages in node_modules (no changelogs), at most 60 kB each',
      files: fromPackages(
        packages,
        (p) => p.endsWith('.md') && !/(CHANGELOG|HISTORY|CHANGES|LICENSE)/i.test(path.basename(p)),
        60_000,
        2 * MB,
        nm,
      ),
    },
  );
  return parts;
}

/** One line per language for the log and the model card. */
export function corpusSummary(parts: CorpusPart[]): string {
  return parts.map((p) => `${p.language} ${p.files.length} files ${mb(p.files)} MB`).join(', ');
}
