// @ts-check
// The same kind of end-to-end check in a downloaded VS Code desktop build,
// through @vscode/test-electron. Needs internet access to download VS Code
// (not available on our CI machines, where test/e2e/runE2e.js with code-server
// is the suite that runs). Usage: npm run test:electron (after npm run build).
'use strict';
const path = require('path');
const { runTests } = require('@vscode/test-electron');

async function main() {
  const root = path.join(__dirname, '..', '..', '..');
  await runTests({
    version: process.env.VSCODE_TEST_VERSION || '1.139.1',
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(__dirname, 'suite.js'),
    launchArgs: [path.join(__dirname, '..', 'workspace'), '--disable-extensions', '--disable-workspace-trust'],
  });
}

main().catch((err) => {
  console.error(`test:electron failed: ${err && err.stack ? err.stack : err}`);
  process.exit(1);
});
