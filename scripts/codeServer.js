// @ts-check
// Shared by the end-to-end runner (test/e2e/runE2e.js) and `npm run demo`:
// installs code-server (through setupCodeServer.sh), installs a .vsix into an
// extensions folder, starts code-server on a free loopback port and stops it.
'use strict';
const { execFileSync, spawn } = require('child_process');
const fs = require('fs');
const http = require('http');
const net = require('net');
const path = require('path');

const ROOT = path.join(__dirname, '..');

/**
 * Where setupCodeServer.sh put code-server: the Node 24 binary that runs it and its entry script.
 * @typedef {{ node24: string, entry: string }} CodeServerInstall
 */
/**
 * What `startCodeServer` needs: the folders, where its output goes, and
 * optionally the port (default: a free one) and how long to wait for it.
 * @typedef {{
 *   port?: number,
 *   userDataDir: string,
 *   extensionsDir: string,
 *   workspace: string,
 *   logFile: string,
 *   timeoutMs?: number,
 * }} StartOptions
 */
/**
 * A running code-server: its URL and port, `stop()` (resolves once it has exited), its log and pid.
 * @typedef {{ url: string, port: number, stop: () => Promise<void>, logFile: string, pid: number | undefined }} CodeServer
 */

/**
 * The environment without what an outer `npm run` exports (npm_config_*,
 * npm_package_*, npm_lifecycle_*, NODE, INIT_CWD…), so code-server and the
 * extension host it starts see the machine, not the npm script that launched them.
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {NodeJS.ProcessEnv}
 */
function withoutNpmEnv(env = process.env) {
  /** @type {NodeJS.ProcessEnv} */
  const clean = {};
  for (const [name, value] of Object.entries(env)) {
    if (/^npm_/i.test(name) || name === 'NODE' || name === 'INIT_CWD') continue;
    clean[name] = value;
  }
  return clean;
}

/**
 * Runs setupCodeServer.sh (idempotent) and returns { node24, entry }.
 * @returns {CodeServerInstall}
 */
function ensureCodeServer() {
  const out = execFileSync('bash', [path.join(__dirname, 'setupCodeServer.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const node24 = /^NODE24=(.+)$/m.exec(out)?.[1];
  const entry = /^CODE_SERVER=(.+)$/m.exec(out)?.[1];
  if (!node24 || !entry) throw new Error(`setupCodeServer.sh did not print NODE24= and CODE_SERVER= lines:\n${out}`);
  return { node24, entry };
}

/**
 * name, version and publisher from the package.json at the root.
 * @returns {{ name: string, version: string, publisher: string }}
 */
function packageInfo() {
  /** @type {unknown} */
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const { name, version, publisher } = /** @type {{ name?: unknown, version?: unknown, publisher?: unknown }} */ (
    pkg ?? {}
  );
  if (typeof name !== 'string' || typeof version !== 'string' || typeof publisher !== 'string') {
    throw new Error(`${path.join(ROOT, 'package.json')} lacks a string name, version or publisher`);
  }
  return { name, version, publisher };
}

/**
 * The newest .vsix for linux-x64 of this package version; builds it with `npm run package` if absent or forced.
 * @param {{ rebuild?: boolean }} [options]
 * @returns {{ vsix: string, id: string, version: string }}
 */
function ensureVsix({ rebuild = false } = {}) {
  const pkg = packageInfo();
  const vsix = path.join(ROOT, 'dist-vsix', `${pkg.name}-linux-x64-${pkg.version}.vsix`);
  if (rebuild || !fs.existsSync(vsix)) {
    execFileSync(process.execPath, [path.join(__dirname, 'packageVsix.js'), '--target', 'linux-x64'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  return { vsix, id: `${pkg.publisher}.${pkg.name}`, version: pkg.version };
}

/**
 * Installs the .vsix into `extensionsDir` with code-server's own CLI; returns what it printed.
 * @param {CodeServerInstall} cs
 * @param {string} vsix
 * @param {string} extensionsDir
 * @param {string} userDataDir
 * @returns {string}
 */
function installExtension(cs, vsix, extensionsDir, userDataDir) {
  fs.mkdirSync(extensionsDir, { recursive: true });
  const out = execFileSync(
    cs.node24,
    [
      cs.entry,
      '--extensions-dir',
      extensionsDir,
      '--user-data-dir',
      userDataDir,
      '--install-extension',
      vsix,
      '--force',
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: withoutNpmEnv() },
  );
  if (!/successfully installed/i.test(out)) throw new Error(`code-server did not install ${vsix}:\n${out}`);
  return out.trim();
}

/**
 * A loopback port that was free a moment ago (the OS picked it).
 * @returns {Promise<number>}
 */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      // Listening on a TCP host and port: the address is an AddressInfo, not a pipe name.
      const { port } = /** @type {import('net').AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Whether GET `url` answers 200 (false on any error or after 2 s).
 * @param {string} url
 * @returns {Promise<boolean>}
 */
function httpOk(url) {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.setTimeout(2000, () => req.destroy());
  });
}

/**
 * Starts code-server; resolves once /healthz answers. Returns { url, port, stop, logFile }.
 * Its output goes to logFile.
 * @param {CodeServerInstall} cs
 * @param {StartOptions} options
 * @returns {Promise<CodeServer>}
 */
async function startCodeServer(cs, { port, userDataDir, extensionsDir, workspace, logFile, timeoutMs = 60_000 }) {
  port = port ?? (await freePort());
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const log = fs.openSync(logFile, 'w');
  const args = [
    cs.entry,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    workspace,
  ];
  const child = spawn(cs.node24, args, { stdio: ['ignore', log, log], detached: false, env: withoutNpmEnv() });
  /** @type {{ code: number | null, signal: NodeJS.Signals | null } | null} */
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));
  const url = `http://127.0.0.1:${port}/`;
  const t0 = Date.now();
  while (!(await httpOk(`${url}healthz`))) {
    if (exited) throw new Error(`code-server exited (${JSON.stringify(exited)}) before serving; see ${logFile}`);
    if (Date.now() - t0 > timeoutMs) {
      child.kill('SIGTERM');
      throw new Error(`code-server did not answer on ${url} within ${timeoutMs} ms; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  /** @type {() => Promise<void>} */
  const stop = () =>
    new Promise((resolve) => {
      if (exited) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => exited || child.kill('SIGKILL'), 5000).unref();
    });
  return { url, port, stop, logFile, pid: child.pid };
}

/**
 * User settings for a quiet first run: no welcome page, no trust prompt, no
 * telemetry banner, no recommendations or chat.
 * @param {string} userDataDir
 * @param {Record<string, unknown>} [extra] more settings, e.g. a colour theme
 */
function writeQuietSettings(userDataDir, extra = {}) {
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({
      'workbench.startupEditor': 'none',
      'security.workspace.trust.enabled': false,
      'telemetry.telemetryLevel': 'off',
      'workbench.tips.enabled': false,
      'extensions.ignoreRecommendations': true,
      'update.mode': 'none',
      'chat.disableAIFeatures': true,
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      ...extra,
    }),
  );
}

/**
 * Debian's Chromium (or $CHROMIUM_PATH) through playwright-core, headless, with
 * no background networking: this machine's network is closed, and Chromium's
 * own update and sync connections would only be refused.
 * @returns {Promise<import('playwright-core').Browser>}
 */
function launchChromium() {
  const { chromium } = require('playwright-core');
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

module.exports = {
  ROOT,
  withoutNpmEnv,
  ensureCodeServer,
  ensureVsix,
  installExtension,
  freePort,
  startCodeServer,
  writeQuietSettings,
  launchChromium,
};
