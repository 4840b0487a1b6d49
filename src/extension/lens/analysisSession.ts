// Starter and typed RPC for the analysis worker (dist/analysisWorker.js,
// protocol in src/protocol/analysisProtocol.ts). No `vscode` import: the unit
// tests drive it against the compiled worker in out/.
//
// The worker analyses one document at a time. This side numbers every text it
// sends with its own increasing version (VS Code versions restart per
// document), so a request or a pushed result for an older text is recognised
// and dropped: a newer version cancels older work in the worker, and older
// answers arriving late are ignored here. The worker is spawned on first
// need; if it dies, pending calls fail and the next call starts a new one,
// reloading the last model and selection (the caller re-sends its document
// when `documentKey` is undefined).

import * as path from 'path';
import { AnalysisClient as Rpc } from '../workers/analysisClient';
import { WorkerHandle } from '../../worker/workerHandle';
import type {
  EngineOptions,
  ErrorMessage,
  InterventionNextResult,
  InterventionRequest,
  InterventionResult,
  ModelInfo,
  NextResult,
  ProgressMessage,
  ResultMap,
  SaliencyResultMessage,
  SelectionSpec,
  TextChange,
  ValuesResult,
  WindowResult,
} from '../../protocol/analysisProtocol';
import type { Signal } from '../../core/model/types';

export interface AnalysisEvents {
  /** Values of the visible range, current for `version` (already filtered to the latest version). */
  onValues?: (values: ValuesResult) => void;
  onProgress?: (p: ProgressMessage) => void;
  /** An error in the background pass of the current version. */
  onError?: (message: string) => void;
  /** The worker died; the message says how. */
  onCrash?: (message: string) => void;
}

/** True for the rejection of a request that a newer document version made obsolete. */
export function isCancelled(e: unknown): boolean {
  return !!e && typeof e === 'object' && (e as { cancelled?: boolean }).cancelled === true;
}

export class AnalysisSession {
  private handle: WorkerHandle | undefined;
  private rpc: Rpc | undefined;
  private model: { path: string; options?: EngineOptions } | undefined;
  private selection: SelectionSpec = { cells: [], surprisal: false };
  private modelInfo: ModelInfo | undefined;
  /** Version of the text the worker holds (0 = none yet). */
  version = 0;
  /** Which document that text is (the caller's key, e.g. a URI string). */
  documentKey: string | undefined;
  private disposed = false;

  constructor(
    private readonly workerFile: string,
    private readonly events: AnalysisEvents = {},
  ) {}

  get info(): ModelInfo | undefined {
    return this.modelInfo;
  }

  /** Loads a model in the worker (spawning it if needed). The current document, if any, is re-run with it. */
  async loadModel(modelPath: string, options?: EngineOptions): Promise<ModelInfo> {
    const rpc = this.ensure();
    const info = await rpc.call('loadModel', { path: modelPath, options });
    this.model = { path: modelPath, options };
    this.modelInfo = info;
    return info;
  }

  async select(selection: SelectionSpec): Promise<void> {
    await this.ready().call('select', { selection });
    this.selection = selection;
  }

  /** Sends a whole document; returns its version here. */
  async setDocument(key: string, text: string): Promise<{ version: number; steps: number }> {
    const rpc = this.ready();
    const version = ++this.version;
    this.documentKey = key;
    const r = await rpc.call('setDocument', { text, version });
    return { version, steps: r.steps };
  }

  /** Sends the changes of one edit of the current document (offsets into the previous text). */
  async edit(changes: TextChange[]): Promise<{ version: number; steps: number }> {
    const rpc = this.ready();
    const version = ++this.version;
    const r = await rpc.call('edit', { version, changes });
    return { version, steps: r.steps };
  }

  /**
   * UTF-16 [start, end): the range to colour, margin included; [viewStart,
   * viewEnd): on screen, computed first. Values are pushed to onValues when
   * the screen is current and again with the margin.
   */
  async setVisible(start: number, end: number, viewStart?: number, viewEnd?: number): Promise<void> {
    await this.ready().call('setVisible', { version: this.version, start, end, viewStart, viewEnd });
  }

  getValues(start: number, end: number): Promise<ValuesResult> {
    return this.ready().call('getValues', { version: this.version, start, end });
  }

  getWindow(layer: number, start: number, end: number): Promise<WindowResult> {
    return this.ready().call('getWindow', { version: this.version, layer, start, end });
  }

  getNext(offset: number, k = 5): Promise<NextResult> {
    return this.ready().call('getNext', { version: this.version, offset, k });
  }

  /** `intervened`: with the current intervention's cells clamped over the whole sample. */
  async sample(
    length: number,
    temperature: number,
    prime?: string,
    seed?: number,
    intervened = false,
  ): Promise<string> {
    return (await this.ready().call('sample', { length, temperature, prime, seed, intervened })).text;
  }

  /** Starts the intervention on the current document (replacing any); returns its description. */
  async intervene(interventions: InterventionRequest[]): Promise<{ version: number; described: string[] }> {
    return this.ready().call('intervene', { version: this.version, interventions });
  }

  getIntervention(): Promise<InterventionResult> {
    return this.ready().call('getIntervention', { version: this.version });
  }

  getInterventionNext(offset: number, k = 5): Promise<InterventionNextResult> {
    return this.ready().call('getInterventionNext', { version: this.version, offset, k });
  }

  async clearIntervention(): Promise<void> {
    await this.ready().call('clearIntervention', {});
  }

  /** Starts comparing the document's model with the model file at `path` (replacing any comparison). */
  compare(path: string, name: string): Promise<{ version: number; described: string[] }> {
    return this.ready().call('compare', { version: this.version, path, name });
  }

  getComparison(): Promise<InterventionResult> {
    return this.ready().call('getComparison', { version: this.version });
  }

  getComparisonNext(offset: number, k = 5): Promise<InterventionNextResult> {
    return this.ready().call('getComparisonNext', { version: this.version, offset, k });
  }

  matchCells(cells: { layer: number; cell: number; signal: Signal }[]): Promise<ResultMap['matchCells']> {
    return this.ready().call('matchCells', { version: this.version, cells });
  }

  async clearComparison(): Promise<void> {
    await this.ready().call('clearComparison', {});
  }

  /** Gradient flow of the prediction after the character before `offset` (the cursor). */
  saliency(offset: number): Promise<SaliencyResultMessage> {
    return this.ready().call('saliency', { version: this.version, offset });
  }

  /** Forgets the document (e.g. it became too large): later pushes for it are dropped. */
  forgetDocument(): void {
    this.documentKey = undefined;
    this.version++;
  }

  /**
   * Stops the worker: it releases its onnxruntime sessions and exits by itself
   * (src/extension/workers/workerHandle.ts; terminate() during an onnxruntime call
   * aborts the whole process, which in VS Code is the extension host).
   * Resolves when it has exited, or after `timeoutMs` while it goes on stopping.
   */
  async dispose(timeoutMs = 3000): Promise<void> {
    this.disposed = true;
    const h = this.handle;
    const rpc = this.rpc;
    this.handle = undefined;
    this.rpc = undefined;
    if (!h || !rpc) return;
    await h.stop({ waitMs: timeoutMs });
    rpc.failAll(new Error('the analysis worker was stopped'));
  }

  /** The RPC once a model is loaded (after a crash: a new worker with the last model and selection). */
  private ready(): Rpc {
    if (!this.model) throw new Error('no model loaded yet');
    if (this.rpc) return this.rpc;
    const rpc = this.ensure();
    const { path: p, options } = this.model;
    // Requests are handled in order by the worker, so these run before the caller's.
    void rpc
      .call('loadModel', { path: p, options })
      .catch((e: Error) => this.events.onError?.(`reloading ${p}: ${e.message}`));
    void rpc.call('select', { selection: this.selection }).catch(() => undefined);
    return rpc;
  }

  private ensure(): Rpc {
    if (this.disposed) throw new Error('the analysis session was disposed');
    if (this.rpc) return this.rpc;
    const handle = new WorkerHandle(path.resolve(this.workerFile));
    const worker = handle.worker;
    const rpc = new Rpc(worker);
    rpc.onEvent = (m) => this.onEvent(m);
    const dead = (message: string): void => {
      if (this.handle !== handle) return;
      this.handle = undefined;
      this.rpc = undefined;
      this.documentKey = undefined;
      rpc.failAll(new Error(message));
      if (!this.disposed) this.events.onCrash?.(message);
    };
    worker.on('error', (e) => dead(`the analysis worker failed: ${e.message}`));
    worker.on('exit', (code) => dead(`the analysis worker exited with code ${code}`));
    this.handle = handle;
    this.rpc = rpc;
    return rpc;
  }

  private onEvent(m: ProgressMessage | { kind: 'values'; values: ValuesResult } | ErrorMessage): void {
    if (m.kind === 'values') {
      if (m.values.version === this.version) this.events.onValues?.(m.values);
    } else if (m.kind === 'progress') {
      if (m.version === this.version) this.events.onProgress?.(m);
    } else if (m.version === this.version) {
      this.events.onError?.(m.error);
    }
  }
}
