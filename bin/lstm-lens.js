#!/usr/bin/env node
// @ts-check
// Command-line entry. Runs the compiled CLI from out/ (built by `npm run compile`,
// which `npm ci` runs through the `prepare` script).
'use strict';
const path = require('path');

/** @type {typeof import('../src/cli/main')} */
let cli;
try {
  cli = require(path.join(__dirname, '..', 'out', 'src', 'cli', 'main.js'));
} catch (e) {
  const err = /** @type {NodeJS.ErrnoException} */ (e);
  if (err && err.code === 'MODULE_NOT_FOUND' && /out[\\/]src[\\/]cli[\\/]main\.js/.test(err.message)) {
    console.error('lstm-lens: the CLI is not compiled yet; run `npm run compile` in the repository first.');
    process.exit(1);
  }
  throw err;
}
/**
 * Exits once stdout and stderr have handed everything written to the OS.
 * Through a pipe, writes are asynchronous: process.exit() right away would cut
 * the output at the pipe's buffer (64 KiB).
 * @param {number} code
 */
function exitWhenFlushed(code) {
  let open = 2;
  const done = () => --open === 0 && process.exit(code);
  process.stdout.write('', done);
  process.stderr.write('', done);
}

// A reader that stops early (`| head`) closes the pipe: stop quietly.
process.stdout.on('error', (/** @type {NodeJS.ErrnoException} */ err) => process.exit(err.code === 'EPIPE' ? 0 : 1));

cli.main(process.argv.slice(2)).then(exitWhenFlushed, (/** @type {unknown} */ err) => {
  console.error(err instanceof Error && err.stack ? err.stack : err);
  exitWhenFlushed(1);
});
