// @ts-check
// Builds the native training kernel (native/*.c, a Node-API addon) with the
// system C compiler: out/native/lstm_lens_native.node, copied to
// dist/native/ for the bundle. Part of `npm run compile`, so `npm ci` builds
// it. It is an accelerator, not a requirement: where there is no x86-64 CPU
// or no `cc`, it says so and exits 0, and training runs the ONNX graph
// (src/core/training/trainSession.ts). A compile error on a machine that has
// both fails the build. Rebuilds only when a source is newer than the addon.
// Usage: node scripts/buildNative.js [--force]
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const SRC = path.join(ROOT, 'native');
const OUT = path.join(ROOT, 'out', 'native');
const FILE = 'lstm_lens_native.node';
// Node-API's headers, from the Node that builds (official builds and Debian's nodejs carry include/node).
const HEADERS = path.join(path.dirname(process.execPath), '..', 'include', 'node');
// The kernels use AVX2 + FMA; addon.c checks the CPU at run time, so it is built without them.
const UNITS = [
  { file: 'addon.c', flags: [`-I${HEADERS}`] },
  { file: 'lstmStep.c', flags: ['-mavx2', '-mfma'] },
  { file: 'sgemm.c', flags: ['-mavx2', '-mfma'] },
];
const CFLAGS = ['-O3', '-fPIC', '-std=gnu11', '-Wall', '-Wextra', '-Werror', '-fvisibility=hidden'];

/** @param {string} why */
function skip(why) {
  console.log(`native training kernel not built: ${why}; training uses the ONNX graph`);
  process.exit(0);
}

/** @param {string} cmd @param {string[]} args */
function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

function main() {
  if (process.arch !== 'x64') skip(`the kernel is for x86-64 CPUs, this is ${process.arch}`);
  if (process.platform === 'win32') skip('no build for Windows');
  if (!fs.existsSync(path.join(HEADERS, 'node_api.h'))) skip(`no Node-API headers at ${HEADERS}`);
  const cc = process.env.CC || 'cc';
  if (spawnSync(cc, ['--version'], { stdio: 'ignore' }).status !== 0) skip(`no C compiler (${cc})`);
  const target = path.join(OUT, FILE);
  const sources = fs.readdirSync(SRC).map((f) => path.join(SRC, f));
  const built = fs.existsSync(target) ? fs.statSync(target).mtimeMs : 0;
  const stale = process.argv.includes('--force') || sources.some((f) => fs.statSync(f).mtimeMs > built);
  if (stale) {
    fs.mkdirSync(OUT, { recursive: true });
    const objects = UNITS.map((u) => {
      const obj = path.join(OUT, u.file.replace(/\.c$/, '.o'));
      run(cc, [...CFLAGS, ...u.flags, '-c', path.join(SRC, u.file), '-o', obj]);
      return obj;
    });
    // Node-API symbols come from the node process that loads the addon.
    const link = process.platform === 'darwin' ? ['-bundle', '-undefined', 'dynamic_lookup'] : ['-shared'];
    run(cc, [...link, '-o', `${target}.tmp`, ...objects, '-lm']);
    fs.renameSync(`${target}.tmp`, target);
    for (const obj of objects) fs.rmSync(obj);
  }
  const dist = path.join(ROOT, 'dist', 'native');
  fs.mkdirSync(dist, { recursive: true });
  fs.copyFileSync(target, path.join(dist, FILE));
  console.log(`native training kernel: ${path.relative(ROOT, target)}${stale ? ' (built)' : ' (up to date)'}`);
}

main();
