// @ts-check
// Loads the native modules code-server needs on Linux with the Node that will
// run it, so a broken build fails here and not as a blank workbench later.
// (Windows-only modules such as @vscode/windows-registry are built as empty
// stubs on Linux and cannot load; they are not checked.)
// Usage: node24 checkCodeServerNatives.js <code-server prefix>
'use strict';
const path = require('path');

const prefix = process.argv[2];
if (!prefix) throw new Error('usage: checkCodeServerNatives.js <code-server prefix>');
const cs = path.join(prefix, 'lib', 'node_modules', 'code-server');
const vsm = path.join(cs, 'lib', 'vscode', 'node_modules');

const NATIVE = [
  path.join(vsm, '@vscode/spdlog/build/Release/spdlog.node'), // logging
  path.join(vsm, '@vscode/sqlite3/build/Release/vscode-sqlite3.node'), // state storage
  path.join(vsm, '@vscode/native-watchdog/build/Release/watchdog.node'), // extension host watchdog
  path.join(vsm, 'kerberos/build/Release/kerberos.node'), // proxy auth
  path.join(vsm, 'node-pty/prebuilds/linux-x64/pty.node'), // terminal
  path.join(vsm, '@parcel/watcher-linux-x64-glibc/watcher.node'), // file watching
];

/** @type {string[]} */
const failed = [];
for (const file of NATIVE) {
  try {
    require(file);
  } catch (err) {
    failed.push(`${path.relative(cs, file)}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
try {
  require(require.resolve('argon2', { paths: [cs] })); // password hashing (code-server itself)
} catch (err) {
  failed.push(`argon2: ${err instanceof Error ? err.message : String(err)}`);
}
if (failed.length) {
  console.error(`code-server native modules that do not load with node ${process.version}:\n${failed.join('\n')}`);
  process.exit(1);
}
console.error(`[setupCodeServer] ${NATIVE.length + 1} native modules load with node ${process.version}`);
