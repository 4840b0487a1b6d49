// @ts-check
// `npm run screenshots`: the README's pictures, taken from the real product.
// Installs the freshly packaged extension into code-server (as the e2e suite
// does), opens a copy of the e2e sample workspace in Debian's Chromium and
// captures, into media/screenshots/:
//   colouring.png  ring.c coloured by the bundled model's best inside-string cell;
//   hover.png      the hover on a character inside a string literal;
//   panel.png      the panel with that cell's gate traces around the cursor;
//   discovery.png  the Discover Interpretable Cells report of the open file.
// The cell is found the way Discover Interpretable Cells finds it: the core's
// discoverCells over the sample workspace's source files, best cell of the
// "inside string" feature.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const {
  ROOT,
  ensureCodeServer,
  ensureVsix,
  installExtension,
  launchChromium,
  startCodeServer,
  writeQuietSettings,
} = require('./codeServer');
const w = require('../test/e2e/helpers/workbench');
const p = require('../test/e2e/helpers/prompts');
const lens = require('../test/e2e/helpers/lens');
const { readModelFile, discoverCells, languageFromId } = require('../test/e2e/helpers/engine');

/** @typedef {import('playwright-core').Page} Page */

const OUT = path.join(ROOT, 'media', 'screenshots');
const SAMPLE = path.join(ROOT, 'test', 'e2e', 'workspace');
const FILE = 'src/ring.c';
/** Files of the sample workspace the cell is chosen on, with their language ids. */
const SOURCES = [
  ['src/ring.c', 'c'],
  ['src/greeter.ts', 'typescript'],
  ['src/queue.py', 'python'],
];

/**
 * The bundled model's best cell for "inside string" over the sample sources.
 * @returns {Promise<import('../src/core/analysis/cellLabels').CellScore>}
 */
async function quoteCell() {
  const model = await readModelFile(path.join(ROOT, 'media', 'models', 'default.onnx'));
  const texts = SOURCES.map(([rel, id]) => ({
    name: rel,
    text: fs.readFileSync(path.join(SAMPLE, rel), 'utf8'),
    language: languageFromId(id).name,
  }));
  const result = await discoverCells(model, texts, { maxChars: 200_000 });
  const best = result.discovery.features.find((f) => f.feature === 'inString')?.top[0];
  if (!best) throw new Error('discovery scored no cell for "inside string" on the sample workspace');
  return best;
}

/**
 * The first line of `rel` in the sample workspace that holds a double-quoted string, and its number (from 1).
 * @param {string} rel
 * @returns {{ text: string, number: number }}
 */
function stringLine(rel) {
  const lines = fs.readFileSync(path.join(SAMPLE, rel), 'utf8').split('\n');
  const i = lines.findIndex((l) => /"[^"]{4,}"/.test(l));
  if (i < 0) throw new Error(`${rel} has no line with a "…" string`);
  return { text: lines[i], number: i + 1 };
}

/**
 * Moves the editor's cursor to line `n` (Go to Line), so that it is on screen.
 * @param {Page} page
 * @param {number} n
 */
async function goToLine(page, n) {
  await page
    .locator('.editor-instance .monaco-editor .view-lines')
    .first()
    .click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+G');
  await page.keyboard.type(String(n));
  await page.keyboard.press('Enter');
}

/**
 * Saves a screenshot of the whole workbench as media/screenshots/<name>.png.
 * @param {Page} page
 * @param {string} name
 */
async function capture(page, name) {
  await new Promise((r) => setTimeout(r, 500)); // let the last paint settle
  const file = path.join(OUT, `${name}.png`);
  await page.screenshot({ path: file });
  console.log(`[screenshots] ${path.relative(ROOT, file)}`);
}

/**
 * Waits until some character of the rendered `lineText` has a background colour.
 * @param {Page} page
 * @param {string} lineText
 */
async function waitForColours(page, lineText) {
  await lens.until(
    async () => (await lens.lineColours(page, lineText))?.some((c) => !lens.isTransparent(c)),
    `colours on ${JSON.stringify(lineText)}`,
    60_000,
  );
}

/**
 * Drives the workbench through the four pictures.
 * @param {Page} page
 * @param {import('../src/core/analysis/cellLabels').CellScore} cell
 */
async function takePictures(page, cell) {
  const line = stringLine(FILE);
  const lineText = line.text;
  const name = `L${cell.layer} #${cell.unit}`;
  await w.waitForWorkbench(page);
  await w.openFile(page, FILE);
  await goToLine(page, line.number);
  await p.startCommand(page, 'LSTM Lens: Choose Signal');
  await p.pickItem(page, /Choose Signal/, cell.signal);
  await p.startCommand(page, 'LSTM Lens: Select Cell');
  await p.pickItem(page, /Select Cell/, name);
  await lens.until(
    async () => (await w.readStatusBar(page)).some((t) => t.includes(`LSTM Lens: ${name} ${cell.signal} `)),
    `the status bar naming ${name} ${cell.signal}`,
  );
  await waitForColours(page, lineText);
  await capture(page, 'colouring');

  const quote = lineText.indexOf('"');
  await lens.hoverOnLine(page, lineText, quote + 3);
  await capture(page, 'hover');
  await page.keyboard.press('Escape');
  await page.mouse.move(5, 5);

  await lens.clickLineEnd(page, lineText);
  await w.runCommand(page, 'LSTM Lens: Show Panel');
  const panel = w.webviewFrame(page);
  const box = panel.locator(`#cell-${cell.unit}`);
  await box.waitFor({ timeout: 90_000 });
  if (!(await box.isChecked())) await box.check();
  await lens.until(
    async () => (await panel.locator('.trace-chart canvas').count()) > 0,
    'a drawn gate-trace chart',
    60_000,
  );
  await capture(page, 'panel');

  await p.startCommand(page, 'LSTM Lens: Discover Interpretable Cells');
  await p.pickItem(page, /Discover Interpretable Cells/, 'Open file');
  await page
    .locator('.tabs-container .tab', { hasText: /Preview Interpretable cells/ })
    .first()
    .waitFor({ timeout: 120_000 });
  await new Promise((r) => setTimeout(r, 2000)); // the preview renders its tables
  await capture(page, 'discovery');
}

async function main() {
  const cell = await quoteCell();
  console.log(
    `[screenshots] inside-string cell: L${cell.layer} ${cell.signal}[${cell.unit}] (score ${cell.score.toFixed(2)})`,
  );
  const cs = ensureCodeServer();
  const ext = ensureVsix(); // `npm run screenshots` packages it just before
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-screenshots-'));
  const userDataDir = path.join(tmp, 'user-data');
  const extensionsDir = path.join(tmp, 'extensions');
  const workspace = path.join(tmp, 'workspace');
  fs.cpSync(SAMPLE, workspace, { recursive: true });
  writeQuietSettings(userDataDir, { 'workbench.colorTheme': 'Default Dark Modern', 'editor.fontSize': 15 });
  installExtension(cs, ext.vsix, extensionsDir, userDataDir);
  const server = await startCodeServer(cs, {
    userDataDir,
    extensionsDir,
    workspace,
    logFile: path.join(tmp, 'code-server.log'),
  });
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    await page.goto(`${server.url}?folder=${encodeURIComponent(workspace)}`);
    fs.mkdirSync(OUT, { recursive: true });
    await takePictures(page, cell);
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`screenshots: ${err instanceof Error && err.stack ? err.stack : String(err)}`);
  process.exit(1);
});
