// @ts-check
// "LSTM Lens: Train Model on Workspace…" in real VS Code (code-server), from
// the command palette, on the sample workspace (test/e2e/workspace: 5 source
// files, one of them Latin-1, plus a .gitignore'd file, a minified file and a
// file under the workspace's search.exclude, which must all be skipped).
// A custom tiny model (1 × 32, a step budget) keeps it to seconds; the real
// presets are the same code path with other sizes and a time budget.
// Checks: the what-goes-in dialog, live progress in the notification, the
// model file in workspace storage, switching to it, the panel's training
// view, cancelling a second run (the best model so far is kept), Choose
// Model… listing both, and the editor coloured by the new model. Runs last:
// it changes the active model. Screenshots: test-output/e2e/90-*.png.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { session } = require('../helpers/session');
const w = require('../helpers/workbench');
const pr = require('../helpers/prompts');
const { storedModels, startCustomRun } = require('../helpers/training');
const { readModelFile } = require('../helpers/engine');
const lens = require('../helpers/lens');

describe('Train Model on Workspace', function () {
  this.timeout(240_000);
  /** @type {string} */
  let firstModel;

  before(async () => {
    const { page } = session();
    await w.waitForWorkbench(page);
  });

  it('shows what goes in (files, size, languages, skipped, non-UTF-8) before training', async () => {
    const { page } = session();
    const text = await startCustomRun(page, '150 steps');
    await w.screenshot(page, '90-training-confirm');
    // README.md, src/{greeter.ts, ring.c, latin1.c, queue.py}; not ignored/secret.ts (.gitignore),
    // lib/tiny.min.js (minified) nor scratch/notes.ts (the workspace's search.exclude).
    assert.match(text, /Train on 5 files, [\d.]+ KB: /);
    assert.match(text, /C 2 files/);
    assert.match(text, /TypeScript 1 file/);
    assert.match(text, /Python 1 file/);
    assert.match(text, /Markdown 1 file/);
    assert.match(text, /Skipped 3: /);
    assert.match(text, /minified 1/);
    assert.match(text, /\.gitignore 1/);
    assert.match(text, /files\.exclude \/ search\.exclude 1/);
    assert.match(text, /1 file not UTF-8/);
    assert.match(text, /Model: custom: 1 layer × 32 LSTM, T 50, B \d+, 150 steps\./);
    assert.match(text, /Saved in this workspace's storage as "workspace-custom-\d{4}-\d\d-\d\d-\d{4}"/);
  });

  it('trains in a worker with live progress (percent, bits/char, chars/s, ETA) and saves the model in workspace storage', async () => {
    const { page, userDataDir, extensionId } = session();
    await pr.clickDialogButton(page, 'Train');
    const progress = await pr.pollNotification(
      page,
      /training custom model[\s\S]*\d+% · [\d.]+ bits\/char[\s\S]*chars\/s · ETA/,
      90_000,
    );
    await w.screenshot(page, '90-training-progress');
    assert.match(progress, /\d+% · [\d.]+ bits\/char/);
    const done = await w.waitForNotification(page, /Trained "workspace-custom-/, 120_000);
    assert.match(done, /150 steps in .*validation [\d.]+ bits\/char/);
    await w.screenshot(page, '90-training-done');
    const models = storedModels(userDataDir, extensionId);
    assert.strictEqual(models.length, 1, `models in workspace storage: ${JSON.stringify(models)}`);
    firstModel = models[0];
    assert.ok(fs.statSync(firstModel).size > 1000, 'a real model file');
    assert.ok(done.includes(path.basename(firstModel, '.onnx')), `${done} names ${firstModel}`);
  });

  it('switches to the new model when asked at the end', async () => {
    const { page } = session();
    const name = path.basename(firstModel, '.onnx');
    await pr.clickNotificationButton(page, /Trained "workspace-custom-/, 'Use This Model');
    /** @type {string[]} */
    let items = [];
    const t0 = Date.now();
    while (!items.some((t) => t.includes(name)) && Date.now() - t0 < 60_000) {
      await new Promise((r) => setTimeout(r, 250));
      items = await w.readStatusBar(page);
    }
    assert.ok(
      items.some((t) => /LSTM Lens/.test(t) && t.includes(name)),
      `status bar: ${JSON.stringify(items)}`,
    );
  });

  it("forwards the run to the panel's training view (curve points, sample, outcome)", async () => {
    const { page } = session();
    await w.runCommand(page, 'LSTM Lens: Show Panel');
    const frame = w.webviewFrame(page);
    const info = frame.locator('#training-info');
    await info.filter({ hasText: /Trained "workspace-custom-[\d-]+": 150 steps/ }).waitFor({ timeout: 60_000 });
    assert.match((await info.textContent()) ?? '', /Training "workspace-custom-[\d-]+" \(custom: 1 layer × 32 LSTM/);
    const points = Number(await frame.locator('#training-chart').getAttribute('data-points'));
    assert.ok(points >= 2, `training chart points: ${points}`);
    assert.match((await frame.locator('#training-sample').textContent()) ?? '', /^sample at step \d+:/);
    await frame.locator('#training-chart').scrollIntoViewIfNeeded();
    await w.screenshot(page, '90-panel-training-view');
  });

  it('cancels a second run from its notification and keeps the best model so far', async () => {
    const { page, userDataDir, extensionId } = session();
    const text = await startCustomRun(page, '100000 steps');
    assert.match(text, /100000 steps/);
    await pr.clickDialogButton(page, 'Train');
    // Wait for a validation (a checkpoint on disk), then cancel.
    await pr.pollNotification(page, /training custom model[\s\S]*\(val [\d.]+\)/, 120_000);
    await w.screenshot(page, '90-training-second-run');
    await pr.clickNotificationButton(page, /training custom model/, 'Cancel');
    const msg = await w.waitForNotification(page, /Training cancelled after \d+ steps/, 60_000);
    assert.match(msg, /kept the best model so far, "workspace-custom-[\d-]+", validation [\d.]+ bits\/char/);
    const steps = Number(/after (\d+) steps/.exec(msg)?.[1]);
    assert.ok(steps >= 10 && steps < 100000, `stopped at step ${steps}`);
    await w.screenshot(page, '90-training-cancelled');
    const models = storedModels(userDataDir, extensionId);
    assert.strictEqual(models.length, 2, `models in workspace storage: ${JSON.stringify(models)}`);
  });

  it('Choose Model… lists both trained models', async () => {
    const { page } = session();
    await pr.startCommand(page, 'LSTM Lens: Choose Model…');
    await pr.waitForQuickInput(page, /Choose Model/);
    const rows = await pr.quickPickRows(page);
    await w.screenshot(page, '90-choose-model');
    await page.keyboard.press('Escape');
    const trained = rows.filter((r) => /workspace-custom-/.test(r));
    assert.strictEqual(trained.length, 2, `rows: ${JSON.stringify(rows)}`);
  });

  it('colours a file with the new model', async () => {
    const { page } = session();
    const name = path.basename(firstModel, '.onnx');
    await pr.quickOpenFile(page, 'src/queue.py');
    let spans = 0;
    let colours = 0;
    const t0 = Date.now();
    while ((spans === 0 || colours < 2) && Date.now() - t0 < 60_000) {
      await new Promise((r) => setTimeout(r, 500));
      // Inline decorations (one type per colour bucket) render as spans with a generated "ced-" class.
      [spans, colours] = await page
        .locator('.editor-instance .monaco-editor .view-lines')
        .first()
        .evaluate((el) => {
          const s = [...el.querySelectorAll('span[class*="ced-"]')];
          return [s.length, new Set(s.map((e) => getComputedStyle(e).backgroundColor)).size];
        });
    }
    await w.screenshot(page, '90-coloured-by-trained-model');
    const items = await w.readStatusBar(page);
    assert.ok(
      items.some((t) => t.includes(name)),
      `status bar names the trained model: ${JSON.stringify(items)}`,
    );
    assert.ok(spans > 20 && colours >= 2, `coloured spans ${spans}, distinct colours ${colours}`);
  });

  it('trains a vanilla RNN from the palette, switches to it and colours a file with it', async () => {
    const { page, userDataDir, extensionId } = session();
    const before = storedModels(userDataDir, extensionId);
    const text = await startCustomRun(page, '60 steps', 'Vanilla RNN');
    assert.match(text, /Model: custom: 1 layer × 32 RNN, T 50, B \d+, 60 steps\./);
    await pr.clickDialogButton(page, 'Train');
    const done = await w.waitForNotification(page, /Trained "workspace-custom-[\d-]+": 60 steps/, 120_000);
    const added = storedModels(userDataDir, extensionId).filter((m) => !before.includes(m));
    assert.strictEqual(added.length, 1, `new model files: ${JSON.stringify(added)}`);
    const model = await readModelFile(added[0]);
    assert.deepStrictEqual(
      model.layers.map((l) => [l.kind, l.hiddenSize]),
      [['rnn', 32]],
    );
    const name = path.basename(added[0], '.onnx');
    assert.ok(done.includes(name), `${done} names ${name}`);
    await pr.clickNotificationButton(page, /Trained "workspace-custom-[\d-]+": 60 steps/, 'Use This Model');
    await pr.quickOpenFile(page, 'src/ring.c');
    const t0 = Date.now();
    let colours = 0;
    let items = /** @type {string[]} */ ([]);
    while ((colours < 2 || !items.some((t) => t.includes(name))) && Date.now() - t0 < 60_000) {
      await new Promise((r) => setTimeout(r, 500));
      items = await w.readStatusBar(page);
      colours = await page
        .locator('.editor-instance .monaco-editor .view-lines')
        .first()
        .evaluate(
          (el) =>
            new Set([...el.querySelectorAll('span[class*="ced-"]')].map((e) => getComputedStyle(e).backgroundColor))
              .size,
        );
    }
    await w.screenshot(page, '90-coloured-by-rnn');
    assert.ok(
      items.some((t) => t.includes(name)),
      `status bar names the RNN: ${JSON.stringify(items)}`,
    );
    assert.ok(colours >= 2, `distinct colours drawn by the RNN: ${colours}`);
  });

  it('fine-tunes the active model from the palette: held-out bits/char before → after, then switches to it', async () => {
    const { page, userDataDir, extensionId } = session();
    const before = storedModels(userDataDir, extensionId);
    await pr.startCommand(page, 'LSTM Lens: Train Model on Workspace');
    await pr.pickItem(page, /Train Model on Workspace/, 'Fine-tune the active model');
    await pr.answerInput(page, /Fine-tune workspace-custom-/, '100 steps');
    const text = await pr.dialogText(page, /Train on/);
    assert.match(
      text,
      /Model: fine-tune workspace-custom-[\d-]+ \(1 layer × 32 RNN, its vocabulary\), T \d+, B \d+, 100 steps\./,
    );
    await pr.clickDialogButton(page, 'Train');
    const done = await w.waitForNotification(page, /Fine-tuned "workspace-finetune-/, 120_000);
    await w.screenshot(page, '90-fine-tuned');
    const m = /held-out ([\d.]+) → ([\d.]+) bits\/char \([−+][\d.]+\), better on your held-out files/.exec(done);
    assert.ok(m, `the outcome says before → after: ${done}`);
    assert.ok(Number(m[2]) < Number(m[1]), done);
    const added = storedModels(userDataDir, extensionId).filter((f) => !before.includes(f));
    assert.strictEqual(added.length, 1, `new model files: ${JSON.stringify(added)}`);
    const tuned = await readModelFile(added[0]);
    assert.deepStrictEqual(
      tuned.layers.map((l) => [l.kind, l.hiddenSize]),
      [['rnn', 32]],
    );
    const name = path.basename(added[0], '.onnx');
    await pr.clickNotificationButton(page, /Fine-tuned "workspace-finetune-/, 'Use This Model');
    await lens.until(
      async () => (await w.readStatusBar(page)).some((t) => t.includes(name)),
      `the status bar naming ${name}`,
      60_000,
    );
  });

  it('compares the active model with the bundled one on a file: the difference drawn, both guesses in the hover, the panel table', async () => {
    const { page } = session();
    await pr.quickOpenFile(page, 'src/greeter.ts');
    await pr.startCommand(page, 'LSTM Lens: Compare With Model');
    await pr.pickItem(page, /Compare .* With/, 'default');
    const item = await lens.until(
      async () => (await w.readStatusBar(page)).find((t) => /compared with default · [+−]\d+\.\d\d bits\/char/.test(t)),
      'the comparison in the status bar',
      90_000,
    );
    // The bundled model knows this code far better than a 1 × 32 RNN trained for seconds: A − B is positive.
    assert.match(item, /· \+\d+\.\d\d bits\/char/);
    await lens.until(async () => (await lens.colouredChars(page)) > 50, 'the difference drawn', 45_000);
    await w.screenshot(page, '90-compare');
    const hover = await lens.hoverOnLine(page, 'export class Counter<T> {', 3);
    assert.match(hover, /LSTM Lens comparison compared with default/);
    assert.match(hover, /\d+\.\d\d → \d+\.\d\d bits \([+−]\d+\.\d\d\) · A \(active\) → B/);
    await w.runCommand(page, 'LSTM Lens: Show Panel');
    const frame = w.webviewFrame(page);
    await frame.locator('#intervention-changed tr[data-offset]').first().waitFor({ timeout: 30_000 });
    assert.match((await frame.locator('#intervention-changed th').allTextContents()).join('|'), /A \(active\)\|B/);
    await w.runCommand(page, 'LSTM Lens: End Comparison');
    await lens.until(
      async () => !(await w.readStatusBar(page)).some((t) => /compared with/.test(t)),
      'the comparison gone',
      30_000,
    );
  });

  it('trains an RNN, a GRU and an LSTM with the same budget in one command', async () => {
    const { page, userDataDir, extensionId } = session();
    const before = storedModels(userDataDir, extensionId);
    await pr.startCommand(page, 'LSTM Lens: Train Model on Workspace');
    await pr.pickItem(page, /Train Model on Workspace/, 'RNN vs GRU vs LSTM');
    await pr.answerInput(page, /RNN vs GRU vs LSTM/, '30 steps');
    const text = await pr.dialogText(page, /Train on/);
    assert.match(
      text,
      /Models, one after the other: 1 layer × 128 RNN, .*30 steps; 1 layer × 128 GRU, .*; 1 layer × 128 LSTM, /,
    );
    await pr.clickDialogButton(page, 'Train');
    const done = await w.waitForNotification(page, /Trained 3 of 3 models with the same budget/, 180_000);
    assert.match(done, /held-out bits\/char: RNN [\d.]+, GRU [\d.]+, LSTM [\d.]+\. Compare them/);
    await w.screenshot(page, '90-trio');
    const added = storedModels(userDataDir, extensionId).filter((f) => !before.includes(f));
    const kinds = [];
    for (const f of added) kinds.push((await readModelFile(f)).layers[0].kind);
    assert.deepStrictEqual(kinds.sort(), ['gru', 'lstm', 'rnn']);
    assert.ok(
      added.every((f) => /workspace-trio-(rnn|gru|lstm)-/.test(path.basename(f))),
      JSON.stringify(added),
    );
  });

  it('the training view shows each feature’s best cell score as training went, and opens a kept snapshot', async () => {
    const { page } = session();
    await w.runCommand(page, 'LSTM Lens: Show Panel');
    const frame = w.webviewFrame(page);
    const chart = frame.locator('#training-cells-chart');
    await lens.until(
      async () => Number((await chart.getAttribute('data-points')) ?? 0) >= 5,
      'the formation chart of the last run',
      30_000,
    );
    assert.ok(((await chart.getAttribute('data-series')) ?? '').length > 0, 'features charted');
    const buttons = frame.locator('#training-snapshots button.snapshot');
    const n = await buttons.count();
    assert.ok(n >= 2 && n <= 8, `${n} snapshots kept`);
    await chart.scrollIntoViewIfNeeded();
    await w.screenshot(page, '90-cells-forming');
    const step = await buttons.first().getAttribute('data-step');
    await buttons.first().click();
    await lens.until(
      async () =>
        (await w.readStatusBar(page)).some((t) => new RegExp(`workspace-trio-lstm-[\\d-]+-step-${step}`).test(t)),
      `the status bar naming the snapshot at step ${step}`,
      60_000,
    );
  });
});
