// @ts-check
// End-to-end runner: real VS Code (code-server 4.139.1) + Debian Chromium.
//   1. install code-server into the cache (scripts/setupCodeServer.sh, idempotent);
//   2. package the .vsix (or reuse it with LSTM_LENS_E2E_REUSE_VSIX=1) and
//      install it into a fresh extensions dir;
//   3. start code-server on a free loopback port with a copy of test/e2e/workspace;
//   4. open the workbench in Chromium (playwright-core) and run the mocha specs
//      in test/e2e/specs/*.spec.js in file-name order, sharing one page.
// Screenshots and logs: test-output/e2e/. Exit code = number of failed specs (capped).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const Mocha = require('mocha');
const {
  ROOT,
  ensureCodeServer,
  ensureVsix,
  installExtension,
  launchChromium,
  startCodeServer,
  writeQuietSettings,
} = require('../../scripts/codeServer');
const { setSession } = require('./helpers/session');
const { OUTPUT_DIR, screenshot } = require('./helpers/workbench');

/**
 * Logs how long the phase `name` took since `t0` (Date.now()).
 * @param {string} name
 * @param {number} t0
 */
function phase(name, t0) {
  console.log(`[e2e] ${name}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

async function main() {
  const grep = process.argv.includes('--grep') ? process.argv[process.argv.indexOf('--grep') + 1] : undefined;
  fs.rmSync(OUTPUT_DIR, { recursive: true, force: true });
  fs.mkdirSync(OUTPUT_DIR, { recursive: true });

  let t = Date.now();
  const cs = ensureCodeServer();
  phase('code-server ready', t);

  t = Date.now();
  const ext = ensureVsix({ rebuild: process.env.LSTM_LENS_E2E_REUSE_VSIX !== '1' });
  phase(`packaged ${path.relative(ROOT, ext.vsix)}`, t);

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-e2e-'));
  const userDataDir = path.join(tmp, 'user-data');
  const extensionsDir = path.join(tmp, 'extensions');
  const workspace = path.join(tmp, 'workspace');
  fs.cpSync(path.join(__dirname, 'workspace'), workspace, { recursive: true });
  writeQuietSettings(userDataDir);

  t = Date.now();
  installExtension(cs, ext.vsix, extensionsDir, userDataDir);
  phase('extension installed', t);

  t = Date.now();
  const server = await startCodeServer(cs, {
    userDataDir,
    extensionsDir,
    workspace,
    logFile: path.join(OUTPUT_DIR, 'code-server.log'),
  });
  phase(`code-server listening on ${server.url}`, t);

  let browser;
  /** @type {number} */
  let failures;
  try {
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    /** @type {string[]} */
    const consoleErrors = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    t = Date.now();
    await page.goto(`${server.url}?folder=${encodeURIComponent(workspace)}`);
    setSession({
      page,
      url: server.url,
      workspace,
      userDataDir,
      extensionsDir,
      extensionId: ext.id,
      extensionVersion: ext.version,
      consoleErrors,
    });

    const mocha = new Mocha({ timeout: 120_000, slow: 10_000, bail: false, grep });
    const specDir = path.join(__dirname, 'specs');
    for (const f of fs
      .readdirSync(specDir)
      .filter((f) => f.endsWith('.spec.js'))
      .sort()) {
      mocha.addFile(path.join(specDir, f));
    }
    mocha.suite.afterEach(async function () {
      if (this.currentTest && this.currentTest.state === 'failed') {
        const name = `FAILED-${this.currentTest
          .fullTitle()
          .replace(/[^a-z0-9]+/gi, '-')
          .slice(0, 80)}`;
        await screenshot(page, name).catch(() => undefined);
      }
    });
    failures = await new Promise((resolve) => mocha.run(resolve));
    phase('specs', t);
  } finally {
    if (browser) await browser.close().catch(() => undefined);
    await server.stop();
    // Keep the logs next to the screenshots, then drop the temporary folders.
    fs.cpSync(path.join(userDataDir, 'logs'), path.join(OUTPUT_DIR, 'logs'), { recursive: true, force: true });
    if (process.env.LSTM_LENS_E2E_KEEP !== '1') fs.rmSync(tmp, { recursive: true, force: true });
  }
  return failures;
}

main().then(
  (failures) => process.exit(Math.min(failures, 100)),
  (err) => {
    console.error(`[e2e] ${err && err.stack ? err.stack : err}`);
    process.exit(1);
  },
);
