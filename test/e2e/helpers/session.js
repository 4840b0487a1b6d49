// @ts-check
// What runE2e.js set up, shared with the specs: the playwright page, the
// code-server URL, the folders, and the installed extension's id and path.
'use strict';

/**
 * @typedef {{
 *   page: import('playwright-core').Page,
 *   url: string,
 *   workspace: string,
 *   userDataDir: string,
 *   extensionsDir: string,
 *   extensionId: string,
 *   extensionVersion: string,
 *   consoleErrors: string[],
 * }} Session
 */

/** @type {Session | undefined} */
let current;

/** @param {Session} s */
function setSession(s) {
  current = s;
}

/** @returns {Session} */
function session() {
  if (!current) throw new Error('e2e session not started: run the specs through test/e2e/runE2e.js');
  return current;
}

module.exports = { setSession, session };
