// @ts-check
// Packages the extension for one platform: node scripts/packageVsix.js [--target linux-x64]
// -> dist-vsix/lstm-lens-<target>-<version>.vsix with dist/, media/, and only
// onnxruntime-node + onnxruntime-common with that platform's native binaries.
// Expects `npm run build` to have produced dist/. Prints the .vsix path last.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.join(__dirname, '..');
// vsce target -> onnxruntime-node binary folder (onnxruntime-node 1.30 ships no darwin-x64).
/** @type {Readonly<Record<string, string>>} */
const BIN_DIRS = {
  'linux-x64': 'linux/x64',
  'linux-arm64': 'linux/arm64',
  'darwin-arm64': 'darwin/arm64',
  'win32-x64': 'win32/x64',
  'win32-arm64': 'win32/arm64',
};
const BIN_LINE = '!node_modules/onnxruntime-node/bin/napi-v6/linux/x64/**';
// The native training kernel (scripts/buildNative.js) is built for the machine that builds: linux-x64 only.
const NATIVE = 'dist/native/lstm_lens_native.node';
const NATIVE_LINE = `!${NATIVE}`;
const NATIVE_TARGET = 'linux-x64';

/**
 * The --target of the command line (default linux-x64), checked against BIN_DIRS.
 * @param {string[]} argv
 * @returns {string}
 */
function parseTarget(argv) {
  const i = argv.indexOf('--target');
  const target = i >= 0 ? argv[i + 1] : 'linux-x64';
  // Own keys only: `--target constructor` must not pass as a target.
  if (!target || !Object.hasOwn(BIN_DIRS, target)) {
    throw new Error(`unknown or missing --target '${target}'; choose one of ${Object.keys(BIN_DIRS).join(', ')}`);
  }
  return target;
}

function main() {
  const target = parseTarget(process.argv.slice(2));
  /** @type {unknown} */
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const pkg = /** @type {{ name?: unknown, version?: unknown }} */ (manifest ?? {});
  if (typeof pkg.name !== 'string' || typeof pkg.version !== 'string')
    throw new Error('package.json lacks a string name or version');
  for (const f of ['dist/extension.js', 'dist/webview.js', 'dist/engineInfoWorker.js']) {
    if (!fs.existsSync(path.join(ROOT, f))) throw new Error(`${f} is missing; run \`npm run build\` first`);
  }
  const binDir = path.join(ROOT, 'node_modules/onnxruntime-node/bin/napi-v6', BIN_DIRS[target]);
  if (!fs.existsSync(path.join(binDir, 'onnxruntime_binding.node'))) {
    throw new Error(`${binDir}/onnxruntime_binding.node is missing; is onnxruntime-node installed?`);
  }

  const ignore = fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8');
  if (!ignore.includes(BIN_LINE)) throw new Error(`.vscodeignore lacks the line ${BIN_LINE}`);
  if (!ignore.includes(NATIVE_LINE)) throw new Error(`.vscodeignore lacks the line ${NATIVE_LINE}`);
  const withNative = target === NATIVE_TARGET && fs.existsSync(path.join(ROOT, NATIVE));
  if (target === NATIVE_TARGET && !withNative)
    console.error(`[packageVsix] ${NATIVE} was not built here: the package trains on the ONNX graph only`);
  const ignoreFile = path.join(os.tmpdir(), `lstm-lens-vscodeignore-${target}-${process.pid}`);
  fs.writeFileSync(
    ignoreFile,
    ignore
      .replace(BIN_LINE, `!node_modules/onnxruntime-node/bin/napi-v6/${BIN_DIRS[target]}/**`)
      .replace(NATIVE_LINE, withNative ? NATIVE_LINE : ''),
  );

  const outDir = path.join(ROOT, 'dist-vsix');
  fs.mkdirSync(outDir, { recursive: true });
  const out = path.join(outDir, `${pkg.name}-${target}-${pkg.version}.vsix`);
  try {
    // Dependency detection stays on: vsce adds the production dependencies'
    // files and the ignore file keeps only onnxruntime-node(-common).
    execFileSync(
      process.execPath,
      [require.resolve('@vscode/vsce/vsce'), 'package', '--target', target, '--ignoreFile', ignoreFile, '-o', out],
      { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] },
    );
  } finally {
    fs.rmSync(ignoreFile, { force: true });
  }
  checkContents(out, target, withNative);
  console.log(out);
}

/**
 * media/ files named in package.json (icons, walkthrough markdown) plus the bundled model, its labels, the walkthrough's picture and panel CSS if present.
 * @returns {string[]}
 */
function manifestMediaFiles() {
  const text = fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8');
  const named = new Set(text.match(/media\/[\w./-]+\.\w+/g) || []);
  for (const f of [
    'media/models/default.onnx',
    'media/models/default.labels.json',
    'media/screenshots/colouring.png',
    'media/panel.css',
  ]) {
    if (fs.existsSync(path.join(ROOT, f))) named.add(f);
  }
  return [...named];
}

/**
 * The .vsix must carry the binding for its platform and nothing from the others.
 * @param {string} vsix
 * @param {string} target
 * @param {boolean} withNative the native training kernel belongs in it
 * @returns {void}
 */
function checkContents(vsix, target, withNative) {
  const list = execFileSync('unzip', ['-Z1', vsix], { encoding: 'utf8' }).split('\n').filter(Boolean);
  const need = [
    'extension/dist/extension.js',
    'extension/dist/webview.js',
    'extension/dist/engineInfoWorker.js',
    'extension/media/icon.png',
    // Files the manifest or the code refer to (bundled model, walkthrough pages, panel CSS).
    ...manifestMediaFiles().map((f) => `extension/${f}`),
    `extension/node_modules/onnxruntime-node/bin/napi-v6/${BIN_DIRS[target]}/onnxruntime_binding.node`,
    'extension/node_modules/onnxruntime-node/dist/index.js',
    'extension/node_modules/onnxruntime-common/dist/cjs/index.js',
    'extension/node_modules/@vscode/tree-sitter-wasm/wasm/tree-sitter.js',
    'extension/node_modules/@vscode/tree-sitter-wasm/wasm/tree-sitter.wasm',
    'extension/node_modules/@vscode/tree-sitter-wasm/wasm/tree-sitter-cpp.wasm',
    'extension/node_modules/@vscode/tree-sitter-wasm/wasm/tree-sitter-python.wasm',
    'extension/node_modules/@vscode/tree-sitter-wasm/wasm/tree-sitter-typescript.wasm',
    ...(withNative ? [`extension/${NATIVE}`] : []),
  ];
  const missing = need.filter((f) => !list.includes(f));
  const foreign = list.filter(
    (f) =>
      (f.includes('/bin/napi-v6/') && !f.includes(`/bin/napi-v6/${BIN_DIRS[target]}/`)) ||
      (!withNative && f === `extension/${NATIVE}`),
  );
  const strays = list.filter(
    (f) =>
      f.startsWith('extension/node_modules/') &&
      !/^extension\/node_modules\/(onnxruntime-(node|common)|@vscode\/tree-sitter-wasm)\//.test(f),
  );
  if (missing.length || foreign.length || strays.length) {
    throw new Error(
      `${vsix} has wrong contents:` +
        (missing.length ? `\n  missing: ${missing.join(', ')}` : '') +
        (foreign.length ? `\n  other platforms' binaries: ${foreign.join(', ')}` : '') +
        (strays.length ? `\n  unexpected modules: ${strays.slice(0, 10).join(', ')}` : ''),
    );
  }
  const mb = (fs.statSync(vsix).size / 1e6).toFixed(1);
  console.error(`[packageVsix] ${path.basename(vsix)}: ${list.length} files, ${mb} MB, contents checked`);
}

try {
  main();
} catch (err) {
  console.error(`packageVsix: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
