// @ts-check
// Interventions and gradient flow in real VS Code. Intervene on Cell… zeroes
// the bundled model's quote detector over greeter.ts: the core engine (run
// here on the installed model with the same clamp) says the closing quotes
// become much harder to predict, and the editor must draw exactly that change
// in surprisal (red where it rose), the status bar names the clamp, the hover
// shows before → after, the panel lists the changed characters; Undo brings
// the cell colouring back. Then Toggle Gradient Flow at Cursor colours the
// characters before the cursor and the panel charts the gradient against
// distance; moving the cursor moves the colours. Screenshots: 36-*.png.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { session } = require('../helpers/session');
const w = require('../helpers/workbench');
const pr = require('../helpers/prompts');
const p = require('../helpers/panel');
const lens = require('../helpers/lens');
const {
  DocumentAnalysis,
  InterventionPlan,
  deltaBucket,
  openingCell,
  readModelFile,
  resolveInterventions,
} = require('../helpers/engine');

const FILE = 'src/greeter.ts';
const LINE = 26; // console.log(greet({ name: "Ada", languages: ["C", "TypeScript"] }));

/**
 * Surprisal (bits) of every character of `text`, with the cell zeroed when given.
 * @param {import('../../../src/core/model/types').CharModel} model
 * @param {string} text
 * @param {{ layer: number, unit: number } | undefined} zeroed
 * @returns {Promise<Float32Array>}
 */
async function surprisal(model, text, zeroed) {
  const plan = zeroed
    ? new InterventionPlan(model, resolveInterventions(model, [{ ...zeroed, mode: 'zero' }]))
    : undefined;
  const d = new DocumentAnalysis(model, { intraOpThreads: 1, intervention: plan });
  try {
    d.setSelection({ cells: [], surprisal: true });
    d.setText(text, 1);
    await d.idle();
    const s = d.store.surprisal;
    if (!s) throw new Error('no surprisal kept');
    return s.slice();
  } finally {
    await d.dispose();
  }
}

/** Steps of the closing quotes of "…" and '…' strings in `text` (no escapes in our sample). @param {string} text */
function closingQuotes(text) {
  /** @type {number[]} */
  const out = [];
  /** @type {string | null} */
  let open = null;
  [...text].forEach((ch, t) => {
    if (open) {
      if (ch === open) {
        out.push(t);
        open = null;
      }
    } else if (ch === '"' || ch === "'") open = ch;
  });
  return out;
}

describe('LSTM Lens interventions and gradient flow', function () {
  this.timeout(240_000);

  it('zeroing the quote detector raises the surprisal of closing quotes, and the editor, hover, status bar and panel show it; Undo restores the colouring', async () => {
    const { page, workspace, extensionsDir, extensionId, extensionVersion } = session();
    const modelPath = lens.installedModelPath(extensionsDir, extensionId, extensionVersion);
    const open = openingCell(lens.bundledLabelsOf(modelPath).stored.discovery);
    if (!open) throw new Error('no opening cell in the bundled labels');
    const text = fs.readFileSync(path.join(workspace, FILE), 'utf8');
    const model = await readModelFile(modelPath);
    const before = await surprisal(model, text, undefined);
    const after = await surprisal(model, text, { layer: open.layer, unit: open.unit });
    const quotes = closingQuotes(text);
    const rise = quotes.reduce((s, t) => s + after[t] - before[t], 0) / quotes.length;
    console.log(
      `      [engine] L${open.layer} #${open.unit} (${open.feature}) zeroed: closing quotes ${rise.toFixed(2)} bits harder on average (${quotes.length})`,
    );
    assert.ok(rise > 1, `the quote detector's ablation raises closing-quote surprisal by ${rise.toFixed(2)} bits`);

    await w.openFile(page, FILE);
    await pr.startCommand(page, 'LSTM Lens: Intervene on Cell');
    await pr.pickItem(page, /Intervene on Cell/, `L${open.layer} #${open.unit}`);
    await pr.pickItem(page, new RegExp(`Intervene on L${open.layer} #${open.unit}`), 'Zero');
    const item = await lens.until(
      async () =>
        (await w.readStatusBar(page)).find((t) =>
          new RegExp(`L${open.layer} h,c\\[${open.unit}\\] := 0 · [+−]\\d+\\.\\d\\d bits/char`).test(t),
        ),
      'the intervention in the status bar',
      90_000,
    );
    console.log(`      [status bar] ${item}`);

    // The line with "Ada" and "C": drawn exactly as the engine's change in surprisal says.
    const lines = text.split('\n');
    const lineText = lines[LINE];
    const lineStart = lines.slice(0, LINE).reduce((s, l) => s + l.length + 1, 0);
    const expected = [...lineText].map((_, i) => deltaBucket(after[lineStart + i] - before[lineStart + i]));
    const closing = quotes.filter((t) => t >= lineStart && t < lineStart + lineText.length).map((t) => t - lineStart);
    assert.ok(
      closing.some((i) => expected[i].startsWith('pos')),
      `a closing quote on the line rises: ${closing.map((i) => expected[i]).join(' ')}`,
    );
    await lens.until(
      async () => {
        const drawn = await lens.lineColours(page, lineText);
        if (!drawn) return { ok: false, why: 'line not rendered' };
        const bad = lens.mismatches(expected, drawn);
        return bad <= 2 ? true : { ok: false, bad, expected };
      },
      'the change in surprisal drawn on the line',
      45_000,
    );
    await w.screenshot(page, '36-intervention');

    const hover = await lens.hoverOnLine(page, lineText, closing[0]);
    assert.match(hover, new RegExp(`LSTM Lens intervention L${open.layer} h,c\\[${open.unit}\\] := 0`));
    assert.match(hover, /surprisal of .*"/);
    assert.match(hover, /\d+\.\d\d → \d+\.\d\d bits \(\+\d+\.\d\d\)/);
    assert.match(hover, /before/);
    await page.mouse.move(0, 0);

    // The panel lists the characters that changed most; a closing quote is among them.
    await w.runCommand(page, 'LSTM Lens: Show Panel');
    const frame = p.panel(page);
    const rows = frame.locator('#intervention-changed tr[data-offset]');
    await rows.first().waitFor({ timeout: 30_000 });
    assert.ok((await rows.count()) >= 5, 'a list of changed characters');
    const offsets = await rows.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-offset'))));
    assert.ok(
      offsets.some((o) => quotes.includes(o)),
      `a closing quote among the most changed (${offsets.slice(0, 8).join(', ')})`,
    );
    assert.match((await frame.locator('#intervention-mean').textContent()) ?? '', /\d+\.\d\d → \d+\.\d\d/);
    await frame
      .locator('#intervention')
      .scrollIntoViewIfNeeded()
      .catch(() => undefined);
    await w.screenshot(page, '36-intervention-panel');

    await w.runCommand(page, 'LSTM Lens: Undo Intervention');
    await lens.until(
      async () => !(await w.readStatusBar(page)).some((t) => /:= 0 ·/.test(t)),
      'the intervention gone from the status bar',
      30_000,
    );
    await lens.until(async () => (await lens.colouredChars(page)) > 0, 'the cell colouring back', 45_000);
  });

  it('gradient flow colours the characters before the cursor and follows it; the panel charts it', async () => {
    const { page, workspace } = session();
    const text = fs.readFileSync(path.join(workspace, FILE), 'utf8');
    const lines = text.split('\n');
    await w.openFile(page, FILE);
    await w.runCommand(page, 'LSTM Lens: Toggle Gradient Flow at Cursor');
    /** Characters of a rendered line drawn with a colour. @param {string} line */
    const inked = async (line) => {
      const drawn = await lens.lineColours(page, line);
      return drawn ? drawn.filter((c) => !lens.isTransparent(c)).length : -1;
    };
    const last = lines[LINE];
    const earlier = lines[22]; // top(n: number): [T, number][] {
    await lens.clickLineEnd(page, last);
    await lens.until(async () => (await inked(last)) > 10, 'the last line coloured up to the cursor', 60_000);
    const frame = p.panel(page);
    await w.runCommand(page, 'LSTM Lens: Show Panel');
    const chart = frame.locator('#gradient-flow-chart');
    await lens.until(
      async () => Number((await chart.getAttribute('data-points')) ?? 0) > 10,
      'the gradient-flow chart',
      30_000,
    );
    assert.match((await chart.getAttribute('data-series')) ?? '', /input.*L0 h.*L0 c/);
    assert.match((await frame.locator('#gradient-flow-info').textContent()) ?? '', /Prediction after/);
    await w.screenshot(page, '36-gradient-flow');

    // Move the cursor up: the last line (now after it) loses its colours, the earlier one has them.
    await lens.clickLineEnd(page, earlier);
    await lens.until(
      async () => (await inked(last)) === 0 && (await inked(earlier)) > 10,
      'the colours following the cursor',
      60_000,
    );
    await w.runCommand(page, 'LSTM Lens: Toggle Gradient Flow at Cursor');
    await lens.until(
      async () => !(await w.readStatusBar(page)).some((t) => /Gradient flow/.test(t)),
      'gradient flow off',
      30_000,
    );
  });
});
