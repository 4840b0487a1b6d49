// Reads code-server's logs from the user-data-dir: the extension host log and
// the extension's own output channel ("LSTM Lens"), to check activation.
'use strict';
const fs = require('fs');
const path = require('path');

function* walk(dir) {
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (e.name.endsWith('.log')) yield p;
  }
}

/** All .log files under <userDataDir>/logs as [{ file, text }]. */
function readLogs(userDataDir) {
  return [...walk(path.join(userDataDir, 'logs'))].map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }));
}

/** Lines of the extension host logs that report a failure of extension `id`. */
function extensionHostErrors(userDataDir, id) {
  const bad = [];
  for (const { file, text } of readLogs(userDataDir)) {
    if (!/exthost/i.test(file)) continue;
    for (const line of text.split('\n')) {
      if (line.includes(id) && /\[error\]|failed|exception/i.test(line)) bad.push(`${path.basename(file)}: ${line}`);
    }
  }
  return bad;
}

module.exports = { readLogs, extensionHostErrors };
