// @ts-check
// Verbs for the LSTM Lens panel webview (nested iframes in code-server):
// reading the gate-trace charts' data-* attributes, counting drawn pixels of
// a canvas, and the editor's cursor position from the status bar.
'use strict';
const { webviewFrame, readStatusBar } = require('./workbench');

/** @typedef {import('playwright-core').Page} Page */
/**
 * One gate-trace chart, from its data-* attributes.
 * @typedef {{
 *   cell: number, series: string[], pointCounts: number[], points: number, cursor: number,
 *   xFirst: number, xLast: number, yMid: number, drawn: number, foreground: string,
 * }} TraceChart
 */

/**
 * The panel's document (frame locator); see workbench.webviewFrame.
 * @param {Page} page
 * @returns {import('playwright-core').FrameLocator}
 */
function panel(page) {
  return webviewFrame(page);
}

/**
 * data-* of every gate-trace chart: [{ cell, series, points, cursor, xFirst, xLast, yMid, drawn }].
 * @param {Page} page
 * @returns {Promise<TraceChart[]>}
 */
async function traceCharts(page) {
  return panel(page)
    .locator('.trace-chart')
    .evaluateAll((/** @type {HTMLElement[]} */ els) =>
      els.map((e) => ({
        cell: Number(e.dataset.cell),
        series: (e.dataset.series || '').split(',').filter(Boolean),
        pointCounts: (e.dataset.pointCounts || '').split(',').filter(Boolean).map(Number),
        points: Number(e.dataset.points || 0),
        cursor: Number(e.dataset.cursor ?? -1),
        xFirst: Number(e.dataset.xFirst),
        xLast: Number(e.dataset.xLast),
        yMid: Number(e.dataset.yMid),
        drawn: Number(e.dataset.drawn || 0),
        foreground: e.dataset.foreground || '',
      })),
    );
}

/**
 * Non-transparent pixels of the chart canvas of `cell` (proves chart.js drew on it).
 * @param {Page} page
 * @param {number} cell
 * @returns {Promise<number>}
 */
async function inkedPixels(page, cell) {
  return panel(page)
    .locator(`.trace-chart[data-cell="${cell}"] canvas`)
    .evaluate((/** @type {HTMLCanvasElement} */ c) => {
      const ctx = c.getContext('2d');
      if (!ctx) throw new Error('the chart canvas has no 2d context');
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
      return n;
    });
}

/**
 * The trace window: { start, end, version } UTF-16 offsets of the characters charted.
 * @param {Page} page
 * @returns {Promise<{ start: number, end: number, version: number }>}
 */
async function traceWindow(page) {
  const info = panel(page).locator('#trace-info');
  return {
    start: Number(await info.getAttribute('data-start')),
    end: Number(await info.getAttribute('data-end')),
    version: Number(await info.getAttribute('data-version')),
  };
}

/**
 * Polls `fn` until it returns a truthy value; returns it, or throws `what` with the last value.
 * A call that throws counts as not yet (its error is shown in the message).
 * @template T
 * @param {() => Promise<T>} fn
 * @param {string} what
 * @param {number} [timeout]
 * @param {number} [every]
 * @returns {Promise<Exclude<T, null | undefined | false | 0 | ''>>}
 */
async function until(fn, what, timeout = 30_000, every = 250) {
  const t0 = Date.now();
  /** @type {unknown} */
  let last;
  for (;;) {
    last = await fn().catch((e) => ({ error: String(e) }));
    if (last && !(typeof last === 'object' && 'error' in last && last.error))
      return /** @type {Exclude<T, null | undefined | false | 0 | ''>} */ (last);
    if (Date.now() - t0 > timeout) throw new Error(`${what} (last: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, every));
  }
}

/**
 * 1-based { line, column } of the active editor's cursor, from the status bar ("Ln 12, Col 5").
 * @param {Page} page
 * @returns {Promise<{ line: number, column: number }>}
 */
async function editorCursor(page) {
  const items = await readStatusBar(page);
  for (const t of items) {
    const m = /Ln (\d+), Col (\d+)/.exec(t);
    if (m) return { line: Number(m[1]), column: Number(m[2]) };
  }
  throw new Error(`no "Ln, Col" item in the status bar: ${JSON.stringify(items)}`);
}

/**
 * 1-based line/column of UTF-16 offset `offset` in `text` (tabs count one column, as in VS Code's status bar with tab size 1 — use tab-free text).
 * @param {string} text
 * @param {number} offset
 * @returns {{ line: number, column: number }}
 */
function lineColumnOf(text, offset) {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

module.exports = { panel, traceCharts, inkedPixels, traceWindow, until, editorCursor, lineColumnOf };
