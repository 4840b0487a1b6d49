import * as assert from 'assert';
import type { Signal } from '../../../../src/core/model/types';
import { DocumentAnalysis } from '../../../../src/core/inference/documentAnalysis';
import { TYPING_SLICE, URGENT_SPAN } from '../../../../src/core/inference/passScheduler';
import type { Lane } from '../../../../src/core/inference/modelRunner';
import type { ProgressEvent } from '../../../../src/core/inference/passScheduler';
import type { Selection } from '../../../../src/core/inference/cellSelection';
import { randomModel, randomText } from '../../../helpers/randomModel';
import { checkTensor } from '../../../helpers/tensorCheck';
import { seededRandom as rng } from '../../../../src/core/util/seededRandom';

const model = randomModel({
  layers: [
    { kind: 'lstm', hidden: 16 },
    { kind: 'lstm', hidden: 12 },
  ],
  embedding: 8,
  seed: 9,
});
const SEL: Selection = {
  cells: [
    { layer: 0, cell: 2, signals: ['h', 'c', 'i'] as Signal[] },
    { layer: 1, cell: 7, signals: ['c', 'o', 'g'] as Signal[] },
  ],
  surprisal: true,
};

async function fresh(text: string, sel = SEL): Promise<DocumentAnalysis> {
  const d = new DocumentAnalysis(model, { checkpointEvery: 32 });
  d.setSelection(sel);
  d.setText(text, 1);
  await d.idle();
  return d;
}

async function expectSameAsFresh(doc: DocumentAnalysis, label: string, sel = SEL): Promise<void> {
  const ref = await fresh(doc.text, sel);
  assert.ok(doc.isReady(0, doc.ids.length), `${label}: not ready`);
  for (const [key, v] of ref.store.series) checkTensor(doc.store.series.get(key)!, v, 1e-4, `${label} ${key}`);
  if (sel.surprisal) checkTensor(doc.store.surprisal!, ref.store.surprisal!, 1e-4, `${label} surprisal`);
  await ref.dispose();
}

describe('incremental analysis', () => {
  it('after random edits equals a fresh analysis of the new text, and re-runs only near the edit', async () => {
    const rand = rng(21);
    let text = randomText(3, 3000);
    const doc = await fresh(text);
    let recomputed = 0;
    doc.onProgress = (e: ProgressEvent) => (recomputed += e.to - e.from);
    const pieces = ['x', '', '\r\n', '😀', 'abc def', '\t'];
    for (let k = 0; k < 12; k++) {
      const at = k === 0 ? 0 : k === 1 ? text.length : Math.floor(rand() * text.length);
      const del = k % 3 === 0 ? Math.floor(rand() * 5) : 0;
      const safeAt = /[\udc00-\udfff]/.test(text[at] ?? '') ? at - 1 : at; // never split a surrogate pair
      const end = Math.min(text.length, safeAt + del);
      const safeEnd = /[\udc00-\udfff]/.test(text[end] ?? '') ? end + 1 : end;
      text = text.slice(0, safeAt) + pieces[k % pieces.length] + text.slice(safeEnd);
      recomputed = 0;
      doc.setText(text, k + 2);
      await doc.idle();
      await expectSameAsFresh(doc, `edit ${k} at ${safeAt}`);
      // The re-run converged back onto the old trajectory well before the end.
      assert.ok(recomputed < 400, `edit ${k}: recomputed ${recomputed} of ${doc.ids.length} characters`);
    }
    await doc.dispose();
  });

  it('applyChange (editor-style UTF-16 changes) gives the same result as a fresh analysis', async () => {
    const rand = rng(5);
    let text = randomText(13, 2000).replace(/\n/g, '\r\n');
    const doc = await fresh(text);
    const inserts = ['\n', 'q', '', '\r', '😀', 'if (a) {\r\n}'];
    for (let k = 0; k < 10; k++) {
      const offset = Math.floor(rand() * text.length);
      const removed = k % 2 ? Math.min(3, text.length - offset) : 0;
      const inserted = inserts[k % inserts.length];
      text = text.slice(0, offset) + inserted + text.slice(offset + removed);
      doc.applyChange(offset, removed, inserted, k + 2);
      // A screen around the edit on odd edits: the urgent lane, the line-start split and the stop at its end.
      const at = doc.ids.length > 0 ? Math.min(doc.ids.length, Math.max(0, offset - 300)) : 0;
      if (k % 2) doc.setVisible(at, at + 500, [Math.max(0, at - 100), at + 700]);
      if (k % 3 === 2) continue; // let some edits pile up before the pass finishes
      await doc.idle();
      assert.strictEqual(doc.text, text);
      await expectSameAsFresh(doc, `change ${k} at ${offset}`);
    }
    await doc.idle();
    await expectSameAsFresh(doc, 'last change');
    await doc.dispose();
  });

  it('a newer version cancels older work and the result matches the newest text', async () => {
    const base = randomText(4, 2000);
    const doc = await fresh(base);
    const versions = [
      base.slice(0, 10) + 'zzz' + base.slice(10),
      'hello\n' + base,
      base.slice(0, 1500),
      base.slice(0, 1500) + ' x',
    ];
    versions.forEach((t, i) => doc.setText(t, i + 2)); // no awaits in between
    await doc.idle();
    assert.strictEqual(doc.version, 5);
    await expectSameAsFresh(doc, 'after rapid versions');
    await doc.dispose();
  });

  it('recomputes the visible range first after a selection change', async () => {
    const doc = await fresh(randomText(6, 3000));
    const events: ProgressEvent[] = [];
    doc.onProgress = (e) => events.push(e);
    doc.setVisible(2000, 2100);
    const sel: Selection = { cells: [{ layer: 1, cell: 1, signals: ['f'] as Signal[] }], surprisal: false };
    doc.setSelection(sel);
    await doc.idle();
    assert.ok(events[0].from <= 2000 && events[0].to > 2000, `first recomputed ${events[0].from}..${events[0].to}`);
    assert.ok(doc.isReady(0, doc.ids.length));
    await expectSameAsFresh(doc, 'new selection', sel);
    await doc.dispose();
  });

  it('a new visible range mid-pass is made current next, before the rest of the pass', async () => {
    const doc = await fresh(randomText(6, 6000));
    const events: ProgressEvent[] = [];
    doc.onProgress = (e) => events.push({ ...e });
    // A new selection makes every value stale: the pass refills from the top.
    doc.setSelection({ cells: [{ layer: 0, cell: 3, signals: ['h'] as Signal[] }], surprisal: false });
    await new Promise<void>((res) => {
      doc.onProgress = (e) => {
        events.push({ ...e });
        res();
      };
    });
    doc.onProgress = (e) => events.push({ ...e });
    const n = events.length;
    doc.setVisible(5000, 5100);
    await doc.idle();
    const after = events.slice(n);
    assert.ok(
      after[0].from <= 5000 && after[0].to > 5000,
      `first recomputed after the jump: ${after[0].from}..${after[0].to}`,
    );
    assert.ok(doc.isReady(0, doc.ids.length));
    await expectSameAsFresh(doc, 'after the jump', {
      cells: [{ layer: 0, cell: 3, signals: ['h'] as Signal[] }],
      surprisal: false,
    });
    await doc.dispose();
  });

  it('typing: the visible range is re-run first on the urgent lane, from the edited line, and equals a fresh analysis', async () => {
    // Lines of 40 characters; tolerance -1 never converges (like a trained
    // model), so every keystroke re-runs to the end of the text.
    const lines = Array.from(
      { length: 120 },
      (_, i) => `line ${String(i).padStart(3, '0')} ` + 'abcdefghij klmnopqrs tuvwxyz'.slice(0, 30),
    );
    let text = lines.join('\n');
    const doc = new DocumentAnalysis(model, { checkpointEvery: 128, partsPerRun: 4, tolerance: -1, urgentThreads: 2 });
    doc.setSelection(SEL);
    doc.setText(text, 1);
    await doc.idle();
    const lanes: { from: number; length: number; lane: Lane }[] = [];
    const run = doc.runner.runSegment.bind(doc.runner);
    doc.runner.runSegment = (ids, state, rows, options = {}) => {
      lanes.push({ from: ids.byteOffset / 4, length: ids.length, lane: options.lane ?? 'background' });
      return run(ids, state, rows, options);
    };
    const lineStart = lines.slice(0, 60).join('\n').length + 1; // line 60
    const visEnd = lines.slice(0, 80).join('\n').length;
    for (let k = 0; k < 6; k++) {
      const at = lineStart + 12 + k;
      text = text.slice(0, at) + 'Z' + text.slice(at);
      const events: ProgressEvent[] = [];
      doc.onProgress = (e) => events.push({ ...e });
      lanes.length = 0;
      doc.applyChange(at, 0, 'Z', k + 2);
      doc.setVisible(lineStart - 400, visEnd + k + 1);
      let readyAt = -1;
      doc.onProgress = (e) => {
        events.push({ ...e });
        if (readyAt < 0 && doc.isReady(lineStart - 400, visEnd + k + 1)) readyAt = events.length;
      };
      await doc.idle();
      // The visible range was current before the pass reached the end of the text.
      assert.ok(
        readyAt > 0 && events[readyAt - 1].stateFrontier < doc.ids.length,
        `keystroke ${k}: visible range current at event ${readyAt} of ${events.length}`,
      );
      // Its runs were urgent and stopped at the visible end; the rest ran in the background.
      const urgent = lanes.filter((r) => r.lane === 'urgent');
      assert.ok(
        urgent.length > 0 && urgent.every((r) => r.from + r.length <= visEnd + k + 1),
        `keystroke ${k}: urgent runs ${JSON.stringify(urgent)}`,
      );
      assert.ok(
        lanes.some((r) => r.lane === 'background' && r.from >= visEnd),
        `keystroke ${k}: background runs after the visible range`,
      );
      // After the first keystroke the re-run starts at the edited line's start (a checkpoint put there).
      if (k > 0)
        assert.strictEqual(
          events[0].from,
          lineStart,
          `keystroke ${k}: re-run started at ${events[0].from}, line starts at ${lineStart}`,
        );
      // Edits leave checkpoints off the grid (line starts, the visible end), yet runs stay about N long:
      // only the line-start split, the visible end and the end of the text may cut one short.
      const short = lanes.filter((r) => r.length < 64);
      assert.ok(short.length <= 3, `keystroke ${k}: short runs ${JSON.stringify(short)} of ${lanes.length}`);
      await expectSameAsFresh(doc, `keystroke ${k}`);
    }
    assert.ok(URGENT_SPAN >= 4096);
    await doc.dispose();
  });

  it('drafts the rest of the screen once the edited line is exact; exact values replace the draft and equal a fresh analysis', async () => {
    const lines = Array.from({ length: 120 }, (_, i) => `line ${String(i).padStart(3, '0')} ` + 'abc def "ghi" (jk);');
    const text = lines.join('\n');
    const lineStart = lines.slice(0, 60).join('\n').length + 1; // line 60
    const lineEnd = lineStart + lines[60].length + 1;
    const [v0, v1] = [lineStart - 400, lines.slice(0, 90).join('\n').length];
    for (const draftMin of [undefined, 0]) {
      const doc = new DocumentAnalysis(model, { checkpointEvery: 64, partsPerRun: 4, tolerance: -1, draftMin });
      doc.setSelection(SEL);
      doc.setText(text, 1);
      doc.setVisible(v0, v1);
      await doc.idle();
      const drafts: { e: ProgressEvent; series: Map<string, Float32Array>; lineReady: boolean; screen: boolean }[] = [];
      doc.onProgress = (e) => {
        if (e.draft)
          drafts.push({
            e: { ...e },
            series: new Map(doc.draft!.series),
            lineReady: doc.isReady(lineStart, lineEnd),
            screen: doc.isDrafted(...doc.visible) && !doc.isReady(...doc.visible),
          });
      };
      doc.applyChange(lineStart + 7, 0, 'Z', 2);
      await doc.idle();
      if (draftMin === 0) {
        assert.strictEqual(drafts.length, 0, 'draftMin 0: no draft');
        await doc.dispose();
        continue;
      }
      assert.strictEqual(drafts.length, 1, `drafts: ${drafts.length}`);
      const { e, series, lineReady, screen } = drafts[0];
      assert.ok(lineReady, 'the edited line was exact before the draft');
      assert.ok(screen, 'the draft covered the rest of the screen, not yet exact');
      assert.ok(
        e.from >= lineEnd && e.from <= lineEnd + 64 && e.to === doc.visible[1],
        `draft over ${e.from}..${e.to}`,
      );
      // The draft approximates the exact values that replaced it.
      for (const [key, exact] of doc.store.series) {
        const d = series.get(key)!;
        assert.strictEqual(d.length, e.to - e.from);
        let sum = 0;
        for (let t = e.from; t < e.to; t++) sum += Math.abs(d[t - e.from] - exact[t]);
        assert.ok(sum / d.length < 0.05, `${key}: mean |draft - exact| ${sum / d.length}`);
      }
      await expectSameAsFresh(doc, 'after a drafted edit');
      // An edit drops the draft: it is of the text before.
      doc.applyChange(lineStart + 8, 0, 'Y', 3);
      assert.strictEqual(doc.draft, undefined);
      await doc.idle();
      await doc.dispose();
    }
  });

  it('drafts the first screen of a file just opened; exact values replace the draft and equal a fresh analysis', async () => {
    const lines = Array.from({ length: 120 }, (_, i) => `entry ${String(i).padStart(3, '0')} ` + 'xyz = "uvw" + [q];');
    const text = lines.join('\n');
    const v1 = lines.slice(0, 40).join('\n').length;
    for (const draftMin of [undefined, 0]) {
      const doc = new DocumentAnalysis(model, { checkpointEvery: 64, partsPerRun: 4, tolerance: -1, draftMin });
      await doc.warmUp(); // as the worker does at model load
      doc.setSelection(SEL);
      const events: { e: ProgressEvent; screen: boolean }[] = [];
      doc.onProgress = (e) => events.push({ e: { ...e }, screen: doc.isDrafted(0, v1) && !doc.isReady(0, v1) });
      doc.setText(text, 1);
      doc.setVisible(0, v1);
      await doc.idle();
      const onScreen = events.filter(({ e }) => e.from < v1);
      if (draftMin === 0) {
        assert.ok(onScreen.length > 0 && onScreen.every(({ e }) => !e.draft), 'draftMin 0: no draft');
      } else {
        // The first paint of the screen is one draft of all of it, before any exact value there.
        const first = onScreen[0];
        assert.ok(first.e.draft, `first paint: ${JSON.stringify(first.e)}`);
        assert.strictEqual(first.e.from, 0);
        assert.strictEqual(first.e.to, v1);
        assert.ok(first.screen, 'the draft covers the screen while no exact value is there yet');
        assert.strictEqual(onScreen.filter(({ e }) => e.draft).length, 1, 'one draft');
      }
      await expectSameAsFresh(doc, `opened (draftMin ${draftMin})`);
      await doc.dispose();
    }
  });

  it('runs stay about N long through a region full of off-grid checkpoints left by earlier edits', async () => {
    const lines = Array.from(
      { length: 120 },
      (_, i) => `row ${String(i).padStart(3, '0')} ` + 'abcdefghij klmnopqrs tuvwxyz'.slice(0, 30),
    );
    let text = lines.join('\n');
    // Typing slices off: this is about where runs end, not about slicing them while the user types.
    const doc = new DocumentAnalysis(model, { checkpointEvery: 128, partsPerRun: 4, tolerance: -1, typingSlice: 0 });
    doc.setSelection(SEL);
    doc.setText(text, 1);
    await doc.idle();
    const starts = (n: number): number => lines.slice(0, n).join('\n').length + (n > 0 ? 1 : 0);
    // One keystroke on each of lines 60..90: each leaves a checkpoint at its line start.
    let version = 2;
    for (let n = 60; n <= 90; n++) {
      const at = starts(n) + 12 + (n - 60);
      text = text.slice(0, at) + 'Y' + text.slice(at);
      doc.applyChange(at, 0, 'Y', version++);
      doc.setVisible(starts(n - 10), starts(n + 10));
      await doc.idle();
    }
    assert.ok(
      doc.checkpoints.list.length > text.length / 128 + 10,
      `${doc.checkpoints.list.length} checkpoints: the edits left extra ones`,
    );
    const runs: number[] = [];
    const run = doc.runner.runSegment.bind(doc.runner);
    doc.runner.runSegment = (ids, state, rows, options = {}) => {
      runs.push(ids.length);
      return run(ids, state, rows, options);
    };
    const at = starts(55) + 3;
    doc.applyChange(at, 0, 'Q', version);
    await doc.idle();
    const short = runs.filter((n) => n < 64);
    assert.ok(short.length <= 2, `short runs ${JSON.stringify(short)} of ${JSON.stringify(runs)}`);
    await expectSameAsFresh(doc, 'after the edits');
    await doc.dispose();
  });

  it('while the user types, background runs are sliced short with the state carried, and the result equals a fresh analysis', async () => {
    const lines = Array.from(
      { length: 150 },
      (_, i) => `item ${String(i).padStart(3, '0')} ` + 'abcdef ghij '.repeat(3),
    );
    const text = lines.join('\n');
    const doc = new DocumentAnalysis(model, { checkpointEvery: 128, partsPerRun: 4, tolerance: -1 });
    await doc.warmUp(); // as the worker does: sessions made and the draft checked before any edit
    doc.setSelection(SEL);
    doc.setText(text, 1);
    doc.setVisible(0, 600);
    await doc.idle();
    const before = doc.checkpoints.list.length;
    // Keystrokes on lines 20..40 first: each leaves an off-grid checkpoint at its line start.
    const starts = (n: number): number => lines.slice(0, n).join('\n').length + (n > 0 ? 1 : 0);
    for (let n = 20; n <= 40; n++) {
      doc.applyChange(starts(n) + 9, 0, 'V', n);
      await doc.idle();
    }
    const runs: { from: number; length: number; lane: Lane }[] = [];
    const run = doc.runner.runSegment.bind(doc.runner);
    doc.runner.runSegment = (ids, state, rows, options = {}) => {
      runs.push({ from: ids.byteOffset / 4, length: ids.length, lane: options.lane ?? 'background' });
      return run(ids, state, rows, options);
    };
    doc.applyChange(200, 0, 'W', 41);
    await doc.idle();
    const background = runs.filter((r) => r.lane === 'background');
    assert.ok(background.length > 10, `background runs: ${background.length}`);
    assert.ok(
      background.every((r) => r.length <= TYPING_SLICE),
      `background runs while typing: ${JSON.stringify(background.map((r) => r.length))}`,
    );
    // Slices continue from the carried state: no checkpoint at each slice end, and the grid stays.
    const steps = doc.checkpoints.list.map((c) => c.step);
    assert.ok(steps.length <= before + 25, `${steps.length} checkpoints after the edits, ${before} before`);
    const gaps = steps.slice(1).map((t, k) => t - steps[k]);
    assert.ok(Math.max(...gaps) <= 128 + 32, `checkpoint gaps ${JSON.stringify(gaps)}`);
    await expectSameAsFresh(doc, 'after sliced re-runs');
    await doc.dispose();
  });

  it('a converging model stops re-running soon after a one-character edit that shifted the checkpoint grid', async () => {
    const lines = Array.from(
      { length: 200 },
      (_, i) => `item ${String(i).padStart(3, '0')} ` + 'abc def(x); "q" {y}'.repeat(2),
    );
    let text = lines.join('\n');
    const doc = new DocumentAnalysis(model, { checkpointEvery: 256, partsPerRun: 4 });
    doc.setSelection(SEL);
    doc.setText(text, 1);
    await doc.idle();
    const rand = rng(77);
    for (let k = 0; k < 10; k++) {
      const at = 2000 + Math.floor(rand() * 4000);
      const del = k % 2 === 1;
      text = del ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + 'k' + text.slice(at);
      let recomputed = 0;
      doc.onProgress = (e) => (recomputed += e.draft ? 0 : e.to - e.from); // exact re-runs only
      doc.applyChange(at, del ? 1 : 0, del ? '' : 'k', k + 2);
      doc.setVisible(at - 800, at + 800);
      await doc.idle();
      // The re-run compares with the shifted (stale) checkpoints and stops at the first match.
      assert.ok(recomputed <= 2 * 256 + 64, `edit ${k} at ${at}: re-ran ${recomputed} characters`);
      await expectSameAsFresh(doc, `edit ${k}`);
    }
    await doc.dispose();
  });
});
