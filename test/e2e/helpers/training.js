// @ts-check
// Training verbs for the specs: start a custom run of "Train Model on
// Workspace…" from the palette, and list the models it saved.
'use strict';
const fs = require('fs');
const path = require('path');
const pr = require('./prompts');

const TRAIN_TITLE = 'LSTM Lens: Train Model on Workspace…';

/** @typedef {import('playwright-core').Page} Page */

/**
 * Every .onnx under <userData>/User/workspaceStorage/<hash>/<extension id>/models/.
 * @param {string} userDataDir
 * @param {string} extensionId
 * @returns {string[]}
 */
function storedModels(userDataDir, extensionId) {
  const root = path.join(userDataDir, 'User', 'workspaceStorage');
  if (!fs.existsSync(root)) return [];
  /** @type {string[]} */
  const out = [];
  for (const ws of fs.readdirSync(root)) {
    const dir = path.join(root, ws, extensionId, 'models');
    if (fs.existsSync(dir)) for (const f of fs.readdirSync(dir)) if (f.endsWith('.onnx')) out.push(path.join(dir, f));
  }
  return out.sort();
}

/**
 * Starts a custom run (1 layer × 32 of the cell type `cell`, default LSTM) with the step budget `budget`
 * ('150 steps'); returns the confirmation dialog's text.
 * @param {Page} page
 * @param {string} budget
 * @param {string} [cell] 'LSTM', 'GRU' or 'Vanilla RNN'
 * @returns {Promise<string>}
 */
async function startCustomRun(page, budget, cell = 'LSTM') {
  await pr.startCommand(page, TRAIN_TITLE);
  await pr.pickItem(page, /Train Model on Workspace/, 'Custom…');
  await pr.pickItem(page, /Custom Training \(1\/4\)/, cell);
  await pr.answerInput(page, /Custom Training \(2\/4\)/, '1');
  await pr.answerInput(page, /Custom Training \(3\/4\)/, '32');
  await pr.answerInput(page, /Custom Training \(4\/4\)/, budget);
  return pr.dialogText(page, /Train on/);
}

module.exports = { storedModels, startCustomRun };
