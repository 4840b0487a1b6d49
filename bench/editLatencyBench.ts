// Edit → colours, through the analysis worker exactly as the extension host
// drives it (src/extension/editor/colouring.ts, lensController.ts): the host sends
// the edit at once, the worker re-runs and pushes the visible range's values.
// Timed from posting the edit to receiving the push for that version with
// every on-screen character current. The screen is 50 lines with the edit in
// the middle, plus the host's scroll margin of 12 lines each side, in a
// 5,000-line file, with the bundled (trained) model.
//
// Rows: the reference (1 thread, the push waits for the margin too: the
// engine without the urgent lane) and the engine as shipped; each for
// random one-character edits (waiting for the pass to finish in between) and
// for typing on one line at 9 characters per second.
// Usage: node out/bench/editLatencyBench.js [--quick] [--only=random|typing]

import * as path from 'path';
import { WorkerHandle } from '../src/extension/workers/workerHandle';
import { AnalysisClient } from '../src/extension/workers/analysisClient';
import type { EngineOptions, VisibleValuesMessage } from '../src/protocol/analysisProtocol';
import { benchText, median, pct } from './inferenceBenchKit';

const quick = process.argv.includes('--quick');
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
    await this.client.call('loadModel', { path: MODEL, options });
    await this.client.call('select', {
      selection: { cells: [{ layer: 0, cell: 5, signals: ['c'] }], surprisal: false },
    });
    await this.client.call('setDocument', { text, version: 1 });
    await this.idle();
  }

  async idle(): Promise<void> {
    while (this.finished !== this.version) await sleep(5);
  }

  /** What colouring.ts sends: the margin range, and the screen unless `screenFirst` is off. */
  async show(text: string, firstLine: number, screenFirst: boolean): Promise<void> {
    const start = lineOffset(text, Math.max(0, firstLine - MARGIN));
    const end = lineOffset(text, firstLine + SCREEN + MARGIN);
    const view = screenFirst
      ? { viewStart: lineOffset(text, firstLine), viewEnd: lineOffset(text, firstLine + SCREEN) }
      : {};
    await this.client.call('setVisible', { version: this.version, start, end, ...view });
  }

  /** Posts one edit; resolves with ms until the push for it has [viewStart, viewEnd) current, or -1 if a newer edit came first. */
  edit(offset: number, length: number, inserted: string, viewStart: number, viewEnd: number): Promise<number> {
    const version = ++this.version;
    const t0 = performance.now();
    return new Promise((resolve) => {
      const w = (m: VisibleValuesMessage): void => {
        const v = m.values;
        if (v.version > version) return done(-1);
        if (v.version !== version) return;
        for (let i = 0; i + 1 < v.offsets.length; i++)
          if (v.offsets[i + 1] > viewStart && v.offsets[i] < viewEnd && !v.valid[i]) return;
        done(performance.now() - t0);
      };
      const done = (ms: number): void => {
        this.waiters = this.waiters.filter((x) => x !== w);
        resolve(ms);
      };
      this.waiters.push(w);
      void this.client.call('edit', { version, changes: [{ offset, length, text: inserted }] }).catch(() => done(-1));
    });
  }

  async close(): Promise<void> {
    await this.worker.stop();
  }
}

async function randomEdits(options: EngineOptions, screenFirst: boolean, lines: string[]): Promise<number[]> {
  let text = lines.join('\n');
  const h = new Harness();
  await h.open(options, text);
  let seed = 7;
  const rand = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const times: number[] = [];
  for (let e = 0; e < (quick ? 20 : 60); e++) {
    const line = 2000 + Math.floor(rand() * 1000);
    await h.show(text, line - SCREEN / 2, screenFirst);
    const at = lineOffset(text, line) + Math.floor(rand() * 20);
    const insert = rand() < 0.5 || text[at] === '\n';
    const viewStart = lineOffset(text, line - SCREEN / 2);
    const viewEnd = lineOffset(text, line + SCREEN / 2) + (insert ? 1 : -1);
    const ms = await h.edit(at, insert ? 0 : 1, insert ? 'x' : '', viewStart, viewEnd);
    text = insert ? text.slice(0, at) + 'x' + text.slice(at) : text.slice(0, at) + text.slice(at + 1);
    times.push(ms);
    await h.idle();
  }
  await h.close();
  return times;
}

async function typing(options: EngineOptions, screenFirst: boolean, lines: string[]): Promise<number[]> {
  let text = lines.join('\n');
  const h = new Harness();
  await h.open(options, text);
  const line = 2500;
  await h.show(text, line - SCREEN / 2, screenFirst);
  const pending: Promise<number>[] = [];
  for (let k = 0; k < (quick ? 30 : 90); k++) {
    const at = lineOffset(text, line) + 4 + k;
    const viewStart = lineOffset(text, line - SCREEN / 2);
    const viewEnd = lineOffset(text, line + SCREEN / 2) + 1;
    pending.push(h.edit(at, 0, 'x', viewStart, viewEnd));
    text = text.slice(0, at) + 'x' + text.slice(at);
    // The host re-sends the visible range after its scroll debounce (80 ms).
    setTimeout(() => void h.show(text, line - SCREEN / 2, screenFirst).catch(() => undefined), 80);
    await sleep(TYPING_MS);
  }
  const times = await Promise.all(pending);
  await h.close();
  return times;
}

function row(label: string, times: number[]): void {
  if (process.env.BENCH_DETAIL) console.log(times.map((t) => t.toFixed(0)).join(' '));
  const done = times.filter((t) => t >= 0);
  const missed = times.length - done.length;
  // A keystroke whose colours were overtaken by the next one counts as the typing interval.
  const all = times.map((t) => (t < 0 ? TYPING_MS : t));
  console.log(
    `| ${label} | ${times.length} | ${pct(all, 0.5).toFixed(1)} | ${pct(all, 0.95).toFixed(1)} | ${Math.max(...all).toFixed(1)} | ${missed} | ${median(done).toFixed(1)} |`,
  );
}

export async function editLatency(): Promise<void> {
  const lines = benchText(400_000).split('\n').slice(0, 5000);
  console.log(
    `\n## Edit → colours pushed by the analysis worker (screen ${SCREEN} lines + margin ${MARGIN}, 5,000-line file, default.onnx)`,
  );
  console.log('| case | edits | p50 ms | p95 ms | max ms | overtaken by the next keystroke | p50 of the rest |');
  console.log('|---|---|---|---|---|---|---|');
  const reference: EngineOptions = { urgentThreads: 1 };
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7); // random | typing
  const rate = Math.round(1000 / TYPING_MS);
  if (only !== 'typing') {
    row('random edits, reference: 1 thread, push waits for the margin', await randomEdits(reference, false, lines));
    row('random edits, urgent lane, screen first', await randomEdits({}, true, lines));
  }
  if (only !== 'random') {
    row(`typing (${rate} chars/s), reference`, await typing(reference, false, lines));
    row(`typing (${rate} chars/s), urgent lane, screen first`, await typing({}, true, lines));
  }
}

if (require.main === module) {
  editLatency().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
