// @ts-check
// `npm run demo`: code-server with the freshly packaged extension installed and
// a sample workspace open; prints the URL and runs until Ctrl-C.
// State lives in .cache/demo/ in the repository (settings, a copy of the sample
// workspace that you may edit). Port: $PORT, else 8080 if free, else any free one.
'use strict';
const fs = require('fs');
const net = require('net');
const path = require('path');
const { ROOT, ensureCodeServer, ensureVsix, installExtension, freePort, startCodeServer } = require('./codeServer');

/**
 * Whether `port` on 127.0.0.1 can be listened on right now.
 * @param {number} port
 * @returns {Promise<boolean>}
 */
function portFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

async function main() {
  const cs = ensureCodeServer();
  const ext = ensureVsix(); // `npm run demo` packages it just before
  const base = path.join(ROOT, '.cache', 'demo');
  const userDataDir = path.join(base, 'user-data');
  const extensionsDir = path.join(base, 'extensions');
  const workspace = path.join(base, 'workspace');
  if (!fs.existsSync(workspace)) fs.cpSync(path.join(ROOT, 'test', 'e2e', 'workspace'), workspace, { recursive: true });
  const settings = path.join(userDataDir, 'User', 'settings.json');
  if (!fs.existsSync(settings)) {
    fs.mkdirSync(path.dirname(settings), { recursive: true });
    fs.writeFileSync(
      settings,
      JSON.stringify({ 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off' }, null, 2),
    );
  }
  fs.rmSync(extensionsDir, { recursive: true, force: true });
  installExtension(cs, ext.vsix, extensionsDir, userDataDir);

  const wanted = Number(process.env.PORT || 8080);
  const port = (await portFree(wanted)) ? wanted : await freePort();
  const server = await startCodeServer(cs, {
    port,
    userDataDir,
    extensionsDir,
    workspace,
    logFile: path.join(base, 'code-server.log'),
  });
  console.log('');
  console.log(`LSTM Lens ${ext.version} is running in code-server (VS Code in the browser):`);
  console.log(`  ${server.url}?folder=${encodeURIComponent(workspace)}`);
  console.log('Open a file, then F1 and type "LSTM Lens". Logs: .cache/demo/code-server.log. Ctrl-C stops.');
  const stop = () => server.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(`demo: ${err && err.stack ? err.stack : err}`);
  process.exit(1);
});
