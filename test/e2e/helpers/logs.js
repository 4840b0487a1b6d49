// @ts-check
// Reads code-server's logs from the user-data-dir: the extension host log and
// the extension's own output channel ("LSTM Lens"), to check activation.
'use strict';
const fs = require('fs');
const path = require('path');

/**
 * Every .log file under `dir`, depth first.
 * @param {string} dir
 * @returns {Generator<string, void, undefined>}
 */
function* walk(dir) {
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (e.name.endsWith('.log')) yield p;
  }
}

/**
 * All .log files under <userDataDir>/logs as [{ file, text }].
 * @param {string} userDataDir
 * @returns {{ file: string, text: string }[]}
 */
function readLogs(userDataDir) {
  return [...walk(path.join(userDataDir, 'logs'))].map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }));
}

/**
 * Lines of the extension host logs that report a failure of extension `id`.
 * @param {string} userDataDir
 * @param {string} id
 * @returns {string[]}
 */
function extensionHostErrors(userDataDir, id) {
  /** @type {string[]} */
  const bad = [];
  for (const { file, text } of readLogs(userDataDir)) {
    if (!/exthost/i.test(file)) continue;
    for (const line of text.split('\n')) {
      if (line.includes(id) && /\[error\]|failed|exception/i.test(line)) bad.push(`${path.basename(file)}: ${line}`);
    }
  }
  return bad;
}

/**
 * Deprecation warnings that extension host processes printed on stderr
 * (code-server relays their stderr into remoteagent.log), one line each.
 * @param {string} userDataDir
 * @returns {string[]}
 */
function extensionHostDeprecations(userDataDir) {
  return readLogs(userDataDir)
    .filter((l) => path.basename(l.file) === 'remoteagent.log')
    .flatMap((l) => l.text.split('\n'))
    .filter((line) => /ExtensionHostConnection.*<stderr>.*DeprecationWarning/.test(line));
}

module.exports = { readLogs, extensionHostErrors, extensionHostDeprecations };
