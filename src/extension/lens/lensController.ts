// Owns the analysis session for the editor: loads the active model on first
// need (one clear error and a fall back to the bundled model when a model
// fails), keeps the worker's document in step with the active editor's (whole
// text on switch, changes on edit), and pushes the lens state's selection.
// Work is serialised on one promise chain so a model load always precedes the
// document it analyses. Results come back through the session's events to
// colouring.ts; hovers ask through `session` directly.

import * as vscode from 'vscode';
import type { AnalysisSession } from './analysisSession';
import { isCancelled } from './analysisSession';
import type { ActiveModel, LensState } from './lensState';
import type { ModelRegistry } from './modelRegistry';
import type { ModelEntry } from './modelSources';
import type { LensSettings } from './lensSettings';
import { errorMessage } from '../../core/util/errors';

export class LensController implements vscode.Disposable {
  private chain: Promise<unknown> = Promise.resolve();
  private loading: Promise<ActiveModel | undefined> | undefined;
  /** VS Code document version for each session version sent (latest few). */
  private readonly docVersions = new Map<number, number>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Why the current document is not analysed (too large, binary, …), shown in the status bar. */
  notice: string | undefined;
  readonly onNotice = new vscode.EventEmitter<string | undefined>();
  readonly onModelLoading = new vscode.EventEmitter<string | undefined>();

  constructor(
    readonly session: AnalysisSession,
    readonly state: LensState,
    readonly registry: ModelRegistry,
    private readonly log: vscode.LogOutputChannel,
    private readonly settings: () => LensSettings,
  ) {
    this.disposables.push(
      this.onNotice,
      this.onModelLoading,
      { dispose: () => void this.session.dispose() },
      vscode.workspace.onDidChangeTextDocument((e) => this.onEdit(e)),
    );
    const sub = state.onDidChange((changed) => {
      if (
        this.state.model &&
        (changed.has('primary') || changed.has('toggled') || changed.has('mode') || changed.has('model'))
      ) {
        const spec = this.state.selectionSpec();
        void this.enqueue(() => this.session.select(spec));
      }
    });
    this.disposables.push(sub);
  }

  /** The loaded model, loading the active one on first call. */
  ensureModel(): Promise<ActiveModel | undefined> {
    if (this.state.model) return Promise.resolve(this.state.model);
    if (!this.loading) {
      this.loading = this.enqueue(async () => this.loadWithFallback(await this.registry.active())).finally(
        () => (this.loading = undefined),
      );
    }
    return this.loading;
  }

  /** Switches to `entry` (Choose Model…); on failure, one error and the bundled model. */
  async useModel(entry: ModelEntry): Promise<ActiveModel | undefined> {
    const loaded = await this.enqueue(() => this.loadWithFallback(entry));
    if (loaded?.id === entry.id) await this.registry.setActive(entry);
    return loaded;
  }

  /**
   * Makes the worker hold `doc` at its current version. Returns false (and
   * sets `notice`) when the document is not analysed.
   */
  async syncDocument(doc: vscode.TextDocument): Promise<boolean> {
    const model = await this.ensureModel();
    if (!model) return false;
    const key = doc.uri.toString();
    // Length without copying the text (the cap may have changed since the text was sent).
    const length = doc.offsetAt(doc.lineAt(doc.lineCount - 1).range.end);
    const cap = this.settings().maxFileChars;
    if (length > cap) {
      this.session.forgetDocument();
      this.setNotice(
        `${docName(doc)} has ${length.toLocaleString('en')} characters, over the lstmLens.colouring.maxFileSize cap of ${cap.toLocaleString('en')}: not coloured`,
      );
      return false;
    }
    if (this.session.documentKey === key && this.docVersions.get(this.session.version) === doc.version) {
      this.setNotice(undefined);
      return true;
    }
    const text = doc.getText();
    const docVersion = doc.version;
    const ok = await this.enqueue(async () => {
      const r = await this.session.setDocument(key, text);
      this.remember(r.version, docVersion);
      return true;
    }).catch((e: Error) => {
      this.session.forgetDocument();
      this.setNotice(`${docName(doc)} is not coloured: ${e.message}`);
      return false;
    });
    if (ok) this.setNotice(undefined);
    return ok;
  }

  /** VS Code version of the document text that session version `v` analysed. */
  docVersionOf(v: number): number | undefined {
    return this.docVersions.get(v);
  }

  /** Whether the worker's text is exactly this document as it is now. */
  isCurrent(doc: vscode.TextDocument): boolean {
    return (
      this.session.documentKey === doc.uri.toString() && this.docVersions.get(this.session.version) === doc.version
    );
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  /** Runs `job` after every earlier job; a failed job does not stop later ones. */
  enqueue<T>(job: () => Promise<T>): Promise<T> {
    const run = this.chain.then(job, job);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private setNotice(n: string | undefined): void {
    if (n === this.notice) return;
    this.notice = n;
    if (n) this.log.info(n);
    this.onNotice.fire(n);
  }

  private remember(sessionVersion: number, docVersion: number): void {
    this.docVersions.set(sessionVersion, docVersion);
    for (const k of this.docVersions.keys()) if (k < sessionVersion - 64) this.docVersions.delete(k);
  }

  private onEdit(e: vscode.TextDocumentChangeEvent): void {
    if (e.contentChanges.length === 0 || this.session.documentKey !== e.document.uri.toString()) return;
    if (!this.state.model) return;
    // The edit must apply to the text the worker holds: the version before this one.
    if (this.docVersions.get(this.session.version) !== e.document.version - 1) {
      this.session.forgetDocument(); // out of step (e.g. an edit while sending): the next sync re-sends it all
      return;
    }
    const changes = e.contentChanges.map((c) => ({ offset: c.rangeOffset, length: c.rangeLength, text: c.text }));
    const docVersion = e.document.version;
    const cap = this.settings().maxFileChars;
    const doc = e.document;
    if (doc.offsetAt(doc.lineAt(doc.lineCount - 1).range.end) > cap) {
      this.session.forgetDocument();
      return;
    }
    // Sent at once (not queued behind slow work) so the worker cancels the older pass.
    const sent = this.session.edit(changes);
    this.remember(this.session.version, docVersion);
    sent.catch((err: Error) => {
      if (isCancelled(err)) return;
      this.session.forgetDocument();
      this.setNotice(`${docName(e.document)} is not coloured: ${err.message}`);
    });
  }

  private async loadWithFallback(entry: ModelEntry): Promise<ActiveModel | undefined> {
    this.onModelLoading.fire(entry.name);
    try {
      const loaded = await this.load(entry);
      this.state.setModel(loaded);
      return loaded;
    } catch (e) {
      const reason = errorMessage(e);
      const bundled = this.registry.bundled;
      if (entry.id === bundled.id) {
        this.log.error(`could not load the bundled model: ${reason}`);
        void vscode.window.showErrorMessage(`LSTM Lens: could not load the bundled model: ${reason}`);
        return undefined;
      }
      this.log.warn(`could not load model ${entry.path}: ${reason}; using the bundled model`);
      void vscode.window.showErrorMessage(
        `LSTM Lens: could not load model "${entry.name}": ${reason}. Using the bundled model instead.`,
      );
      try {
        const loaded = await this.load(bundled);
        this.state.setModel(loaded);
        return loaded;
      } catch (e2) {
        const r2 = errorMessage(e2);
        this.log.error(`could not load the bundled model either: ${r2}`);
        return undefined;
      }
    } finally {
      this.onModelLoading.fire(undefined);
    }
  }

  private async load(entry: ModelEntry): Promise<ActiveModel> {
    const problem = this.registry.precheck(entry);
    if (problem) throw new Error(problem);
    const t0 = Date.now();
    // draftMin 0: never paint from the int8 draft (passScheduler.ts); undefined: the engine's default.
    const info = await this.session.loadModel(entry.path, this.settings().draftPaint ? {} : { draftMin: 0 });
    // loadModel re-runs the worker's old document with the new model; the selection was reset if cells vanished.
    this.log.info(
      `model ${entry.name} loaded from ${entry.path} in ${Date.now() - t0} ms (${info.layers.map((l) => `${l.kind} ${l.hiddenSize}`).join(', ')}, vocab ${info.vocabSize}); ` +
        `draft paint after edits ${info.draft.used ? 'on' : 'off'}: ${info.draft.reason}`,
    );
    return { id: entry.id, name: entry.name, path: entry.path, info };
  }
}

function docName(doc: vscode.TextDocument): string {
  return doc.uri.path.split('/').pop() || doc.uri.toString();
}
