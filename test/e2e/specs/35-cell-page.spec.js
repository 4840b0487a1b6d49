// @ts-check
// The cell page in real VS Code: Select Cell… picks the bundled labels'
// opening detector, "LSTM Lens: Show Cell Page" computes its page over the
// workspace in a worker (progress, then the page in the panel), the page
// shows its label, scores, histogram, top places (excerpts coloured as the
// editor colours them), intervals, prediction effects, gates and correlated
// cells; the top place's value is the engine's at that spot, and clicking it
// opens the file there. Screenshots: test-output/e2e/35-*.png.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { session } = require('../helpers/session');
const w = require('../helpers/workbench');
const pr = require('../helpers/prompts');
const p = require('../helpers/panel');
const lens = require('../helpers/lens');
const { openingCell } = require('../helpers/engine');

describe('LSTM Lens cell page', function () {
  this.timeout(180_000);

  it('computes the page of the opening detector over the workspace, and a click on a top place opens the file there', async () => {
    const { page, workspace, extensionsDir, extensionId, extensionVersion } = session();
    const modelPath = lens.installedModelPath(extensionsDir, extensionId, extensionVersion);
    const open = openingCell(lens.bundledLabelsOf(modelPath).stored.discovery);
    if (!open) throw new Error('no opening cell in the bundled labels');
    await w.openFile(page, 'src/ring.c');
    await pr.startCommand(page, 'LSTM Lens: Choose Signal');
    await pr.pickItem(page, /Choose Signal/, open.signal);
    await pr.startCommand(page, 'LSTM Lens: Select Cell');
    await pr.pickItem(page, /Select Cell/, `L${open.layer} #${open.unit}`);
    await w.runCommand(page, 'LSTM Lens: Show Cell Page');

    const frame = p.panel(page);
    const head = frame.locator('#cell-page-head');
    await head.and(frame.locator('[data-status="done"]')).waitFor({ timeout: 120_000 });
    const title = (await head.textContent()) ?? '';
    await frame.locator('#cell-page-section').scrollIntoViewIfNeeded();
    await w.screenshot(page, '35-cell-page');
    assert.match(
      title,
      new RegExp(
        `^L${open.layer} ${open.signal}\\[${open.unit}\\] · .+ · [\\d,]+ characters of \\d+ workspace files? in [\\d.]+ s$`,
      ),
    );
    assert.ok((await frame.locator('#cell-page-scores tr').count()) >= 4, 'a table of feature scores');
    assert.ok(
      Number(await frame.locator('#cell-page-histogram').getAttribute('data-bins')) === 40,
      'a 40-bin histogram',
    );
    assert.ok((await frame.locator('#cell-page-interval-0 .place').count()) >= 1, 'examples of the lowest interval');
    assert.match((await frame.locator('#cell-page-up').textContent()) ?? '', /pushes the next character up: .+ [+-]\d/);
    assert.match(
      (await frame.locator('#cell-page-timescale').textContent()) ?? '',
      /memory timescale −1\/ln f̄ ≈ [\d.]+ characters/,
    );
    assert.ok((await frame.locator('#cell-page-correlated button.corr').count()) >= 3, 'correlated cells');
    // The probes over the layer, from the bundled labels' discovery: is the feature in this cell or spread over many?
    assert.ok((await frame.locator('#cell-page-probes tr').count()) >= 4, 'a table of the layer’s probes');

    // The top places: highest first; the first one's value is the engine's at that line and column.
    const places = frame.locator('#cell-page-top .place');
    const n = await places.count();
    assert.ok(n >= 5, `${n} top places`);
    const first = places.first();
    const file = (await first.getAttribute('data-file')) ?? '';
    const line = Number(await first.getAttribute('data-line'));
    const column = Number(await first.getAttribute('data-column'));
    const shown = Number(((await first.locator('.val').textContent()) ?? '').trim());
    const text = fs.readFileSync(path.join(workspace, file), 'utf8');
    const analysis = await lens.analyse(modelPath, text, [
      /** @type {import('../../../src/core/model/types').Signal} */ (open.signal),
    ]);
    try {
      const cps = Array.from(text);
      let offset = 0;
      for (let l = 1; l < line; l++) offset = cps.indexOf('\n', offset) + 1;
      offset += column - 1;
      const engine = analysis.get(
        open.layer,
        open.unit,
        /** @type {import('../../../src/core/model/types').Signal} */ (open.signal),
      )[offset];
      assert.ok(Math.abs(engine - shown) < 2e-3, `${file}:${line}:${column}: page ${shown}, engine ${engine}`);
    } finally {
      await analysis.dispose();
    }
    const values = await places.locator('.val').allTextContents();
    for (let i = 1; i < values.length; i++)
      assert.ok(Number(values[i - 1]) >= Number(values[i]), `sorted: ${values.join(' ')}`);
    // The place is coloured as the editor colours it: some characters tinted, its own one outlined.
    assert.ok((await first.locator('.ex span[class*="b-"]').count()) >= 1, 'coloured excerpt');
    assert.strictEqual(await first.locator('.ex .at').count(), 1);

    await first.click();
    await p.until(
      async () => {
        const tab = await page.locator('.tabs-container .tab.active').first().textContent();
        if (!tab?.includes(path.basename(file))) return false;
        const at = await p.editorCursor(page);
        return at.line === line && at.column === column;
      },
      `the editor at ${file}:${line}:${column}`,
      30_000,
    );
    await w.screenshot(page, '35-cell-page-opened-place');
  });
});
