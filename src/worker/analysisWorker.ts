// Worker entry (worker_threads): hosts the analysis engine off the extension
// host thread. Speaks src/protocol/analysisProtocol.ts; no `vscode` import.
// Requests are handled one at a time in arrival order (each is short: the long
// pass runs in the background and a newer document version cancels it).
// Stopped by `workerShutdown` (src/worker/workerShutdown.ts), never terminated.

import { parentPort } from 'worker_threads';
import { readModelFile } from '../core/model/modelFile';
import { DocumentAnalysis } from '../core/inference/documentAnalysis';
import { errorMessage } from '../core/util/errors';
import { NotReadyError } from '../core/inference/documentState';
import { CancelledError } from '../core/inference/passScheduler';
import type { ProgressEvent } from '../core/inference/passScheduler';
import { seriesKey } from '../core/inference/cellSelection';
import { sampleText } from '../core/inference/sampler';
import { layerWindow, nextAfter } from '../core/inference/windowQueries';
import { offsetToStep } from '../core/text/textIndex';
import type {
  AnalysisRequest,
  EngineOptions,
  FromAnalysisWorker,
  ResultMap,
  SelectionSpec,
  TextChange,
  ValuesResult,
} from '../protocol/analysisProtocol';
import { transferablesOf } from './transferables';
import { isWorkerControl } from '../protocol/workerControl';
import { serveShutdown } from './workerShutdown';

if (!parentPort) throw new Error('analysisWorker must run in a worker_threads Worker');
const port = parentPort;

const PROGRESS_EVERY_MS = 50;
const stopper = serveShutdown(port, { stop: stopAll });

let doc: DocumentAnalysis | null = null;
let selection: SelectionSpec = { cells: [], surprisal: false };
let visible: [number, number] | null = null; // UTF-16, with the scroll margin
let view: [number, number] | null = null; // UTF-16, on screen (inside `visible`)
let pushedKey = '';
let selectionGen = 0;
let lastProgress = 0;

function post(m: FromAnalysisWorker): void {
  port.postMessage(m, transferablesOf(m));
}

function need(): DocumentAnalysis {
  if (!doc) throw new Error('no model loaded: send loadModel first');
  return doc;
}

function checkVersion(d: DocumentAnalysis, version: number): void {
  if (version !== d.version) throw new CancelledError(version);
}

function stepRange(d: DocumentAnalysis, start: number, end: number): [number, number] {
  if (!(start <= end)) throw new RangeError(`range ${start}..${end} is reversed`);
  const a = offsetToStep(d.index, start);
  const b = end <= start ? a : offsetToStep(d.index, end - 1) + 1;
  return [a, Math.min(b, d.ids.length)];
}

function offsetsOf(d: DocumentAnalysis, a: number, b: number): Uint32Array {
  return d.index.starts.slice(a, b + 1);
}

function valuesOf(d: DocumentAnalysis, a: number, b: number): ValuesResult {
  const valid = d.store.valid.slice(a, b);
  if (b > d.stateFrontier) valid.fill(0, Math.max(0, d.stateFrontier - a));
  return {
    version: d.version,
    offsets: offsetsOf(d, a, b),
    series: selection.cells.flatMap((c) =>
      c.signals.map((signal) => ({
        layer: c.layer,
        cell: c.cell,
        signal,
        values: d.store.series.get(seriesKey(c.layer, c.cell, signal))!.slice(a, b),
      })),
    ),
    surprisal: d.store.surprisal ? d.store.surprisal.slice(a, b) : null,
    valid,
  };
}

/** Steps of a UTF-16 range of the current text (clamped to it). */
function clampedSteps(d: DocumentAnalysis, r: [number, number]): [number, number] {
  const n = d.index.utf16Length;
  return stepRange(d, Math.min(r[0], n), Math.min(r[1], n));
}

/**
 * Pushes the visible range's values once its on-screen part is current for
 * this version and selection, and again once all of it is.
 */
function maybePushVisible(): void {
  if (!doc || !visible) return;
  const [a, b] = clampedSteps(doc, visible);
  const [va, vb] = view ? clampedSteps(doc, view) : [a, b];
  const whole = doc.isReady(a, b);
  if (!whole && !doc.isReady(va, vb)) return;
  const key = `${doc.version}|${selectionGen}|${a}|${b}|${whole}`;
  if (key === pushedKey) return;
  pushedKey = key;
  post({ kind: 'values', values: valuesOf(doc, a, b) });
}

function onProgress(e: ProgressEvent): void {
  maybePushVisible();
  const now = Date.now();
  if (now - lastProgress < PROGRESS_EVERY_MS && e.to < e.total) return;
  lastProgress = now;
  const d = doc!;
  post({
    kind: 'progress',
    version: e.version,
    done: e.stateFrontier,
    total: e.total,
    start: d.index.starts[e.from],
    end: d.index.starts[e.to],
    finished: false,
  });
}

function applyChanges(d: DocumentAnalysis, changes: TextChange[], version: number): void {
  // Changes are non-overlapping offsets into the previous text: apply from the end.
  const sorted = [...changes].sort((x, y) => y.offset - x.offset);
  for (const c of sorted) {
    if (!(
      Number.isInteger(c.offset) &&
      Number.isInteger(c.length) &&
      c.offset >= 0 &&
      c.length >= 0 &&
      c.offset + c.length <= d.text.length
    )) {
      throw new RangeError(`change ${c.offset}+${c.length} is outside the document (length ${d.text.length})`);
    }
  }
  for (const c of sorted) d.applyChange(c.offset, c.length, c.text, version);
}

async function loadModel(path: string, options: EngineOptions = {}): Promise<ResultMap['loadModel']> {
  const model = await readModelFile(path);
  const next = new DocumentAnalysis(model, options);
  await next.warmUp();
  const old = doc;
  doc = next;
  doc.onProgress = onProgress;
  doc.onError = (e) => post({ kind: 'error', version: next.version, error: e.message });
  doc.onIdle = (version) => {
    maybePushVisible();
    post({
      kind: 'progress',
      version,
      done: next.ids.length,
      total: next.ids.length,
      start: 0,
      end: next.text.length,
      finished: true,
    });
  };
  if (old) {
    await old.dispose();
    try {
      doc.setSelection(selection);
    } catch {
      selection = { cells: [], surprisal: selection.surprisal }; // cells of the old model do not exist in this one
      doc.setSelection(selection);
    }
    doc.setText(old.text, old.version);
  }
  return {
    layers: model.layers.map((l) => ({ kind: l.kind, hiddenSize: l.hiddenSize, inputSize: l.inputSize })),
    vocabSize: model.vocab.chars.length,
    vocab: model.vocab.chars,
    metadata: model.metadata,
    threads: doc.runner.threads,
  };
}

async function handle(req: AnalysisRequest): Promise<ResultMap[typeof req.type]> {
  switch (req.type) {
    case 'loadModel':
      return loadModel(req.path, req.options);
    case 'select': {
      const d = need();
      d.setSelection(req.selection);
      selection = req.selection;
      selectionGen++;
      return { ok: true };
    }
    case 'setDocument': {
      const d = need();
      d.setText(req.text, req.version);
      maybePushVisible();
      return { version: d.version, steps: d.ids.length };
    }
    case 'edit': {
      const d = need();
      applyChanges(d, req.changes, req.version);
      return { version: d.version, steps: d.ids.length };
    }
    case 'setVisible': {
      const d = need();
      checkVersion(d, req.version);
      visible = [req.start, req.end];
      const hasView = req.viewStart !== undefined && req.viewEnd !== undefined;
      view = hasView ? [Math.max(req.start, req.viewStart!), Math.min(req.end, req.viewEnd!)] : null;
      const [a, b] = clampedSteps(d, visible);
      const [va, vb] = view ? clampedSteps(d, view) : [a, b];
      d.setVisible(va, vb, [a, b]);
      maybePushVisible();
      return { ok: true };
    }
    case 'getValues': {
      const d = need();
      checkVersion(d, req.version);
      const [a, b] = stepRange(d, req.start, req.end);
      return valuesOf(d, a, b);
    }
    case 'getWindow': {
      const d = need();
      checkVersion(d, req.version);
      const [a, b] = stepRange(d, req.start, req.end);
      const w = await layerWindow(d, req.layer, a, b);
      return {
        version: d.version,
        layer: w.layer,
        hiddenSize: w.hiddenSize,
        offsets: offsetsOf(d, a, b),
        signals: w.signals,
      };
    }
    case 'getNext': {
      const d = need();
      checkVersion(d, req.version);
      const step = req.offset < 0 ? -1 : offsetToStep(d.index, req.offset);
      const n = await nextAfter(d, Math.min(step, d.ids.length - 1), req.k ?? 5);
      return {
        version: d.version,
        offset: n.step < 0 ? -1 : d.index.starts[n.step],
        top: n.top,
        surprisalBits: n.surprisalBits,
      };
    }
    case 'sample': {
      const d = need();
      return { text: await sampleText(d.model, d.runner, req) };
    }
    case 'dispose':
      // Same as `workerShutdown`, answered first (the shutdown waits for this queue).
      setImmediate(() => void stopper.shutdown());
      return { ok: true };
  }
}

/** The shutdown's stop hook: requests still queued fail fast (onnxruntime calls are refused), then the engine goes. */
async function stopAll(): Promise<void> {
  await queue;
  const d = doc;
  doc = null;
  if (d) await d.dispose();
}

let queue: Promise<void> = Promise.resolve();
port.on('message', (msg: AnalysisRequest) => {
  if (isWorkerControl(msg)) return;
  queue = queue.then(async () => {
    try {
      const result = await handle(msg);
      post({ kind: 'response', id: msg.id, ok: true, result });
    } catch (e) {
      const cancelled = e instanceof CancelledError;
      const notReady = e instanceof NotReadyError;
      post({
        kind: 'response',
        id: msg.id,
        ok: false,
        error: errorMessage(e),
        cancelled,
        notReady,
      });
    }
  });
});
