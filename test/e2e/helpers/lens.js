// @ts-check
// Editor-colouring verbs for the specs: the expected colour bucket of every
// character, computed here with the project's own core engine (out/, built by
// `npm run build`) on the model file inside the installed extension, and the
// background colours the workbench actually drew, read from the DOM.
'use strict';
const fs = require('fs');
const path = require('path');
const { readModelFile, DocumentAnalysis, bucketOf, thresholdBucketOf, parseBundledLabels } = require('./engine');

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('../../../src/core/model/types').CharModel} CharModel */
/** @typedef {import('../../../src/core/model/types').Signal} Signal */
/** @typedef {import('../../../src/core/inference/cellSelection').CellRequest} CellRequest */
/** @typedef {import('../../../src/core/analysis/cellLabels').CellLabel} CellLabel */
/** @typedef {import('../../../src/core/analysis/bundledLabels').BundledLabels} BundledLabels */
/**
 * What `analyse` computed: the model, the series of each (layer, cell, signal)
 * over the text (T values each), the surprisal if asked for, and `dispose`.
 * @typedef {{
 *   model: CharModel,
 *   get: (layer: number, cell: number, signal: Signal) => Float32Array,
 *   surprisal: Float32Array | null,
 *   dispose: () => Promise<void>,
 * }} Analysis
 */
/** What `stringMask` says of one character: inside a string, a quote, a blank, or the rest. @typedef {'in' | 'quote' | ' ' | 'out'} MaskEntry */
/**
 * The cell `bestSeparatingCell` found, with the line it looked at.
 * @typedef {{
 *   layer: number, cell: number, signal: Signal, score: number,
 *   modeInside: number | undefined, modeOutside: number | undefined,
 *   line: number, lineText: string, lineStart: number, mask: MaskEntry[],
 * }} SeparatingCell
 */

/**
 * The bundled model of the installed extension (what the extension itself loads).
 * @param {string} extensionsDir
 * @param {string} extensionId
 * @param {string} extensionVersion
 * @returns {string}
 */
function installedModelPath(extensionsDir, extensionId, extensionVersion) {
  const dir = fs.readdirSync(extensionsDir).find((d) => d.startsWith(`${extensionId}-${extensionVersion}`));
  if (!dir) throw new Error(`no ${extensionId}-${extensionVersion}* in ${extensionsDir}`);
  const p = path.join(extensionsDir, dir, 'media', 'models', 'default.onnx');
  if (!fs.existsSync(p)) throw new Error(`the installed extension has no bundled model at ${p}`);
  return p;
}

/**
 * Values of `signals` for every cell of every layer over `text` (no CRLF,
 * no surrogates in our sample files, so step = UTF-16 offset).
 * Returns { model, get(layer, cell, signal) -> Float32Array (T), surprisal (T) | null }.
 * @param {string} modelPath
 * @param {string} text
 * @param {Signal[]} signals
 * @param {boolean} [surprisal]
 * @returns {Promise<Analysis>}
 */
async function analyse(modelPath, text, signals, surprisal = false) {
  const model = await readModelFile(modelPath);
  /** @type {CellRequest[]} */
  const cells = [];
  model.layers.forEach((l, layer) => {
    for (let cell = 0; cell < l.hiddenSize; cell++)
      cells.push({
        layer,
        cell,
        signals: signals.filter((s) => l.kind === 'lstm' || !['c', 'i', 'f', 'o', 'g'].includes(s)),
      });
  });
  const doc = new DocumentAnalysis(model, { intraOpThreads: 1 });
  doc.setSelection({ cells, surprisal });
  doc.setText(text, 1);
  await doc.idle();
  /** @type {Analysis['get']} */
  const get = (layer, cell, signal) => {
    const series = doc.store.series.get(`${layer}:${cell}:${signal}`);
    if (!series)
      throw new Error(`no ${signal} series of L${layer} #${cell} in the analysis (signals ${JSON.stringify(signals)})`);
    return series;
  };
  return { model, get, surprisal: doc.store.surprisal, dispose: () => doc.dispose() };
}

/**
 * Per character of the line: 'in' inside a '…' or "…" string literal (quotes
 * excluded), 'quote' for the quotes, ' ' for blanks, 'out' for the rest.
 * @param {string} lineText
 * @returns {MaskEntry[]}
 */
function stringMask(lineText) {
  /** @type {MaskEntry[]} */
  const out = [];
  /** @type {string | null} */
  let quote = null;
  for (let i = 0; i < lineText.length; i++) {
    const ch = lineText[i];
    if (quote) {
      if (ch === '\\') {
        out.push('in', 'in');
        i++;
      } else if (ch === quote) {
        out.push('quote');
        quote = null;
      } else out.push('in');
    } else if (ch === '"' || ch === "'") {
      out.push('quote');
      quote = ch;
    } else out.push(ch === ' ' ? ' ' : 'out');
  }
  if (!out.includes('in')) throw new Error(`no string literal on the line ${JSON.stringify(lineText)}`);
  return out.slice(0, lineText.length);
}

/**
 * Signed level (-4..4) of a bucket key ('' = 0).
 * @param {string} b
 * @returns {number}
 */
function levelOfBucket(b) {
  if (!b) return 0;
  const k = Number(b.slice(-1));
  return b.startsWith('neg') ? -k : k;
}

/**
 * The (layer, cell, signal) whose colour buckets best separate the inside of
 * the string on `line` (0-based) from the other non-blank characters of that
 * line: largest gap between mean levels, with the modal buckets different.
 * @param {Analysis} analysis
 * @param {string} text
 * @param {number} line
 * @param {Signal[]} signals
 * @returns {SeparatingCell}
 */
function bestSeparatingCell(analysis, text, line, signals) {
  const lines = text.split('\n');
  const lineStart = lines.slice(0, line).reduce((s, l) => s + l.length + 1, 0);
  const lineText = lines[line];
  const mask = stringMask(lineText);
  /** @type {number[]} */
  const inside = [];
  /** @type {number[]} */
  const outside = [];
  mask.forEach((m, i) =>
    (m === 'in' ? inside : m === 'out' ? outside : /** @type {number[]} */ ([])).push(lineStart + i),
  );
  /** @type {Omit<SeparatingCell, 'line' | 'lineText' | 'lineStart' | 'mask'> | undefined} */
  let best;
  analysis.model.layers.forEach((l, layer) => {
    for (const signal of signals) {
      if (l.kind === 'gru' && ['c', 'i', 'f', 'o', 'g'].includes(signal)) continue;
      for (let cell = 0; cell < l.hiddenSize; cell++) {
        const v = analysis.get(layer, cell, signal);
        /** @param {number[]} ts */
        const lv = (ts) => ts.map((t) => levelOfBucket(bucketOf(signal, v[t])));
        const li = lv(inside);
        const lo = lv(outside);
        /** @param {number[]} xs */
        const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
        /** @param {number[]} xs @returns {number | undefined} */
        const mode = (xs) =>
          [...new Set(xs)].sort((p, q) => xs.filter((x) => x === q).length - xs.filter((x) => x === p).length)[0];
        if (mode(li) === mode(lo)) continue;
        const score = Math.abs(mean(li) - mean(lo));
        if (!best || score > best.score)
          best = { layer, cell, signal, score, modeInside: mode(li), modeOutside: mode(lo) };
      }
    }
  });
  if (!best) throw new Error(`no cell of the model colours the string on line ${line + 1} differently from the rest`);
  return { ...best, line, lineText, lineStart, mask };
}

/**
 * Expected colour bucket of each character of the line for (layer, cell,
 * signal), drawn as the extension draws it: by the threshold of a binary
 * label of that cell and signal among `labels` (the labels the extension
 * shows; colouring.style 'auto'), else by the diverging map.
 * @param {Analysis} analysis
 * @param {number} lineStart
 * @param {string} lineText
 * @param {number} layer
 * @param {number} cell
 * @param {Signal} signal
 * @param {readonly CellLabel[]} [labels]
 * @returns {string[]}
 */
function expectedBuckets(analysis, lineStart, lineText, layer, cell, signal, labels = []) {
  const v = analysis.get(layer, cell, signal);
  const label = labels
    .filter((l) => l.layer === layer && l.unit === cell && l.signal === signal)
    .sort((a, b) => b.score - a.score)[0];
  const { threshold, above } = label ?? {};
  if (threshold !== undefined && above !== undefined)
    return [...lineText].map((_, i) => thresholdBucketOf(signal, v[lineStart + i], threshold, above));
  return [...lineText].map((_, i) => bucketOf(signal, v[lineStart + i]));
}

/**
 * The labels shipped beside the installed extension's bundled model.
 * @param {string} modelPath
 * @returns {BundledLabels}
 */
function bundledLabelsOf(modelPath) {
  const file = modelPath.replace(/\.onnx$/, '.labels.json');
  const labels = parseBundledLabels(fs.readFileSync(file, 'utf8'), file);
  if (!labels) throw new Error(`${file} is from an older discovery version`);
  return labels;
}

/**
 * Expected surprisal bucket of each character of the line.
 * @param {Analysis} analysis
 * @param {number} lineStart
 * @param {string} lineText
 * @returns {string[]}
 */
function expectedSurprisal(analysis, lineStart, lineText) {
  const { surprisal } = analysis;
  if (!surprisal) throw new Error('the analysis has no surprisal: call analyse(…, surprisal = true)');
  return [...lineText].map((_, i) => bucketOf('surprisal', surprisal[lineStart + i]));
}

/**
 * Background colour drawn behind each character of the editor line whose text
 * is `lineText` (null if that line is not rendered). Reads the leaf spans of
 * the rendered line and their computed background.
 * @param {Page} page
 * @param {string} lineText
 * @returns {Promise<string[] | null>}
 */
async function lineColours(page, lineText) {
  return page
    .locator('.editor-instance .monaco-editor .view-lines')
    .first()
    .evaluate((root, want) => {
      /** @param {string | null} s */
      const norm = (s) => (s ?? '').replace(/\u00a0/g, ' ');
      const line = [...root.querySelectorAll('.view-line')].find((l) => norm(l.textContent) === want);
      if (!line) return null;
      /** @type {string[]} */
      const out = [];
      const leaves = [...line.querySelectorAll('span')].filter((s) => s.children.length === 0);
      for (const s of leaves) {
        const bg = getComputedStyle(s).backgroundColor;
        for (let i = 0; i < (s.textContent ?? '').length; i++) out.push(bg);
      }
      return out;
    }, lineText);
}

/**
 * Number of characters of the active editor's rendered lines drawn with a background colour.
 * @param {Page} page
 * @returns {Promise<number>}
 */
async function colouredChars(page) {
  return page
    .locator('.editor-instance .monaco-editor .view-lines')
    .first()
    .evaluate((root) => {
      let n = 0;
      for (const s of root.querySelectorAll('.view-line span')) {
        if (s.children.length > 0) continue;
        const bg = getComputedStyle(s).backgroundColor;
        if (bg && bg !== 'transparent' && !/rgba\(0, 0, 0, 0\)/.test(bg)) n += (s.textContent ?? '').length;
      }
      return n;
    });
}

/**
 * Whether a computed CSS colour draws nothing (none, transparent, zero alpha).
 * @param {string | null | undefined} c
 * @returns {boolean}
 */
function isTransparent(c) {
  return !c || c === 'transparent' || /rgba\(0, 0, 0, 0\)/.test(c) || /\/ 0\)$/.test(c);
}

/**
 * Compares drawn colours with expected buckets: each bucket must be drawn as
 * one colour, different buckets as different colours, neutral as transparent.
 * Returns the number of characters that break this (values exactly on a
 * bucket edge may round differently: callers allow a couple).
 * @param {string[]} expected
 * @param {string[]} drawn
 * @returns {number}
 */
function mismatches(expected, drawn) {
  /** @type {Map<string, string>} */
  const colourOf = new Map();
  /** @type {Map<string, string>} */
  const bucketOfColour = new Map();
  let bad = 0;
  expected.forEach((b, i) => {
    const c = drawn[i];
    if (!b) {
      if (!isTransparent(c)) bad++;
      return;
    }
    if (isTransparent(c)) {
      bad++;
      return;
    }
    if (!colourOf.has(b)) colourOf.set(b, c);
    if (!bucketOfColour.has(c)) bucketOfColour.set(c, b);
    if (colourOf.get(b) !== c || bucketOfColour.get(c) !== b) bad++;
  });
  return bad;
}

/**
 * Most frequent drawn colour among the characters whose mask entry is `kind` ('in' or 'out').
 * @param {string[]} drawn
 * @param {MaskEntry[]} mask
 * @param {MaskEntry} kind
 * @returns {string}
 */
function modalColour(drawn, mask, kind) {
  /** @type {Map<string, number>} */
  const counts = new Map();
  mask.forEach((m, i) => m === kind && counts.set(drawn[i], (counts.get(drawn[i]) || 0) + 1));
  return [...counts.entries()].sort((p, q) => q[1] - p[1])[0][0];
}

/**
 * Clicks at the end of the rendered line `lineText` (puts the cursor there).
 * @param {Page} page
 * @param {string} lineText
 * @returns {Promise<void>}
 */
async function clickLineEnd(page, lineText) {
  const box = await page
    .locator('.editor-instance .monaco-editor .view-lines')
    .first()
    .evaluate((root, want) => {
      /** @param {string | null} s */
      const norm = (s) => (s ?? '').replace(/\u00a0/g, ' ');
      const line = [...root.querySelectorAll('.view-line')].find((l) => norm(l.textContent) === want);
      if (!line) return null;
      const leaves = [...line.querySelectorAll('span')].filter((s) => s.children.length === 0);
      const last = leaves[leaves.length - 1].getBoundingClientRect();
      return { x: last.right - 2, y: last.top + last.height / 2 };
    }, lineText);
  if (!box) throw new Error(`line ${JSON.stringify(lineText)} is not rendered`);
  await page.mouse.click(box.x, box.y);
  await page.keyboard.press('End');
}

/**
 * Moves the mouse over character `column` (0-based) of the rendered line `lineText`; returns the hover's text.
 * @param {Page} page
 * @param {string} lineText
 * @param {number} column
 * @param {number} [timeout]
 * @returns {Promise<string>}
 */
async function hoverOnLine(page, lineText, column, timeout = 20_000) {
  /** @type {[string, number]} */
  const arg = [lineText, column];
  const box = await page
    .locator('.editor-instance .monaco-editor .view-lines')
    .first()
    .evaluate((root, [want, col]) => {
      /** @param {string | null} s */
      const norm = (s) => (s ?? '').replace(/\u00a0/g, ' ');
      const line = [...root.querySelectorAll('.view-line')].find((l) => norm(l.textContent) === want);
      if (!line) return null;
      const r = line.getBoundingClientRect();
      const w = r.width / Math.max(1, (line.textContent ?? '').length);
      const leaves = [...line.querySelectorAll('span')].filter((s) => s.children.length === 0);
      const total = leaves.reduce((s, e) => s + e.getBoundingClientRect().width, 0);
      const cw = total / want.length || w;
      return { x: r.left + (col + 0.5) * cw, y: r.top + r.height / 2 };
    }, arg);
  if (!box) throw new Error(`line ${JSON.stringify(lineText)} is not rendered`);
  await page.mouse.move(box.x - 40, box.y + 60);
  await page.mouse.move(box.x, box.y, { steps: 4 });
  const hover = page.locator('.monaco-hover-content', { hasText: 'LSTM Lens' }).first();
  await hover.waitFor({ timeout });
  return (await hover.innerText()).trim();
}

/**
 * Sets (or with `undefined` removes) one user setting through the workbench's settings editor (workbench.js).
 * @param {Page} page
 * @param {string} userDataDir
 * @param {string} key
 * @param {unknown} value
 * @returns {Promise<void>}
 */
async function setUserSetting(page, userDataDir, key, value) {
  const { setUserSettings, readUserSettings } = require('./workbench');
  const settings = readUserSettings(userDataDir);
  if (value === undefined) delete settings[key];
  else settings[key] = value;
  await setUserSettings(page, userDataDir, settings);
}

/**
 * What `until` resolves to: `fn`'s value, less the not-ready ones (falsy, or an object with `ok: false`).
 * @template T
 * @typedef {Exclude<T, { ok: false } | null | undefined | false | 0 | ''>} Ready
 */

/**
 * Polls `fn` until it returns a truthy value; throws with `what` and the last value after `timeout`.
 * A value with `ok: false` counts as not yet (it is shown in the error).
 * The constraint keeps a returned `{ ok: false }`'s literal type, so that `Ready` can drop it.
 * @template {{ ok?: boolean } | {} | null | undefined} T
 * @param {() => T | Promise<T>} fn
 * @param {string} what
 * @param {number} [timeout]
 * @param {number} [every]
 * @returns {Promise<Ready<T>>}
 */
async function until(fn, what, timeout = 30_000, every = 300) {
  const t0 = Date.now();
  /** @type {unknown} */
  let last;
  for (;;) {
    last = await fn();
    if (last && !(typeof last === 'object' && 'ok' in last && last.ok === false)) return /** @type {Ready<T>} */ (last);
    if (Date.now() - t0 > timeout)
      throw new Error(
        `timed out after ${timeout} ms waiting for ${what}; last: ${String(JSON.stringify(last)).slice(0, 600)}`,
      );
    await new Promise((r) => setTimeout(r, every));
  }
}

module.exports = {
  bundledLabelsOf,
  installedModelPath,
  analyse,
  stringMask,
  bestSeparatingCell,
  expectedBuckets,
  expectedSurprisal,
  lineColours,
  colouredChars,
  isTransparent,
  mismatches,
  modalColour,
  hoverOnLine,
  clickLineEnd,
  setUserSetting,
  until,
};
