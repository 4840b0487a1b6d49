// Loads every native module code-server built (*.node under build/Release) with
// the Node that will run code-server, so a broken build fails here and not as a
// blank workbench later. Usage: node24 checkCodeServerNatives.js <prefix>
'use strict';
const fs = require('fs');
const path = require('path');

const root = process.argv[2];
if (!root) throw new Error('usage: checkCodeServerNatives.js <code-server prefix>');

function* walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (e.name.endsWith('.node') && p.includes(`${path.sep}build${path.sep}Release${path.sep}`)) yield p;
  }
}

let loaded = 0;
const failed = [];
for (const file of walk(path.join(root, 'lib', 'node_modules'))) {
  try {
    require(file);
    loaded++;
  } catch (err) {
    failed.push(`${file}: ${err.message}`);
  }
}
if (failed.length) {
  console.error(`native modules that do not load with node ${process.version}:\n${failed.join('\n')}`);
  process.exit(1);
}
console.error(`[setupCodeServer] ${loaded} native modules load with node ${process.version}`);
