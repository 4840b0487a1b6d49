#!/usr/bin/env node
// Command-line entry. Runs the compiled CLI from out/ (built by `npm run compile`,
// which `npm ci` runs through the `prepare` script).
'use strict';
const path = require('path');

let cli;
try {
  cli = require(path.join(__dirname, '..', 'out', 'src', 'cli', 'main.js'));
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && /out[\\/]src[\\/]cli[\\/]main\.js/.test(err.message)) {
    console.error('lstm-lens: the CLI is not compiled yet; run `npm run compile` in the repository first.');
    process.exit(1);
  }
  throw err;
}
cli.main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err && err.stack ? err.stack : err);
    process.exit(1);
  },
);
