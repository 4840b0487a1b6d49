// @ts-check
// In real VS Code: the bundled model colours a C and a TypeScript file
// character by character. For each file the set-up computes, with the core
// engine on the model inside the installed extension, which cell best tells a
// string literal's characters from the rest of its line; the specs then check
// in the DOM that the drawn backgrounds follow that cell's colour buckets
// exactly (one colour per bucket) and that the string is coloured differently
// from its surroundings. Hover, Select Cell, Choose Signal, Next Cell, Toggle
// Colouring and Show Surprisal are driven from the palette / keyboard.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { session } = require('../helpers/session');
const { readLogs } = require('../helpers/logs');
const w = require('../helpers/workbench');
const p = require('../helpers/prompts');
const lens = require('../helpers/lens');
const { formatValue, openingCell } = require('../helpers/engine');

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('../../../src/core/model/types').Signal} Signal */

/** @type {Signal[]} */
const SIGNALS = ['h', 'c', 'f'];
const FILES = {
  c: { rel: 'src/ring.c', line: 35 }, // printf("full at %d\n", i);
  ts: { rel: 'src/greeter.ts', line: 26 }, // console.log(greet({ name: "Ada", languages: ["C", "TypeScript"] }));
};

/**
 * Waits for a status bar item matching `pattern`; returns its text.
 * @param {Page} page
 * @param {RegExp} pattern
 * @param {number} [timeout]
 * @returns {Promise<string>}
 */
async function statusItem(page, pattern, timeout = 60_000) {
  return lens.until(
    async () => (await w.readStatusBar(page)).find((t) => pattern.test(t)),
    `a status bar item matching ${pattern}`,
    timeout,
  );
}

/**
 * Waits until the line is drawn exactly as `expected` buckets say (allowing `slack` edge cases); returns the drawn colours.
 * @param {Page} page
 * @param {string} lineText
 * @param {string[]} expected
 * @param {string} what
 * @param {number} [slack]
 * @returns {Promise<string[]>}
 */
async function drawnAs(page, lineText, expected, what, slack = 2) {
  const r = await lens.until(
    async () => {
      const drawn = await lens.lineColours(page, lineText);
      if (!drawn) return { ok: false, why: 'line not rendered' };
      const bad = lens.mismatches(expected, drawn);
      return bad <= slack ? { drawn, bad } : { ok: false, bad, drawn: [...new Set(drawn)] };
    },
    what,
    45_000,
  );
  return r.drawn;
}

/**
 * What the set-up computed for one of FILES: its text, the core's analysis of it and the string cell.
 * @typedef {{
 *   rel: string,
 *   line: number,
 *   text: string,
 *   analysis: import('../helpers/lens').Analysis,
 *   best: import('../helpers/lens').SeparatingCell,
 * }} FileSetUp
 */

describe('LSTM Lens editor colouring, hover and commands', function () {
  // Filled in by before() for every key of FILES; the tests run after it.
  const files = /** @type {Record<keyof typeof FILES, FileSetUp>} */ ({});
  /** The labels shipped with the bundled model (the extension shows them until a discovery runs). @type {import('../../../src/core/analysis/cellLabels').CellLabel[]} */
  let labels = [];
  /** The cell the editor opens on: the bundled labels' inside-string (else comment) detector. @type {import('../../../src/core/analysis/cellLabels').CellScore} */
  let opening;

  before(async function () {
    this.timeout(180_000);
    const { extensionsDir, extensionId, extensionVersion, workspace } = session();
    const model = lens.installedModelPath(extensionsDir, extensionId, extensionVersion);
    const bundled = lens.bundledLabelsOf(model);
    labels = bundled.stored.discovery.labels;
    const open = openingCell(bundled.stored.discovery);
    if (!open) throw new Error('the bundled labels have no cell to open on');
    opening = open;
    console.log(
      `      [set-up] bundled labels: ${labels.length}; opens on L${open.layer} ${open.signal}[${open.unit}] (${open.feature}, ${open.score.toFixed(2)})`,
    );
    for (const [k, f] of /** @type {[keyof typeof FILES, (typeof FILES)[keyof typeof FILES]][]} */ (
      Object.entries(FILES)
    )) {
      const text = fs.readFileSync(path.join(workspace, f.rel), 'utf8');
      const analysis = await lens.analyse(model, text, SIGNALS, true);
      const best = lens.bestSeparatingCell(analysis, text, f.line, ['h', 'c']);
      files[k] = { ...f, text, analysis, best };
      console.log(
        `      [set-up] ${f.rel}:${f.line + 1}: L${best.layer} #${best.cell} ${best.signal} separates the string (mean level gap ${best.score.toFixed(2)})`,
      );
    }
  });
  after(async () => {
    for (const f of Object.values(files)) await f.analysis.dispose();
  });

  it('opens ring.c (never trained or labelled on) coloured by the bundled labelled detector, named in the status bar, drawn by its threshold', async () => {
    const { page } = session();
    await w.openFile(page, FILES.c.rel);
    const label = labels.find(
      (l) => l.layer === opening.layer && l.unit === opening.unit && l.signal === opening.signal,
    );
    const name = (label?.text ?? '').split(' (')[0];
    const text = await statusItem(
      page,
      new RegExp(`LSTM Lens: L${opening.layer} #${opening.unit} ${opening.signal} · ${name} · default`),
    );
    assert.ok(name.length > 0, `the opening cell has a label: ${text}`);
    const { lineText, lineStart } = files.c.best;
    const expected = lens.expectedBuckets(
      files.c.analysis,
      lineStart,
      lineText,
      opening.layer,
      opening.unit,
      /** @type {import('../../../src/core/model/types').Signal} */ (opening.signal),
      labels,
    );
    assert.ok(
      expected.some((b) => b === ''),
      'a detector leaves its off characters plain',
    );
    assert.ok(
      expected.some((b) => b !== ''),
      'and lights its on characters',
    );
    await drawnAs(
      page,
      lineText,
      expected,
      `the printf line drawn by L${opening.layer} ${opening.signal}[${opening.unit}]'s threshold`,
    );
    await w.screenshot(page, '20-ring-opening-cell');
  });

  it('Choose Signal and Select Cell pick the string cell: the string is coloured differently from the rest of the line', async () => {
    const { page } = session();
    const { layer, cell, signal, lineText, lineStart, mask } = files.c.best;
    // Start from another cell: the editor may have opened on the string cell already.
    const other = (cell + 1) % files.c.analysis.model.layers[layer].hiddenSize;
    await p.startCommand(page, 'LSTM Lens: Select Cell');
    await p.pickItem(page, /Select Cell/, `L${layer} #${other}`);
    await statusItem(page, new RegExp(`LSTM Lens: L${layer} #${other} `));
    const before = await drawnAs(
      page,
      lineText,
      lens.expectedBuckets(files.c.analysis, lineStart, lineText, layer, other, signal, labels),
      `L${layer} #${other} ${signal} drawn first`,
    );
    await p.startCommand(page, 'LSTM Lens: Choose Signal');
    await p.pickItem(page, /Choose Signal/, signal);
    await p.startCommand(page, 'LSTM Lens: Select Cell');
    await p.pickItem(page, /Select Cell/, `L${layer} #${cell}`);
    await statusItem(page, new RegExp(`LSTM Lens: L${layer} #${cell} ${signal} `));
    const expected = lens.expectedBuckets(files.c.analysis, lineStart, lineText, layer, cell, signal, labels);
    const drawn = await drawnAs(
      page,
      lineText,
      expected,
      `L${layer} #${cell} ${signal} drawn on ${JSON.stringify(lineText)}`,
    );
    assert.notDeepStrictEqual(drawn, before, 'selecting the cell changed what is drawn');
    const inside = lens.modalColour(drawn, mask, 'in');
    const outside = lens.modalColour(drawn, mask, 'out');
    assert.notStrictEqual(inside, outside, `string drawn ${inside}, the rest ${outside}`);
    assert.ok(!lens.isTransparent(inside), 'the string is coloured');
    await w.screenshot(page, '21-ring-string-cell');
  });

  it('the hover shows the cell values there, the most active cells and the next-character guesses', async () => {
    const { page } = session();
    const { layer, cell, lineText, lineStart } = files.c.best;
    const col = lineText.indexOf('full') + 1; // the 'u' of "full"
    const text = await lens.hoverOnLine(page, lineText, col);
    await w.screenshot(page, '22-ring-hover');
    assert.match(text, new RegExp(`L${layer} #${cell}`));
    const h = files.c.analysis.get(layer, cell, 'h')[lineStart + col];
    const c = files.c.analysis.get(layer, cell, 'c')[lineStart + col];
    assert.ok(
      text.includes(formatValue(h)) && text.includes(formatValue(c)),
      `hover shows h ${formatValue(h)} and c ${formatValue(c)}: ${text}`,
    );
    assert.match(text, /most active/);
    assert.match(text, /next/);
    assert.match(text, /\d+(\.\d)?%/);
    assert.match(text, /actual next .*surprisal \d+\.\d\d bits/s);
    await page.keyboard.press('Escape');
    await page.mouse.move(5, 5);
  });

  it('Choose Signal switches to the forget gate: the line is redrawn by f', async () => {
    const { page } = session();
    const { layer, cell, lineText, lineStart } = files.c.best;
    const before = await lens.lineColours(page, lineText);
    await p.startCommand(page, 'LSTM Lens: Choose Signal');
    await p.pickItem(page, /Choose Signal/, 'f');
    await statusItem(page, new RegExp(`LSTM Lens: L${layer} #${cell} f `));
    const expected = lens.expectedBuckets(files.c.analysis, lineStart, lineText, layer, cell, 'f', labels);
    const drawn = await drawnAs(page, lineText, expected, `f of L${layer} #${cell}`);
    assert.notDeepStrictEqual(drawn, before);
    await w.screenshot(page, '23-ring-forget-gate');
  });

  it('Next Cell (Ctrl+Alt+]) moves to the next cell and redraws', async () => {
    const { page } = session();
    const { layer, cell, lineText, lineStart } = files.c.best;
    const H = files.c.analysis.model.layers[layer].hiddenSize;
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+Alt+BracketRight');
    const next = (cell + 1) % H;
    await statusItem(page, new RegExp(`LSTM Lens: L${layer} #${next} f `), 20_000);
    await drawnAs(
      page,
      lineText,
      lens.expectedBuckets(files.c.analysis, lineStart, lineText, layer, next, 'f', labels),
      `f of L${layer} #${next}`,
    );
    await page.keyboard.press('Control+Alt+BracketLeft');
    await statusItem(page, new RegExp(`LSTM Lens: L${layer} #${cell} f `), 20_000);
  });

  it('Toggle Colouring removes every colour and brings them back', async () => {
    const { page } = session();
    const { lineText } = files.c.best;
    await w.runCommand(page, 'LSTM Lens: Toggle Colouring');
    await lens.until(
      async () => (await lens.lineColours(page, lineText))?.every((c) => lens.isTransparent(c)),
      'no colours after Toggle Colouring',
    );
    await w.screenshot(page, '24-ring-colouring-off');
    await w.runCommand(page, 'LSTM Lens: Toggle Colouring');
    await lens.until(
      async () => (await lens.lineColours(page, lineText))?.some((c) => !lens.isTransparent(c)),
      'colours back after Toggle Colouring',
    );
  });

  it('Show Surprisal colours each character by the model’s surprise, then back', async () => {
    const { page } = session();
    const { lineText, lineStart } = files.c.best;
    await w.runCommand(page, 'LSTM Lens: Show Surprisal');
    await statusItem(page, /LSTM Lens: surprisal · /);
    const expected = lens.expectedSurprisal(files.c.analysis, lineStart, lineText);
    await drawnAs(page, lineText, expected, 'surprisal buckets');
    await w.screenshot(page, '25-ring-surprisal');
    await w.runCommand(page, 'LSTM Lens: Show Surprisal');
    await statusItem(page, /LSTM Lens: L\d+ #\d+ f /);
  });

  it('follows edits: a string typed into a line is coloured as the model reads the new text', async () => {
    const { page } = session();
    const { layer, cell, signal } = files.c.best;
    await p.startCommand(page, 'LSTM Lens: Choose Signal');
    await p.pickItem(page, /Choose Signal/, signal);
    const lines = files.c.text.split('\n');
    const row = lines.findIndex((l) => l.trim() === 'r->count--;');
    await lens.clickLineEnd(page, lines[row]);
    await page.keyboard.insertText(' /* "edited" */');
    // Read back what the editor holds on that line (auto-closing could have changed the typed text).
    const edited = await lens.until(async () => {
      const t = await page
        .locator('.editor-instance .monaco-editor .view-lines')
        .first()
        .evaluate((root, prefix) => {
          /** @param {string | null} s */
          const norm = (s) => (s ?? '').replace(/\u00a0/g, ' ');
          return [...root.querySelectorAll('.view-line')]
            .map((l) => norm(l.textContent))
            .find((t) => t.startsWith(prefix) && t.includes('edited'));
        }, lines[row]);
      return t;
    }, 'the edited line');
    const newText = [...lines.slice(0, row), edited, ...lines.slice(row + 1)].join('\n');
    const analysis = await lens.analyse(
      lens.installedModelPath(session().extensionsDir, session().extensionId, session().extensionVersion),
      newText,
      [signal],
    );
    try {
      const lineStart = newText
        .split('\n')
        .slice(0, row)
        .reduce((n, l) => n + l.length + 1, 0);
      const expected = lens.expectedBuckets(analysis, lineStart, edited, layer, cell, signal, labels);
      await drawnAs(page, edited, expected, `the edited line drawn by L${layer} #${cell} ${signal} of the new text`);
      await w.screenshot(page, '25b-ring-after-edit');
    } finally {
      await analysis.dispose();
      await page.keyboard.press('Control+Z');
    }
  });

  it('colours greeter.ts: the string cell separates the string literals there too', async () => {
    const { page } = session();
    await w.openFile(page, FILES.ts.rel);
    const { layer, cell, signal, lineText, lineStart, mask } = files.ts.best;
    await p.startCommand(page, 'LSTM Lens: Choose Signal');
    await p.pickItem(page, /Choose Signal/, signal);
    await p.startCommand(page, 'LSTM Lens: Select Cell');
    await p.pickItem(page, /Select Cell/, `L${layer} #${cell}`);
    await statusItem(page, new RegExp(`LSTM Lens: L${layer} #${cell} ${signal} `));
    const expected = lens.expectedBuckets(files.ts.analysis, lineStart, lineText, layer, cell, signal, labels);
    const drawn = await drawnAs(page, lineText, expected, `L${layer} #${cell} ${signal} on the TypeScript line`);
    assert.notStrictEqual(lens.modalColour(drawn, mask, 'in'), lens.modalColour(drawn, mask, 'out'));
    const hover = await lens.hoverOnLine(page, lineText, lineText.indexOf('TypeScript') + 2);
    assert.match(hover, /next/);
    await w.screenshot(page, '26-greeter-ts-string-cell');
    await page.keyboard.press('Escape');
  });

  it('logged no errors', () => {
    const { userDataDir } = session();
    const own = readLogs(userDataDir).find((l) => path.basename(l.file) === 'LSTM Lens.log');
    assert.ok(own, 'the LSTM Lens log exists');
    assert.match(own.text, /model default loaded from .*default\.onnx/);
    assert.doesNotMatch(own.text, /\[error\]/);
  });

  it('Sample Text From Model opens the primed sample in a new, coloured editor', async () => {
    const { page } = session();
    await p.startCommand(page, 'LSTM Lens: Sample Text From Model');
    // Primed inside a string: the colouring may be a string detector, which leaves code plain.
    await p.answerInput(page, /Sample Text \(1\/3\)/, 'puts("Hello, world');
    await p.answerInput(page, /Sample Text \(2\/3\)/, '0.5');
    await p.answerInput(page, /Sample Text \(3\/3\)/, '200');
    await page
      .locator('.tabs-container .tab.active', { hasText: /Untitled/ })
      .first()
      .waitFor({ timeout: 60_000 });
    const first = await lens.until(async () => {
      const t = await page.locator('.editor-instance .monaco-editor .view-lines').first().textContent();
      return t && t.replace(/\u00a0/g, ' ').startsWith('puts("Hello, world') ? t : undefined;
    }, 'the sampled text in the new editor');
    assert.ok(first.length > 'puts("Hello, world'.length, 'text was generated after the prime');
    await lens.until(async () => (await lens.colouredChars(page)) > 10, 'colours in the sampled document');
    await w.screenshot(page, '27-sampled-text');
  });

  it('a model that fails to load gives one error with the reason and the bundled model stays in use', async () => {
    const { page, userDataDir, workspace } = session();
    await w.openFile(page, FILES.c.rel); // the extension is active (this test also runs alone with --grep)
    await statusItem(page, /LSTM Lens: .* · default/);
    const broken = path.join(path.dirname(workspace), 'broken.onnx');
    fs.writeFileSync(broken, 'this is not an ONNX file');
    await lens.setUserSetting(page, userDataDir, 'lstmLens.model.path', broken);
    try {
      const text = await w.waitForNotification(page, /could not load model "broken"/, 60_000);
      assert.match(text, /Using the bundled model instead/);
      assert.ok(
        text.length > 'LSTM Lens: could not load model "broken": . Using the bundled model instead.'.length,
        `the reason is given: ${text}`,
      );
      await statusItem(page, /LSTM Lens: .* · default/);
      await new Promise((r) => setTimeout(r, 2000));
      const toasts = await page
        .locator('.notifications-toasts .notification-toast', { hasText: /could not load model "broken"/ })
        .count();
      assert.strictEqual(toasts, 1, 'exactly one error');
      await w.screenshot(page, '28-model-load-error');
    } finally {
      await lens.setUserSetting(page, userDataDir, 'lstmLens.model.path', undefined);
    }
  });

  it('a file over the size cap gets a status message instead of colours, and colours come back when the cap allows it', async () => {
    const { page, userDataDir } = session();
    await w.openFile(page, FILES.c.rel);
    // A string detector lights only the strings in view: count what is drawn, and expect as much back.
    // The previous test reloaded the model: wait until its labels are back (the status bar names the
    // detector, drawn by its threshold) and the count holds still, or the baseline is the diverging
    // map's, which colours far more characters.
    await statusItem(page, /LSTM Lens: L\d+ #\d+ \w · .+ · default/);
    let previous = -1;
    const coloured = await lens.until(
      async () => {
        const n = await lens.colouredChars(page);
        const steady = n > 10 && n === previous;
        previous = n;
        return steady ? n : undefined;
      },
      'ring.c coloured again, the same count twice',
      30_000,
      500,
    );
    await lens.setUserSetting(page, userDataDir, 'lstmLens.colouring.maxFileSize', 100);
    try {
      await statusItem(page, /LSTM Lens: not coloured/);
      await lens.until(async () => (await lens.colouredChars(page)) === 0, 'no colours over the cap');
      await w.screenshot(page, '29-over-size-cap');
    } finally {
      await lens.setUserSetting(page, userDataDir, 'lstmLens.colouring.maxFileSize', undefined);
    }
    await lens.until(
      // The pass restarts from the visible lines: half of what was drawn is enough to show it is back.
      async () => (await lens.colouredChars(page)) >= Math.ceil(coloured / 2),
      `${Math.ceil(coloured / 2)} of ${coloured} coloured characters back under the cap`,
    );
    await statusItem(page, /LSTM Lens: L\d+ #\d+ \w · (.+ · )?default/);
  });
});
