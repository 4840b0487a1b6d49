// Verbs for the LSTM Lens panel webview (nested iframes in code-server):
// reading the gate-trace charts' data-* attributes, counting drawn pixels of
// a canvas, and the editor's cursor position from the status bar.
'use strict';
const { webviewFrame, readStatusBar } = require('./workbench');

/** The panel's document (frame locator); see workbench.webviewFrame. */
function panel(page) {
  return webviewFrame(page);
}

/** data-* of every gate-trace chart: [{ cell, series, points, cursor, xFirst, xLast, yMid, drawn }]. */
async function traceCharts(page) {
  return panel(page).locator('.trace-chart').evaluateAll((els) =>
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

/** Non-transparent pixels of the chart canvas of `cell` (proves chart.js drew on it). */
async function inkedPixels(page, cell) {
  return panel(page).locator(`.trace-chart[data-cell="${cell}"] canvas`).evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    return n;
  });
}

/** The trace window: { start, end, version } UTF-16 offsets of the characters charted. */
async function traceWindow(page) {
  const info = panel(page).locator('#trace-info');
  return {
    start: Number(await info.getAttribute('data-start')),
    end: Number(await info.getAttribute('data-end')),
    version: Number(await info.getAttribute('data-version')),
  };
}

/** Polls `fn` until it returns a truthy value; returns it, or throws `what` with the last value. */
async function until(fn, what, timeout = 30_000, every = 250) {
  const t0 = Date.now();
  let last;
  for (;;) {
    last = await fn().catch((e) => ({ error: String(e) }));
    if (last && !last.error) return last;
    if (Date.now() - t0 > timeout) throw new Error(`${what} (last: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, every));
  }
}

/** 1-based { line, column } of the active editor's cursor, from the status bar ("Ln 12, Col 5"). */
async function editorCursor(page) {
  const items = await readStatusBar(page);
  for (const t of items) {
    const m = /Ln (\d+), Col (\d+)/.exec(t);
    if (m) return { line: Number(m[1]), column: Number(m[2]) };
  }
  throw new Error(`no "Ln, Col" item in the status bar: ${JSON.stringify(items)}`);
}

/** 1-based line/column of UTF-16 offset `offset` in `text` (tabs count one column, as in VS Code's status bar with tab size 1 — use tab-free text). */
function lineColumnOf(text, offset) {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

module.exports = { panel, traceCharts, inkedPixels, traceWindow, until, editorCursor, lineColumnOf };
