// @ts-check
// In real VS Code: "LSTM Lens: Discover Interpretable Cells" from the
// palette on the open file (src/ring.c) with the bundled model. The set-up
// computes the expected labels with the project's own core (out/, the same
// discoverCells the worker runs) on the model inside the installed extension;
// the specs then check the progress notification, the report's preview (a
// table of labelled cells with scores, a table per feature), the labels in
// the Select Cell quick pick and in the hover, and the log's cache hit on a
// second run.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { session } = require('../helpers/session');
const { readLogs } = require('../helpers/logs');
const w = require('../helpers/workbench');
const p = require('../helpers/prompts');
const lens = require('../helpers/lens');
const { readModelFile, discoverCells, languageFromId } = require('../helpers/engine');

const FILE = 'src/ring.c';
const LINE = 35; // printf("full at %d\n", i);
const TITLE = 'LSTM Lens: Discover Interpretable Cells';

/** @typedef {import('playwright-core').Page} Page */
/**
 * What the report's preview shows: its title and intro, the text of every table row, the number of tables, the sparkline lines.
 * @typedef {{ title: string, intro: string, rows: string[], tables: number, sparklines: string[] }} ReportRows
 */

/**
 * Text of every table row of the report's Markdown preview (a webview in the editor area), or null while it is not there.
 * @param {Page} page
 * @param {(rows: ReportRows) => boolean} [want]
 * @returns {Promise<ReportRows | null>}
 */
async function reportRows(page, want = () => true) {
  for (const frame of page.frames()) {
    const rows = await frame
      .evaluate(() => {
        const h1 = document.querySelector('h1');
        if (!h1 || !/Interpretable cells/.test(h1.textContent ?? '')) return null;
        /** @type {NodeListOf<HTMLElement>} */
        const tableRows = document.querySelectorAll('table tr');
        return {
          title: (h1.textContent ?? '').trim(),
          intro: ((document.querySelector('h1 + p') || { textContent: '' }).textContent ?? '').trim(),
          rows: [...tableRows].map((tr) => tr.innerText.replace(/\s+/g, ' ').trim()),
          tables: document.querySelectorAll('table').length,
          // Sparkline lines of the excerpt blocks: "▁▃█…  L0 c[27]".
          sparklines: [...document.querySelectorAll('pre')]
            .flatMap((pre) => pre.innerText.split('\n'))
            .filter((l) => /^[▁▂▃▄▅▆▇█]{10,}\s+L\d+ [hc]\[\d+\]$/.test(l.trim())),
        };
      })
      .catch(() => null);
    if (rows && want(rows)) return rows;
  }
  return null;
}

/**
 * Quick Open, retried: a report preview that re-renders may take the focus and close the quick input once.
 * @param {Page} page
 * @param {string} rel
 * @param {number} [tries]
 * @returns {Promise<void>}
 */
async function openFile(page, rel, tries = 3) {
  for (let i = 1; ; i++) {
    try {
      return await p.quickOpenFile(page, rel, 20_000);
    } catch (err) {
      if (i >= tries) throw err;
      await page.keyboard.press('Escape');
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

describe('LSTM Lens: Discover Interpretable Cells', function () {
  /**
   * What the core's discoverCells finds on FILE with the bundled model (set in before()).
   * @type {import('../../../src/core/analysis/discoverCells').DiscoveryResult}
   */
  let expected;
  /** @type {string} */
  let text;

  before(async function () {
    this.timeout(120_000);
    const { extensionsDir, extensionId, extensionVersion, workspace } = session();
    const model = await readModelFile(lens.installedModelPath(extensionsDir, extensionId, extensionVersion));
    text = fs.readFileSync(path.join(workspace, FILE), 'utf8');
    expected = await discoverCells(model, [{ name: FILE, text, language: languageFromId('c').name }], {
      maxChars: 200_000,
      label: { minAbsR: 0.6 },
    });
    assert.ok(expected.discovery.labels.length > 0, 'the bundled model has labelled cells on ring.c');
    const best = expected.discovery.labels[0];
    console.log(
      `      [set-up] ${expected.discovery.labels.length} labelled cells on ${FILE}; best L${best.layer} ${best.signal}[${best.unit}] ${best.text}`,
    );
  });

  it('runs from the palette on the open file, with a progress notification, and shows the report with tables of cells and scores', async () => {
    const { page } = session();
    await openFile(page, FILE);
    await p.startCommand(page, TITLE);
    await p.waitForQuickInput(page, /Discover Interpretable Cells/);
    const rows = await p.quickPickRows(page);
    assert.ok(
      rows.some((r) => /Open file/.test(r)) && rows.some((r) => /Workspace sample/.test(r)),
      JSON.stringify(rows),
    );
    // Poll for the progress toast while accepting the pick: on a 1 kB file it is up for well under a second.
    const progress = p.pollNotification(page, /discovering interpretable cells of default/, 60_000);
    await p.pickItem(page, /Discover Interpretable Cells/, 'Open file');
    const progressText = await progress;
    await w.screenshot(page, '40-discovery-progress');
    console.log(`      progress: ${progressText.replace(/\s+/g, ' ')}`);

    await page
      .locator('.tabs-container .tab', { hasText: /Preview Interpretable cells \(default\)/ })
      .first()
      .waitFor({ timeout: 60_000 });
    const report = await lens.until(() => reportRows(page), 'the report preview with its tables', 30_000);
    await w.screenshot(page, '41-discovery-report');
    assert.match(report.title, /Interpretable cells of default/);
    assert.ok(report.tables >= 5, `${report.tables} tables (labelled cells + one per feature)`);
    // The labelled cells, in the core's order, each with its label text and scores.
    for (const l of expected.discovery.labels.slice(0, 10)) {
      const row = `L${l.layer} ${l.signal}[${l.unit}] ${l.text}`;
      assert.ok(
        report.rows.includes(row),
        `report row ${JSON.stringify(row)}; rows: ${JSON.stringify(report.rows.slice(0, 12))}`,
      );
    }
    // Each feature's table: rank, cell, r (and φ, F1 for on/off features).
    const inString = expected.discovery.features.find((f) => f.feature === 'inString');
    if (!inString) throw new Error('the core scored no inString feature');
    const top = inString.top[0];
    if (top.phi === undefined || top.f1 === undefined)
      throw new Error(`the top inString cell has no phi or F1: ${JSON.stringify(top)}`);
    const want = `1 L${top.layer} ${top.signal}[${top.unit}] ${top.r.toFixed(2)} ${top.phi.toFixed(2)} ${top.f1.toFixed(2)}`;
    assert.ok(
      report.rows.some((r) => r.startsWith(want)),
      `inside-string table row ${want}`,
    );
    // The probes: a linear probe per feature over all cells of the layer, beside the best single cell.
    assert.ok(
      report.rows.includes('feature layer probe best cell cells for 90% control selectivity floor'),
      `a probe table; rows: ${JSON.stringify(report.rows.slice(-5))}`,
    );
    assert.ok(
      report.rows.some((r) =>
        /^inside string 0 -?\d\.\d\d -?\d\.\d\d \(L0 [hc]\[\d+\]\) \d+ of 512 -?\d\.\d\d -?\d\.\d\d -?\d\.\d\d$/.test(
          r,
        ),
      ),
      `a probe score for inside string; rows: ${JSON.stringify(report.rows.filter((r) => r.startsWith('inside string')))}`,
    );
    assert.ok(
      report.sparklines.length >= 5,
      `sparklines of the top cells under the feature tables: ${JSON.stringify(report.sparklines.slice(0, 3))}`,
    );
    const toast = await p.pollNotification(page, /labelled cells/, 30_000);
    assert.match(toast, new RegExp(`${expected.discovery.labels.length} labelled cells`));
  });

  it('the labels show in the Select Cell quick pick (labelled cells first) and in the hover', async () => {
    const { page } = session();
    const best = expected.discovery.labels[0];
    await openFile(page, FILE);
    await p.startCommand(page, 'LSTM Lens: Select Cell');
    await p.waitForQuickInput(page, /Select Cell/);
    // The list opens scrolled to the current cell; filter by the label text (the quick pick matches descriptions).
    const rowTexts = () =>
      page
        .locator('.quick-input-widget .quick-input-list .monaco-list-row')
        .evaluateAll((/** @type {HTMLElement[]} */ els) => els.map((e) => e.innerText.replace(/\s+/g, ' ').trim()));
    await page.locator('.quick-input-widget .quick-input-box input').fill(best.text);
    const rows = await lens.until(
      async () => {
        const r = await rowTexts();
        return r.some((t) => t.startsWith(`L${best.layer} #${best.unit}`)) ? r : { ok: false, rows: r };
      },
      `a Select Cell row for L${best.layer} #${best.unit} with its label`,
      15_000,
    );
    await w.screenshot(page, '42-discovery-select-cell');
    const row = rows.find((t) => t.startsWith(`L${best.layer} #${best.unit}`));
    assert.ok(
      row?.includes(best.text) && row.includes(`${best.signal} · score |r| = ${best.score.toFixed(2)}`),
      `row ${JSON.stringify(row)}, want the best label ${best.text}`,
    );
    await p.pickItem(page, /Select Cell/, `L${best.layer} #${best.unit}`);

    const lineText = text.split('\n')[LINE];
    // Retried: right after Select Cell the worker may still be recomputing, and a hover asked then shows nothing.
    let hover;
    for (let i = 1; !hover; i++) {
      hover = await lens.hoverOnLine(page, lineText, lineText.indexOf('full') + 1, 15_000).catch((err) => {
        if (i >= 3) throw err;
        return undefined;
      });
      if (!hover) await page.mouse.move(5, 5);
    }
    await w.screenshot(page, '43-discovery-hover');
    const labelOfUnit = expected.discovery.labels
      .filter((l) => l.layer === best.layer && l.unit === best.unit)
      .sort((a, b) => b.score - a.score)[0];
    assert.ok(hover.includes(labelOfUnit.text), `hover shows the label ${labelOfUnit.text}: ${hover}`);
    await page.keyboard.press('Escape');
    await page.mouse.move(5, 5);
  });

  it("the panel's cell list shows the labels", async () => {
    const { page } = session();
    await w.runCommand(page, 'LSTM Lens: Show Panel');
    const labels = await lens.until(
      async () => {
        for (const frame of page.frames()) {
          const got = await frame
            .evaluate(() =>
              document.querySelector('#cell-rows')
                ? [...document.querySelectorAll('#cell-rows .cell-row')].map((r) => [
                    r.querySelector('.idx')?.textContent,
                    r.querySelector('.lbl')?.textContent,
                  ])
                : null,
            )
            .catch(() => null);
          if (got && got.some(([, l]) => l)) return got;
        }
        return null;
      },
      "labels in the panel's cell list",
      30_000,
    );
    await w.screenshot(page, '43b-discovery-panel-labels');
    // Layer 0's rows: each labelled unit shows "signal: label" of its best label (any signal), as the lens state's labelOf picks it.
    for (const l of expected.discovery.labels.filter((x) => x.layer === 0).slice(0, 5)) {
      const best = expected.discovery.labels
        .filter((x) => x.layer === 0 && x.unit === l.unit)
        .sort((a, b) => b.score - a.score)[0];
      const row = labels.find(([idx]) => idx === String(l.unit));
      assert.ok(
        row && row[1] === `${best.signal}: ${best.text}`,
        `panel row ${l.unit}: want "${best.signal}: ${best.text}", got ${JSON.stringify(row)}`,
      );
    }
  });

  it('a second run on the same file and model answers from the cache', async () => {
    const { page, userDataDir } = session();
    await openFile(page, FILE);
    await p.startCommand(page, TITLE);
    await p.pickItem(page, /Discover Interpretable Cells/, 'Open file');
    const toast = await p.pollNotification(page, /labelled cells.*from the cache/, 60_000);
    assert.match(toast, new RegExp(`${expected.discovery.labels.length} labelled cells`));
    const logged = await lens.until(
      () =>
        readLogs(userDataDir).some(
          (l) =>
            l.text.includes(`cell discovery of default:`) &&
            l.text.includes('from the cache') &&
            l.text.includes(expected.cacheKey),
        ),
      'the cache hit in the LSTM Lens log',
      15_000,
    );
    assert.ok(logged);
  });

  it('the workspace sample draws from the workspace files training would read (gitignored and minified files left out)', async () => {
    const { page, userDataDir } = session();
    await openFile(page, FILE);
    await p.startCommand(page, TITLE);
    await p.pickItem(page, /Discover Interpretable Cells/, 'Workspace sample');
    const toast = await p.pollNotification(page, /labelled cells?.*, \d+ files, [\d,]+ characters, in/, 90_000);
    const line = await lens.until(
      () =>
        readLogs(userDataDir)
          .flatMap((l) => l.text.split('\n'))
          .find((t) => /cell discovery: default on \d+ text\(s\)/.test(t) && !t.includes('on 1 text(s)')),
      'the workspace sample in the LSTM Lens log',
      15_000,
    );
    console.log(`      ${toast.replace(/\s+/g, ' ')}`);
    for (const f of ['src/ring.c (c)', 'src/greeter.ts (javascript)', 'src/queue.py (python)'])
      assert.ok(line.includes(f), `${f} in ${line}`);
    for (const f of ['ignored/secret.ts', 'lib/tiny.min.js']) assert.ok(!line.includes(f), `${f} left out: ${line}`);
    const report = await lens.until(
      () => reportRows(page, (r) => /sample of \d+ texts/.test(r.intro)),
      'the workspace report',
      30_000,
    );
    assert.match(report.intro, /sample of \d+ texts \((c|javascript|python)(, (c|javascript|python))+\)/);
    await w.screenshot(page, '44-discovery-workspace-report');
  });

  it('after a window reload the cached labels come back with the model, without running discovery', async () => {
    const { page, userDataDir } = session();
    const best = expected.discovery.labels[0];
    // Make ring.c's discovery the model's last one again (a cache hit), then reload.
    await openFile(page, FILE);
    await p.startCommand(page, TITLE);
    await p.pickItem(page, /Discover Interpretable Cells/, 'Open file');
    await p.pollNotification(
      page,
      new RegExp(`${expected.discovery.labels.length} labelled cells.*from the cache`),
      60_000,
    );
    // Log files that report these cached labels restored (the bundled labels' line is another).
    const restored = () =>
      readLogs(userDataDir).filter(
        (l) =>
          l.text.includes(`cell labels of default: ${expected.discovery.labels.length} from the discovery of`) &&
          l.text.includes(expected.cacheKey),
      ).length;
    const loadedBefore = restored();
    await openFile(page, FILE); // focus out of the report's webview
    const reloaded = page.waitForEvent('load', { timeout: 90_000 });
    await w.runCommand(page, 'Developer: Reload Window');
    await reloaded;
    await w.waitForWorkbench(page);
    await openFile(page, FILE);
    await lens.until(() => restored() > loadedBefore, 'the cached labels loaded in the LSTM Lens log', 60_000);
    await p.startCommand(page, 'LSTM Lens: Select Cell');
    await p.waitForQuickInput(page, /Select Cell/);
    await page.locator('.quick-input-widget .quick-input-box input').fill(best.text);
    await page
      .locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: best.text })
      .first()
      .waitFor({ timeout: 15_000 });
    await w.screenshot(page, '45-discovery-labels-after-reload');
    await page.keyboard.press('Escape');
  });
});
