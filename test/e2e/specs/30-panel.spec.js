// @ts-check
// The LSTM Lens panel in real VS Code (code-server): the cell list lists the
// model's cells, toggling two draws a gate-trace chart per cell with every
// LSTM series, the chart window follows the editor cursor, clicking a chart
// point moves the cursor there, hovering highlights the character, the
// saturation scatter is computed in a worker, and the selection survives a
// window reload. Screenshots: test-output/e2e/30-*.png.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { session } = require('../helpers/session');
const w = require('../helpers/workbench');
const p = require('../helpers/panel');

const FILE = 'src/greeter.ts';
const CELLS = [3, 7];

/** @typedef {import('playwright-core').Page} Page */

/**
 * Shows the panel and waits until its cell list has filled.
 * @param {Page} page
 */
async function showPanelWithCells(page) {
  await w.runCommand(page, 'LSTM Lens: Show Panel');
  // Rows appear once the model is loaded in the analysis worker.
  await p.until(
    async () => (await p.panel(page).locator('#cell-rows .cell-row').count()) > 8,
    'the cell list never filled',
    90_000,
  );
}

/**
 * Clicks into the active editor's text (takes the focus from the webview).
 * @param {Page} page
 */
async function focusEditor(page) {
  await page
    .locator('.editor-instance .monaco-editor .view-lines')
    .first()
    .click({ position: { x: 5, y: 5 } });
}

describe('LSTM Lens panel', function () {
  /** @type {string} */
  let text;

  before(async () => {
    const { page, workspace } = session();
    await w.waitForWorkbench(page);
    text = fs.readFileSync(path.join(workspace, FILE), 'utf8');
    await w.openFile(page, FILE);
  });

  it('lists the cells of the model and charts two toggled cells with every gate series', async () => {
    const { page } = session();
    await focusEditor(page);
    await page.keyboard.press('Control+Home');
    await showPanelWithCells(page);
    const summary = (await p.panel(page).locator('#cell-summary').textContent()) ?? '';
    assert.match(summary, /^\d+ of \d+ cells shown/);
    for (const c of CELLS) await p.panel(page).locator(`#cell-${c}`).check();
    const charts = await p.until(
      async () => {
        const cs = await p.traceCharts(page);
        return (
          cs.length === CELLS.length && cs.every((c) => c.points > 0 && c.drawn > 0 && c.series.length === 6) && cs
        );
      },
      'two drawn trace charts',
      60_000,
    );
    assert.deepStrictEqual(
      charts.map((c) => c.cell),
      CELLS,
      'one chart per toggled cell, in toggle order',
    );
    for (const c of charts) {
      assert.deepStrictEqual(c.series, ['i', 'f', 'o', 'g', 'c', 'h'], `series of cell ${c.cell}`);
      assert.ok(
        c.pointCounts.every((n) => n === c.points),
        `every series has ${c.points} points: ${c.pointCounts}`,
      );
      assert.ok(c.points >= 80 && c.points <= 400, `window of ${c.points} characters`);
      const ink = await p.inkedPixels(page, c.cell);
      assert.ok(ink > 500, `canvas of cell ${c.cell} has only ${ink} drawn pixels`);
    }
    const win = await p.traceWindow(page);
    assert.strictEqual(win.start, 0, 'cursor at the start: window starts at 0');
    // Toggled cells are marked in the list.
    for (const c of CELLS) assert.ok(await p.panel(page).locator(`#cell-${c}`).isChecked());
    // The charts drew under the strict CSP without anything blocked, and the stylesheet applied.
    assert.strictEqual(
      await p.panel(page).locator('body').getAttribute('data-csp-violations'),
      null,
      'CSP violations in the panel',
    );
    const csp =
      (await p.panel(page).locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')) ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-[^']+'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.strictEqual(
      await p
        .panel(page)
        .locator('.toolbar')
        .first()
        .evaluate((e) => getComputedStyle(e).display),
      'flex',
      'media/panel.css is applied',
    );
    await w.screenshot(page, '30-panel-two-cells');
  });

  it('switching a series off removes it from every chart', async () => {
    const { page } = session();
    await p.panel(page).locator('#signal-switches button[data-signal="g"]').click();
    await p.until(async () => {
      const cs = await p.traceCharts(page);
      return cs.length === 2 && cs.every((c) => !c.series.includes('g') && c.series.length === 5);
    }, 'g switched off in both charts');
    await p.panel(page).locator('#signal-switches button[data-signal="g"]').click();
    await p.until(async () => (await p.traceCharts(page)).every((c) => c.series.includes('g')), 'g back on');
  });

  it('the first toggled cell colours the editor; the star marks another one; toggling off hands colouring on', async () => {
    const { page } = session();
    const colouring = async () => {
      const items = await w.readStatusBar(page);
      const m = items.map((t) => /L0 #(\d+)/.exec(t)).find(Boolean);
      return m ? Number(m[1]) : -1;
    };
    await p.until(async () => (await colouring()) === CELLS[0], `status bar names cell ${CELLS[0]} (first toggled)`);
    await p.panel(page).locator(`.cell-row[data-cell="${CELLS[1]}"] button.primary`).click();
    await p.until(async () => (await colouring()) === CELLS[1], `the starred cell ${CELLS[1]} colours the editor`);
    assert.strictEqual(
      await p.panel(page).locator(`.cell-row[data-cell="${CELLS[1]}"] button.primary`).getAttribute('aria-pressed'),
      'true',
    );
    await p.panel(page).locator(`#cell-${CELLS[1]}`).uncheck();
    await p.until(async () => (await colouring()) === CELLS[0], `colouring handed back to cell ${CELLS[0]}`);
    await p.panel(page).locator(`#cell-${CELLS[1]}`).check();
    await p.until(async () => (await p.traceCharts(page)).length === CELLS.length, 'both charts again');
    assert.strictEqual(await colouring(), CELLS[0], 'toggling on a second cell does not take the colouring');
  });

  it('follows the editor cursor', async () => {
    const { page } = session();
    const before = await p.traceWindow(page);
    await focusEditor(page);
    await page.keyboard.press('Control+End');
    const after = await p.until(async () => {
      const win = await p.traceWindow(page);
      return win.start > before.start && win;
    }, 'the chart window did not move with the cursor');
    assert.ok(after.end === text.length, `window ends at the end of the file (${after.end} vs ${text.length})`);
    // Back up one line: the cursor character is inside the window and marked on the charts.
    await page.keyboard.press('ArrowUp');
    await p.until(async () => (await p.traceCharts(page)).every((c) => c.cursor >= 0), 'cursor marker on the charts');
    await w.screenshot(page, '30-panel-follows-cursor');
  });

  it('the window slider changes how many characters are charted', async () => {
    const { page } = session();
    const before = (await p.traceCharts(page))[0].points;
    const slider = p.panel(page).locator('#window-size');
    await slider.focus();
    await slider.press('ArrowRight'); // one step of 20 characters
    await p.until(
      async () => (await p.traceCharts(page)).every((c) => c.points === before + 20),
      `charts of ${before + 20} characters`,
    );
    await slider.press('ArrowLeft');
    await p.until(
      async () => (await p.traceCharts(page)).every((c) => c.points === before),
      `charts of ${before} characters again`,
    );
  });

  it('clicking a chart point moves the editor cursor to that character', async () => {
    const { page } = session();
    const win = await p.traceWindow(page);
    const [chart] = await p.traceCharts(page);
    const k = 25;
    const x = chart.xFirst + (k * (chart.xLast - chart.xFirst)) / (chart.points - 1);
    await p
      .panel(page)
      .locator(`.trace-chart[data-cell="${chart.cell}"] canvas`)
      .click({ position: { x, y: chart.yMid } });
    const expected = p.lineColumnOf(text, win.start + k); // ASCII, LF file: offset = start + index
    const got = await p.until(async () => {
      const c = await p.editorCursor(page);
      return c.line === expected.line && c.column === expected.column && c;
    }, `editor cursor should move to Ln ${expected.line}, Col ${expected.column}`);
    assert.deepStrictEqual(got, expected);
    await w.screenshot(page, '30-panel-click-moves-cursor');
  });

  it('hovering a chart point highlights that character in the editor', async () => {
    const { page } = session();
    const [chart] = await p.traceCharts(page);
    // Background/border decorations render as overlay divs (.view-overlays), not inside the text spans.
    const bordered = () =>
      page
        .locator('.editor-instance .monaco-editor .view-overlays div, .editor-instance .monaco-editor .view-lines span')
        .evaluateAll(
          (els) =>
            els.filter(
              (e) => getComputedStyle(e).borderTopStyle === 'solid' && getComputedStyle(e).borderTopWidth === '1px',
            ).length,
        );
    const x = chart.xFirst + (40 * (chart.xLast - chart.xFirst)) / (chart.points - 1);
    await p
      .panel(page)
      .locator(`.trace-chart[data-cell="${chart.cell}"] canvas`)
      .hover({ position: { x, y: chart.yMid } });
    await p.until(async () => (await bordered()) >= 1, 'a highlighted (bordered) character in the editor');
    await w.screenshot(page, '30-panel-hover-highlight');
    await p.panel(page).locator('#cell-summary').hover();
    await p.until(async () => (await bordered()) === 0, 'the highlight goes away when the pointer leaves the chart');
  });

  it('is usable from the keyboard: arrow keys move a marker on the chart, Enter moves the editor cursor there', async () => {
    const { page } = session();
    const win = await p.traceWindow(page);
    const [chart] = await p.traceCharts(page);
    const canvas = p.panel(page).locator(`.trace-chart[data-cell="${chart.cell}"] canvas`);
    await canvas.focus();
    await canvas.press('Home');
    for (let i = 0; i < 3; i++) await canvas.press('ArrowRight');
    await canvas.press('Enter');
    const expected = p.lineColumnOf(text, win.start + 3);
    await p.until(async () => {
      const c = await p.editorCursor(page);
      return c.line === expected.line && c.column === expected.column;
    }, `keyboard: editor cursor should move to Ln ${expected.line}, Col ${expected.column}`);
  });

  it("restores its state when hidden and shown again (host state + the webview's own UI state)", async () => {
    const { page } = session();
    await p.panel(page).locator('#signal-switches button[data-signal="o"]').click();
    await p.until(async () => (await p.traceCharts(page)).every((c) => !c.series.includes('o')), 'o switched off');
    await w.runCommand(page, 'View: Show Explorer');
    await page.locator('.explorer-folders-view').first().waitFor({ timeout: 20_000 });
    await w.runCommand(page, 'LSTM Lens: Show Panel');
    const charts = await p.until(
      async () => {
        const cs = await p.traceCharts(page);
        return cs.length === CELLS.length && cs.every((c) => c.drawn > 0) && cs;
      },
      'charts back after hide/show',
      60_000,
    );
    for (const c of charts)
      assert.deepStrictEqual(c.series, ['i', 'f', 'g', 'c', 'h'], 'o stays switched off (vscode.setState)');
    for (const c of CELLS) assert.ok(await p.panel(page).locator(`#cell-${c}`).isChecked(), `cell ${c} still toggled`);
    await p.panel(page).locator('#signal-switches button[data-signal="o"]').click();
    await p.until(async () => (await p.traceCharts(page)).every((c) => c.series.includes('o')), 'o back on');
  });

  it('follows the colour theme (high contrast): the webview gets the theme class and charts redraw in its colours', async () => {
    const { page, userDataDir } = session();
    const before = w.readUserSettings(userDataDir);
    const fg0 = (await p.traceCharts(page))[0].foreground;
    await focusEditor(page); // keys typed into the settings editor must not go to the webview
    try {
      await w.setUserSettings(page, userDataDir, { ...before, 'workbench.colorTheme': 'Default High Contrast' });
      await p.until(
        async () => /vscode-high-contrast/.test((await p.panel(page).locator('body').getAttribute('class')) ?? ''),
        'high-contrast class on the webview body',
      );
      const charts = await p.until(async () => {
        const cs = await p.traceCharts(page);
        return cs.length === CELLS.length && cs.every((c) => c.foreground && c.foreground !== fg0) && cs;
      }, `charts redrawn with the high-contrast foreground (was ${fg0})`);
      assert.ok(charts.every((c) => c.drawn > 0));
      await w.screenshot(page, '30-panel-high-contrast');
    } finally {
      await w.setUserSettings(page, userDataDir, before);
    }
    await p.until(
      async () => !/vscode-high-contrast/.test((await p.panel(page).locator('body').getAttribute('class')) ?? ''),
      'theme restored',
    );
  });

  it('computes the saturation scatter of the open file in a worker', async () => {
    const { page } = session();
    await p.panel(page).locator('#saturation-run').click();
    const box = p.panel(page).locator('#saturation-chart');
    const dots = await p.until(async () => Number(await box.getAttribute('data-dots')), 'saturation dots', 60_000);
    const gates = await box.getAttribute('data-gates');
    assert.strictEqual(gates, 'i,f,o');
    const rows = await p.panel(page).locator('#cell-rows .cell-row').count();
    assert.strictEqual(dots, rows * 3, 'one dot per cell and gate');
    await p.panel(page).locator('#saturation').scrollIntoViewIfNeeded();
    await w.screenshot(page, '30-panel-saturation');
  });

  it('keeps the toggled cells across a window reload', async () => {
    const { page } = session();
    // Self-contained: make sure the cells are toggled (earlier tests did it; --grep may run this alone).
    await showPanelWithCells(page);
    for (const c of CELLS) await p.panel(page).locator(`#cell-${c}`).check();
    await p.until(
      async () =>
        ((await p.panel(page).locator('#cell-summary').textContent()) ?? '').includes(`${CELLS.length} toggled`),
      'cells toggled before the reload',
    );
    await page.reload();
    await w.waitForWorkbench(page);
    await w.openFile(page, FILE);
    await showPanelWithCells(page);
    for (const c of CELLS) {
      await p.until(
        async () => p.panel(page).locator(`#cell-${c}`).isChecked(),
        `cell ${c} is still toggled after the reload`,
      );
    }
    await p.until(
      async () => (await p.traceCharts(page)).length === CELLS.length,
      'charts are back after the reload',
      60_000,
    );
    await w.screenshot(page, '30-panel-after-reload');
  });
});
