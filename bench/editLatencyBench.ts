// Edit → colours, through the analysis worker exactly as the extension host
// drives it (src/extension/editor/colouring.ts, lensController.ts): the host sends
// the edit at once, the worker re-runs and pushes the visible range's values.
// Timed from posting the edit to receiving (1) the push with the edited line
// current (the worker paints from the edit outward, the rest of the screen
// keeps its old colours meanwhile), (2) the first paint of the whole screen
// with the edit's effect: every on-screen character current or drafted (the
// int8 draft pass, passScheduler.ts) and (3) the push with every on-screen
// character current (exact). The screen is 50 lines with the edit in the middle,
// plus the host's scroll margin of 12 lines each side, in a 5,000-line file,
// with the bundled (trained) model.
//
// Reference, measured in the same run after each case: the bare onnxruntime
// LSTM op (Gather + LSTM, h only; the faster of 1 thread and the urgent
// lane's 2 spinning threads) over the characters that must be recomputed for
// each edit: from the edit point to the end of the screen, in one run.
// Cases: random one-character edits (waiting for the pass to finish in
// between), typing on one line at 9 characters per second, and opening a
// file (setDocument, then its top shown; the reference is the screen from
// the file's start).
// The ratio to the reference is given for the first paint and for exact values.
// Usage: node out/bench/editLatencyBench.js [--quick] [--only=random|typing|open] [--no-draft] [--urgent-threads=N]

import * as path from 'path';
import { readModelFile } from '../src/core/model/modelFile';
import { Vocabulary } from '../src/core/model/vocab';
import { WorkerHandle } from '../src/worker/workerHandle';
import { AnalysisClient } from '../src/extension/workers/analysisClient';
import type { EngineOptions, VisibleValuesMessage } from '../src/protocol/analysisProtocol';
import { VALUE_CURRENT, VALUE_DRAFT } from '../src/protocol/analysisProtocol';
import { bareRunner, benchText, median, pct } from './inferenceBenchKit';
import { benchHeader } from './benchHeader';

const quick = process.argv.includes('--quick');
const noDraft = process.argv.includes('--no-draft');
const urgentArg = process.argv.find((a) => a.startsWith('--urgent-threads='));
const urgentThreads = urgentArg ? Number(urgentArg.slice(17)) : undefined;
const WORKER = path.resolve(__dirname, '../src/worker/analysisWorker.js');
const MODEL = path.resolve(__dirname, '../../media/models/default.onnx');
const SCREEN = 50;
const MARGIN = 12;
const TYPING_MS = 110;

const sleep = (ms: number): Promise<void> => new Promise((res) => setTimeout(res, ms));

/** UTF-16 offset of the start of line `n` (0-based; n = line count gives the text length). */
function lineOffset(text: string, n: number): number {
  let o = 0;
  for (let i = 0; i < n; i++) {
    const nl = text.indexOf('\n', o);
    if (nl < 0) return text.length;
    o = nl + 1;
  }
  return o;
}

class Harness {
  private readonly worker = new WorkerHandle(WORKER);
  private readonly client = new AnalysisClient(this.worker.worker);
  private waiters: ((m: VisibleValuesMessage) => void)[] = [];
  private finished = 0;
  version = 1;

  constructor() {
    this.client.onEvent = (m) => {
      if (m.kind === 'values') for (const w of this.waiters) w(m);
      else if (m.kind === 'progress' && m.finished) this.finished = m.version;
      else if (m.kind === 'error') console.error(`worker error: ${m.error}`);
    };
  }

  async open(options: EngineOptions, text: string): Promise<void> {
    const engine: EngineOptions = {
      ...options,
      ...(noDraft ? { draftMin: 0 } : {}),
      ...(urgentThreads ? { urgentThreads } : {}),
    };
    await this.client.call('loadModel', { path: MODEL, options: engine });
    await this.client.call('select', {
      selection: { cells: [{ layer: 0, cell: 5, signals: ['c'] }], surprisal: false },
    });
    await this.client.call('setDocument', { text, version: 1 });
    await this.idle();
  }

  async idle(): Promise<void> {
    while (this.finished !== this.version) await sleep(5);
  }

  /** What colouring.ts sends: the margin range and the screen inside it. */
  async show(text: string, firstLine: number): Promise<void> {
    const start = lineOffset(text, Math.max(0, firstLine - MARGIN));
    const end = lineOffset(text, firstLine + SCREEN + MARGIN);
    const [viewStart, viewEnd] = [lineOffset(text, firstLine), lineOffset(text, firstLine + SCREEN)];
    await this.client.call('setVisible', { version: this.version, start, end, viewStart, viewEnd });
  }

  /**
   * Posts one edit; resolves with ms until the push for it has the edited
   * line [lineStart, lineEnd) current, until [viewStart, viewEnd) is painted
   * (current or drafted) and until it is current; -1 each if a newer edit
   * came first.
   */
  edit(
    offset: number,
    length: number,
    inserted: string,
    view: [number, number],
    line: [number, number],
  ): Promise<Times> {
    const version = ++this.version;
    return this.timed(version, view, line, () =>
      this.client.call('edit', { version, changes: [{ offset, length, text: inserted }] }),
    );
  }

  /**
   * Shows a new document as the host does when an editor opens: setDocument,
   * then the visible range at its top. Resolves with ms until its screen
   * [0, viewEnd) is painted and until it is current (`line` is -1).
   */
  openDocument(text: string, viewEnd: number): Promise<Times> {
    const version = ++this.version;
    return this.timed(version, [0, viewEnd], null, async () => {
      await this.client.call('setDocument', { text, version });
      await this.show(text, 0);
    });
  }

  /** Times the pushes for `version` after `send()`; see edit(). */
  private timed(
    version: number,
    view: [number, number],
    line: [number, number] | null,
    send: () => Promise<unknown>,
  ): Promise<Times> {
    const t0 = performance.now();
    let lineMs = -1;
    let paintMs = -1;
    const all = (v: VisibleValuesMessage['values'], [a, b]: [number, number], ok: (x: number) => boolean): boolean => {
      for (let i = 0; i + 1 < v.offsets.length; i++)
        if (v.offsets[i + 1] > a && v.offsets[i] < b && !ok(v.valid[i])) return false;
      return true;
    };
    const current = (x: number): boolean => x === VALUE_CURRENT;
    const painted = (x: number): boolean => x === VALUE_CURRENT || x === VALUE_DRAFT;
    return new Promise((resolve) => {
      const w = (m: VisibleValuesMessage): void => {
        const v = m.values;
        if (v.version > version) return done(-1);
        if (v.version !== version) return;
        const ms = performance.now() - t0;
        if (line && lineMs < 0 && all(v, line, current)) lineMs = ms;
        if (paintMs < 0 && all(v, view, painted)) paintMs = ms;
        if (all(v, view, current)) done(ms);
      };
      const done = (ms: number): void => {
        this.waiters = this.waiters.filter((x) => x !== w);
        resolve({ line: lineMs, paint: ms < 0 ? -1 : paintMs, screen: ms });
      };
      this.waiters.push(w);
      void send().catch(() => done(-1));
    });
  }

  async close(): Promise<void> {
    await this.worker.stop();
  }
}

/** ms from posting an edit, -1 if overtaken by the next one. */
interface Times {
  line: number; // to the edited line current
  paint: number; // to the screen painted with the edit's effect: current or drafted
  screen: number; // to the screen current
}

/** One edit's times and what the bare reference must recompute for it. */
interface EditTiming extends Times {
  recompute: string; // the text from the edit point to the end of the screen
}

/** Start and end (past its newline) of the line holding offset `at`. */
function lineAround(text: string, at: number): [number, number] {
  const end = text.indexOf('\n', at);
  return [text.lastIndexOf('\n', at - 1) + 1, end < 0 ? text.length : end + 1];
}

async function randomEdits(lines: string[]): Promise<EditTiming[]> {
  let text = lines.join('\n');
  const h = new Harness();
  await h.open({}, text);
  let seed = 7;
  const rand = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const out: EditTiming[] = [];
  for (let e = 0; e < (quick ? 20 : 60); e++) {
    const line = 2000 + Math.floor(rand() * 1000);
    await h.show(text, line - SCREEN / 2);
    const at = lineOffset(text, line) + Math.floor(rand() * 20);
    const insert = rand() < 0.5 || text[at] === '\n';
    text = insert ? text.slice(0, at) + 'x' + text.slice(at) : text.slice(0, at) + text.slice(at + 1);
    const view: [number, number] = [lineOffset(text, line - SCREEN / 2), lineOffset(text, line + SCREEN / 2)];
    const t = await h.edit(at, insert ? 0 : 1, insert ? 'x' : '', view, lineAround(text, at));
    out.push({ ...t, recompute: text.slice(at, view[1]) });
    await h.idle();
  }
  await h.close();
  return out;
}

async function typing(lines: string[]): Promise<EditTiming[]> {
  let text = lines.join('\n');
  const h = new Harness();
  await h.open({}, text);
  const line = 2500;
  await h.show(text, line - SCREEN / 2);
  const pending: Promise<Times>[] = [];
  const recompute: string[] = [];
  for (let k = 0; k < (quick ? 30 : 90); k++) {
    const at = lineOffset(text, line) + 4 + k;
    text = text.slice(0, at) + 'x' + text.slice(at);
    const view: [number, number] = [lineOffset(text, line - SCREEN / 2), lineOffset(text, line + SCREEN / 2)];
    pending.push(h.edit(at, 0, 'x', view, lineAround(text, at)));
    recompute.push(text.slice(at, view[1]));
    // The host re-sends the visible range after its scroll debounce (80 ms).
    const now = text;
    setTimeout(() => void h.show(now, line - SCREEN / 2).catch(() => undefined), 80);
    await sleep(TYPING_MS);
  }
  const times = await Promise.all(pending);
  await h.close();
  return times.map((t, k) => ({ ...t, recompute: recompute[k] }));
}

/**
 * Opening files: each a 2,000-line file that shares no first line with the
 * one before (as switching editors does), shown at its top. What must be
 * recomputed for the first paint: the screen, from the file's start.
 */
async function opens(lines: string[]): Promise<EditTiming[]> {
  const h = new Harness();
  await h.open({}, lines.slice(0, 2000).join('\n'));
  const out: EditTiming[] = [];
  for (let k = 1; k <= (quick ? 6 : 20); k++) {
    const text = lines.slice(k * 97, k * 97 + 2000).join('\n');
    const viewEnd = lineOffset(text, SCREEN);
    const t = await h.openDocument(text, viewEnd);
    out.push({ ...t, recompute: text.slice(0, viewEnd) });
    await h.idle();
  }
  await h.close();
  return out;
}

/** Bare onnxruntime ms for each edit's recomputed characters: the faster of its two settings, each the median of 3. */
async function bareTimes(edits: EditTiming[]): Promise<number[]> {
  const model = await readModelFile(MODEL);
  const vocab = new Vocabulary(model.vocab);
  const runners = [await bareRunner(model, 1), await bareRunner(model, 2, true)];
  const idsOf = (s: string): Int32Array => Int32Array.from(s, (ch) => vocab.idOf(ch.codePointAt(0)!));
  for (const run of runners) await run(idsOf(edits[0].recompute), 1 << 20); // sessions warm
  const out: number[] = [];
  for (const e of edits) {
    const ids = idsOf(e.recompute);
    const perSetting: number[] = [];
    for (const run of runners) {
      const reps: number[] = [];
      for (let rep = 0; rep < 3; rep++) {
        const t0 = performance.now();
        await run(ids, ids.length);
        reps.push(performance.now() - t0);
      }
      perSetting.push(median(reps));
    }
    out.push(Math.min(...perSetting));
  }
  return out;
}

interface CaseResult {
  paintP95: number;
  screenP95: number;
  lineP95: number;
  bareP95: number;
}

// A keystroke whose colours were overtaken by the next one counts as the typing interval.
const overtaken = (ms: number): number => (ms < 0 ? TYPING_MS : ms);

/** One table row; `hasLine`: the case has an edited line to time. */
async function row(label: string, edits: EditTiming[], hasLine = true): Promise<CaseResult> {
  const bare = await bareTimes(edits);
  const paint = edits.map((e) => overtaken(e.paint));
  const screen = edits.map((e) => overtaken(e.screen));
  const line = edits.map((e) => overtaken(e.line));
  const chars = edits.map((e) => [...e.recompute].length);
  if (process.env.BENCH_DETAIL)
    console.log(
      edits
        .map((e, k) => `${e.line.toFixed(0)}/${e.paint.toFixed(0)}/${e.screen.toFixed(0)}/${bare[k].toFixed(0)}`)
        .join(' '),
    );
  const r: CaseResult = {
    paintP95: pct(paint, 0.95),
    screenP95: pct(screen, 0.95),
    lineP95: pct(line, 0.95),
    bareP95: pct(bare, 0.95),
  };
  const p50p95 = (xs: number[], p95: number): string => `${pct(xs, 0.5).toFixed(1)} / ${p95.toFixed(1)}`;
  console.log(
    `| ${label} | ${edits.length} | ${median(chars)} | ${hasLine ? p50p95(line, r.lineP95) : '–'} | ${p50p95(paint, r.paintP95)} | ` +
      `${p50p95(screen, r.screenP95)} / ${Math.max(...screen).toFixed(1)} | ${p50p95(bare, r.bareP95)} | ` +
      `${(r.paintP95 / r.bareP95).toFixed(2)}× | ${(r.screenP95 / r.bareP95).toFixed(2)}× | ` +
      `${edits.filter((e) => e.screen < 0).length} |`,
  );
  return r;
}

export async function editLatency(): Promise<void> {
  const lines = benchText(400_000).split('\n').slice(0, 5000);
  console.log(benchHeader('edit latency bench'));
  console.log(
    `\n## Edit → colours pushed by the analysis worker (screen ${SCREEN} lines + margin ${MARGIN}, 5,000-line file, default.onnx${noDraft ? ', drafts off' : ''})`,
  );
  console.log(
    '| case | edits | chars recomputed (median) | edited line p50 / p95 ms | screen painted (current or draft) p50 / p95 ms | screen exact p50 / p95 / max ms | bare onnxruntime p50 / p95 ms | painted p95 / bare p95 | exact p95 / bare p95 | overtaken by the next keystroke |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7); // random | typing | open
  const runs = (name: string): boolean => !only || only === name;
  const rate = Math.round(1000 / TYPING_MS);
  const random = runs('random') ? await row('random edits', await randomEdits(lines)) : undefined;
  const typed = runs('typing') ? await row(`typing (${rate} chars/s)`, await typing(lines)) : undefined;
  const opened = runs('open') ? await row('opening a file (screen at its top)', await opens(lines), false) : undefined;
  const both = (f: (r: CaseResult) => string): string =>
    `random ${random ? f(random) : 'not run'}, typing ${typed ? f(typed) : 'not run'}`;
  const ms = (v: number): string => `${v.toFixed(1)} ms`;
  console.log(
    `edit p95: ${both((r) => ms(r.paintP95))} (the screen painted with the edit's effect; ` +
      `reference: bare onnxruntime over the recomputed characters, ${both((r) => ms(r.bareP95))}; ` +
      `ratios ${both((r) => `${(r.paintP95 / r.bareP95).toFixed(2)}×`)} (goal ≤ 1.2×); ` +
      `exact values ${both((r) => `${ms(r.screenP95)}, ${(r.screenP95 / r.bareP95).toFixed(2)}×`)}; ` +
      `edited line ${both((r) => ms(r.lineP95))} (goal ≤ 16 ms))`,
  );
  if (opened)
    console.log(
      `open p95: screen painted ${ms(opened.paintP95)}, exact ${ms(opened.screenP95)} ` +
        `(reference: bare onnxruntime over the screen from the file's start, ${ms(opened.bareP95)}; ` +
        `ratios ${(opened.paintP95 / opened.bareP95).toFixed(2)}× painted, ${(opened.screenP95 / opened.bareP95).toFixed(2)}× exact)`,
    );
}

if (require.main === module) {
  editLatency().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
