// Worker entry (worker_threads): hosts the analysis engine off the extension
// host thread. Speaks src/protocol/analysisProtocol.ts; no `vscode` import.
// Requests are handled one at a time in arrival order (each is short: the long
// pass runs in the background and a newer document version cancels it); the
// few that may take long (OFF_QUEUE) start in their turn without holding up
// the rest.
// Stopped by `workerShutdown` (src/worker/workerShutdown.ts), never terminated.

import { parentPort } from 'worker_threads';
import { readModelFile } from '../core/model/modelFile';
import { DocumentAnalysis } from '../core/inference/documentAnalysis';
import { errorMessage } from '../core/util/errors';
import { NotReadyError, movedByEdit } from '../core/inference/documentState';
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
import { VALUE_DRAFT, VALUE_STALE } from '../protocol/analysisProtocol';
import { transferablesOf } from './transferables';
import { isWorkerControl } from '../protocol/workerControl';
import { serveShutdown } from './workerShutdown';
import { DocumentPair } from './documentPair';
import { SALIENCY_WINDOW, SaliencyEngine } from '../core/inference/saliency';
import { ModelRunner } from '../core/inference/modelRunner';
import type { CellIntervention } from '../core/inference/intervention';
import type { InterventionRequest } from '../protocol/analysisProtocol';

if (!parentPort) throw new Error('analysisWorker must run in a worker_threads Worker');
const port = parentPort;

const PROGRESS_EVERY_MS = 50;
const stopper = serveShutdown(port, { stop: stopAll });

let doc: DocumentAnalysis | null = null;
let engineOptions: EngineOptions = {};
let intervention: DocumentPair | null = null;
let comparison: DocumentPair | null = null;
let saliency: SaliencyEngine | null = null;
/** Counts intervene and clearIntervention requests, so a slow start that lost the race is dropped. */
let generation = 0;
/** Characters of the document the cell matching of a comparison reads at most. */
const MATCH_CHARS = 20_000;
let selection: SelectionSpec = { cells: [], surprisal: false };
let visible: [number, number] | null = null; // UTF-16, with the scroll margin
let view: [number, number] | null = null; // UTF-16, on screen (inside `visible`)
let pushedKey = '';
let selectionGen = 0;
/** UTF-16 range of the text the latest edit wrote (in the current text), painted before the rest of the screen. */
let edited: [number, number] | null = null;
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
  // Before the state frontier: current values or none. After it: the draft
  // of this text where there is one, else the values from before an edit (stale).
  const valid = d.store.valid.slice(a, b);
  const draft = d.draft;
  const f = d.stateFrontier;
  const [da, db] = draft ? [Math.max(a, draft.from, f), Math.min(b, draft.to)] : [0, 0];
  for (let t = Math.max(a, f); t < b; t++) if (valid[t - a]) valid[t - a] = VALUE_STALE;
  for (let t = da; t < db; t++) valid[t - a] = VALUE_DRAFT;
  const pick = (exact: Float32Array, drafted: Float32Array | null | undefined): Float32Array => {
    const out = exact.slice(a, b);
    if (drafted) for (let t = da; t < db; t++) out[t - a] = drafted[t - draft!.from];
    return out;
  };
  return {
    version: d.version,
    offsets: offsetsOf(d, a, b),
    series: selection.cells.flatMap((c) =>
      c.signals.map((signal) => ({
        layer: c.layer,
        cell: c.cell,
        signal,
        values: pick(
          d.store.series.get(seriesKey(c.layer, c.cell, signal))!,
          draft?.series.get(seriesKey(c.layer, c.cell, signal)),
        ),
      })),
    ),
    surprisal: d.store.surprisal ? pick(d.store.surprisal, draft?.surprisal) : null,
    valid,
  };
}

/** Steps of a UTF-16 range of the current text (clamped to it). */
function clampedSteps(d: DocumentAnalysis, r: [number, number]): [number, number] {
  const n = d.index.utf16Length;
  return stepRange(d, Math.min(r[0], n), Math.min(r[1], n));
}

/**
 * Pushes the visible range's values once the line of the latest edit is
 * current (the rest of the screen may still show values from before it),
 * again once the on-screen part is drafted (passScheduler.ts: current or
 * approximate), again once it is current for this version and selection,
 * and again once all of it is.
 */
function maybePushVisible(): void {
  if (!doc || !visible) return;
  const [a, b] = clampedSteps(doc, visible);
  const [va, vb] = view ? clampedSteps(doc, view) : [a, b];
  const whole = doc.isReady(a, b);
  const screen = whole || doc.isReady(va, vb);
  const line = editedLine(doc);
  const stage = whole
    ? 'whole'
    : screen
      ? 'screen'
      : doc.isDrafted(va, vb)
        ? 'draft'
        : line && line[0] >= va && line[1] <= vb && doc.isReady(...line)
          ? 'line'
          : '';
  if (!stage) return;
  const key = `${doc.version}|${selectionGen}|${a}|${b}|${stage}`;
  if (key === pushedKey) return;
  pushedKey = key;
  post({ kind: 'values', values: valuesOf(doc, a, b) });
}

/** Steps of the line(s) the latest edit wrote, up to their line end; null when there is none. */
function editedLine(d: DocumentAnalysis): [number, number] | null {
  if (!edited) return null;
  const n = d.index.utf16Length;
  const text = d.text;
  const start = text.lastIndexOf('\n', Math.min(edited[0], n) - 1) + 1;
  const nl = text.indexOf('\n', Math.min(edited[1], n));
  return stepRange(d, start, nl < 0 ? n : nl + 1);
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
  for (const c of sorted) {
    d.applyChange(c.offset, c.length, c.text, version);
    // The ranges on screen move with the text, as the engine's own do, until the editor sends new ones.
    const move = (v: number): number => movedByEdit(v, c.offset, c.length, c.text.length);
    if (visible) visible = [move(visible[0]), move(visible[1])];
    if (view) view = [move(view[0]), move(view[1])];
  }
}

/**
 * UTF-16 range, in the text after the changes, from the first change's start
 * to the last change's end (changes are offsets into the text before them).
 */
function editedRange(changes: TextChange[]): [number, number] | null {
  if (changes.length === 0) return null;
  const sorted = [...changes].sort((x, y) => x.offset - y.offset);
  let shift = 0;
  for (const c of sorted.slice(0, -1)) shift += c.text.length - c.length;
  const last = sorted[sorted.length - 1];
  return [sorted[0].offset, last.offset + shift + last.text.length];
}

async function loadModel(path: string, options: EngineOptions = {}): Promise<ResultMap['loadModel']> {
  const model = await readModelFile(path);
  const next = new DocumentAnalysis(model, options);
  await next.warmUp();
  const draft = await next.draftInfo();
  const old = doc;
  await dropExtras();
  doc = next;
  engineOptions = options;
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
    draft: { used: draft.faithful, error: draft.error, reason: draft.reason },
  };
}

/** The intervention and the saliency engine belong to one model: dropped when it changes. */
async function dropExtras(): Promise<void> {
  const [iv, cmp, sal] = [intervention, comparison, saliency];
  intervention = null;
  comparison = null;
  saliency = null;
  await iv?.dispose();
  await cmp?.dispose();
  await sal?.dispose();
}

function needIntervention(d: DocumentAnalysis, version: number): DocumentPair {
  checkVersion(d, version);
  if (!intervention) throw new Error('no intervention is active');
  return intervention;
}

function needComparison(d: DocumentAnalysis, version: number): DocumentPair {
  checkVersion(d, version);
  if (!comparison) throw new Error('no comparison is active');
  return comparison;
}

/** Both pairs' surprisal, as the host gets them. */
async function pairResult(
  d: DocumentAnalysis,
  pair: DocumentPair,
  version: number,
): Promise<ResultMap['getIntervention']> {
  const { before, after } = await pair.surprisal(version);
  checkVersion(d, version);
  return { version: d.version, described: pair.described, offsets: offsetsOf(d, 0, d.ids.length), before, after };
}

/** Both pairs' guesses after the character at `offset`. */
async function pairNext(
  d: DocumentAnalysis,
  pair: DocumentPair,
  version: number,
  offset: number,
  k: number,
): Promise<ResultMap['getInterventionNext']> {
  const step = offset < 0 ? -1 : Math.min(offsetToStep(d.index, offset), d.ids.length - 1);
  const n = await pair.next(step, k);
  checkVersion(d, version);
  const at = step < 0 ? -1 : d.index.starts[step];
  const asResult = (x: typeof n.before): ResultMap['getNext'] => ({
    version: d.version,
    offset: at,
    top: x.top,
    surprisalBits: x.surprisalBits,
  });
  return { version: d.version, offset: at, before: asResult(n.before), after: asResult(n.after) };
}

/** A host request in UTF-16 offsets as core's intervention in steps. */
function toSteps(d: DocumentAnalysis, r: InterventionRequest): CellIntervention {
  const iv: CellIntervention = { layer: r.layer, unit: r.unit, mode: r.mode, value: r.value };
  if (r.start !== undefined || r.end !== undefined) {
    const [a, b] = stepRange(d, r.start ?? 0, Math.min(r.end ?? d.text.length, d.text.length));
    iv.from = a;
    if (r.end !== undefined) iv.to = Math.max(b, a + 1);
  }
  return iv;
}

async function explainAt(d: DocumentAnalysis, offset: number): Promise<ResultMap['saliency']> {
  if (!(Number.isInteger(offset) && offset > 0 && offset <= d.text.length))
    throw new RangeError(`no character before offset ${offset} to explain the prediction after`);
  saliency ??= new SaliencyEngine(d.model, engineOptions.saliencyWindow ?? SALIENCY_WINDOW);
  const at = offsetToStep(d.index, offset - 1);
  const version = d.version;
  const r = await saliency.explain(d.ids, at, (s) => d.stateAt(s));
  checkVersion(d, version);
  return {
    version,
    at: d.index.starts[at],
    offsets: offsetsOf(d, r.from, at + 1),
    saliency: r.saliency,
    layers: r.layers,
    target: d.vocab.charOf(r.target),
    targetIsGuess: r.targetIsGuess,
    p: Math.exp(r.logp),
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
      edited = null;
      intervention?.follow(d.text, d.version);
      comparison?.follow(d.text, d.version);
      maybePushVisible();
      return { version: d.version, steps: d.ids.length };
    }
    case 'edit': {
      const d = need();
      applyChanges(d, req.changes, req.version);
      edited = editedRange(req.changes);
      intervention?.follow(d.text, d.version);
      comparison?.follow(d.text, d.version);
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
      if (!req.intervened) return { text: await sampleText(d.model, d.runner, req) };
      if (!intervention) throw new Error('no intervention is active to sample with');
      const runner = new ModelRunner(d.model, { intervention: intervention.samplingPlan() });
      try {
        return { text: await sampleText(d.model, runner, req) };
      } finally {
        await runner.dispose();
      }
    }
    case 'intervene': {
      const d = need();
      checkVersion(d, req.version);
      const asked = req.interventions.map((r) => toSteps(d, r));
      if (asked.length === 0) throw new RangeError('an intervention needs at least one cell');
      const myGeneration = ++generation;
      const started = await DocumentPair.intervention(d.model, asked, d.text, d.version, engineOptions.maxChars);
      if (generation !== myGeneration || doc !== d) {
        await started.dispose(); // a newer intervene, a clear or another model came in while this one started
        throw new CancelledError(req.version);
      }
      const old = intervention;
      intervention = started;
      started.follow(d.text, d.version); // edits that came in meanwhile (none: the same text again is free)
      await old?.dispose();
      return { version: d.version, described: started.described };
    }
    case 'getIntervention': {
      const d = need();
      return pairResult(d, needIntervention(d, req.version), req.version);
    }
    case 'getInterventionNext': {
      const d = need();
      return pairNext(d, needIntervention(d, req.version), req.version, req.offset, req.k ?? 5);
    }
    case 'clearIntervention': {
      generation++;
      const old = intervention;
      intervention = null;
      await old?.dispose();
      return { ok: true };
    }
    case 'compare': {
      const d = need();
      checkVersion(d, req.version);
      const other = await readModelFile(req.path);
      const myGeneration = ++generation;
      const started = DocumentPair.comparison(d.model, other, req.name, d.text, d.version, engineOptions.maxChars);
      if (generation !== myGeneration || doc !== d) {
        await started.dispose();
        throw new CancelledError(req.version);
      }
      const old = comparison;
      comparison = started;
      await old?.dispose();
      return { version: d.version, described: started.described };
    }
    case 'getComparison': {
      const d = need();
      return pairResult(d, needComparison(d, req.version), req.version);
    }
    case 'getComparisonNext': {
      const d = need();
      return pairNext(d, needComparison(d, req.version), req.version, req.offset, req.k ?? 5);
    }
    case 'matchCells': {
      const d = need();
      const pair = needComparison(d, req.version);
      const matches = await pair.matchCells(req.cells, req.limit ?? MATCH_CHARS);
      checkVersion(d, req.version);
      return { version: d.version, matches };
    }
    case 'clearComparison': {
      generation++;
      const old = comparison;
      comparison = null;
      await old?.dispose();
      return { ok: true };
    }
    case 'saliency': {
      const d = need();
      checkVersion(d, req.version);
      return explainAt(d, req.offset);
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
  await dropExtras();
  const d = doc;
  doc = null;
  if (d) await d.dispose();
}

/**
 * Requests that may take long (a whole-document pass, a first session) start
 * in their turn but do not hold up the ones behind them: edits keep flowing
 * while they run, and a newer version cancels them.
 */
const OFF_QUEUE = new Set<AnalysisRequest['type']>([
  'intervene',
  'getIntervention',
  'getInterventionNext',
  'saliency',
  'compare',
  'getComparison',
  'getComparisonNext',
  'matchCells',
]);

async function respond(msg: AnalysisRequest): Promise<void> {
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
}

let queue: Promise<void> = Promise.resolve();
port.on('message', (msg: AnalysisRequest) => {
  if (isWorkerControl(msg)) return;
  queue = queue.then(() => (OFF_QUEUE.has(msg.type) ? void respond(msg) : respond(msg)));
});
