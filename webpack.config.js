// Two bundles:
//  - node: dist/extension.js plus one file per worker entry (dist/<name>.js),
//    with `vscode` and `onnxruntime-node` left as commonjs requires (the native
//    binding must load from node_modules/onnxruntime-node/bin/... inside the .vsix);
//  - web: dist/webview.js for the panel, chart.js bundled in.
'use strict';

const fs = require('fs');
const path = require('path');

// Worker entries: every src/worker/*Worker.ts that exists (analysisWorker,
// trainingWorker, engineInfoWorker, ...). The extension spawns them with
// new Worker(path.join(__dirname, '<name>.js')).
const workerDir = path.join(__dirname, 'src', 'worker');
const workerEntries = Object.fromEntries(
  (fs.existsSync(workerDir) ? fs.readdirSync(workerDir) : [])
    .filter((f) => /Worker\.ts$/.test(f))
    .map((f) => [path.basename(f, '.ts'), path.join(workerDir, f)]),
);

const tsRule = (configFile) => ({
  test: /\.ts$/,
  exclude: /node_modules/,
  // The tsconfigs are for type checks (noEmit); here ts-loader must emit.
  use: [
    { loader: 'ts-loader', options: { configFile, onlyCompileBundledFiles: true, compilerOptions: { noEmit: false } } },
  ],
});

/** @type {import('webpack').Configuration} */
const nodeConfig = {
  name: 'extension',
  target: 'node',
  entry: { extension: './src/extension/extension.ts', ...workerEntries },
  output: {
    path: path.join(__dirname, 'dist'),
    filename: '[name].js',
    libraryTarget: 'commonjs2',
    devtoolModuleFilenameTemplate: '../[resource-path]',
  },
  externals: {
    vscode: 'commonjs vscode',
    'onnxruntime-node': 'commonjs onnxruntime-node',
    // An Emscripten module that loads its .wasm files from its own folder: shipped as it is.
    '@vscode/tree-sitter-wasm': 'commonjs @vscode/tree-sitter-wasm',
  },
  resolve: { extensions: ['.ts', '.js'] },
  module: { rules: [tsRule(path.join(__dirname, 'src', 'tsconfig.json'))] },
  node: { __dirname: false, __filename: false },
  // protobufjs probes for optional modules with a dynamic require (its "inquire"
  // helper) and falls back when they are absent; nothing to bundle there.
  ignoreWarnings: [{ module: /@protobufjs[\\/]inquire/ }],
  devtool: 'nosources-source-map',
  performance: { hints: false },
};

/** @type {import('webpack').Configuration} */
const webviewConfig = {
  name: 'webview',
  target: 'web',
  entry: { webview: './webview/main.ts' },
  output: { path: path.join(__dirname, 'dist'), filename: '[name].js' },
  resolve: { extensions: ['.ts', '.js'] },
  module: { rules: [tsRule(path.join(__dirname, 'webview', 'tsconfig.json'))] },
  devtool: 'nosources-source-map',
  performance: { hints: false },
};

module.exports = [nodeConfig, webviewConfig];
