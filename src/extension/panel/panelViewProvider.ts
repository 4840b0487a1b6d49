// The LSTM Lens webview view (lstmLens.panel) in the activity-bar container:
// only the view host. It loads dist/webview.js and media/panel.css under a
// strict CSP with a nonce and only the extension's dist/ and media/ folders as
// local resources; no remote content.
// Handshake: the webview posts Ready and gets the full State; increments are
// posted only after that and only while the view is visible; a view that
// becomes visible again gets the full State. Every message from the webview
// is validated (validateFromWebview) before the controller sees it.
// What the state holds and what messages do is panelController.ts's job.

import * as crypto from 'crypto';
import * as vscode from 'vscode';
import { MessageType, PanelMessageError, emptyPanelState, validateFromWebview } from '../../protocol/panelProtocol';
import type { EngineView, FromWebview, PanelState, ToWebview } from '../../protocol/panelProtocol';
import { errorMessage } from '../../core/util/errors';

/** What the controller gives the view host. */
export interface PanelHost {
  /** Everything but the version and engine fields, for State. */
  snapshot(): Omit<PanelState, 'extensionVersion' | 'engine' | 'engineError'>;
  handle(message: FromWebview): void | Promise<void>;
  /** The view was shown (true) or hidden (false). */
  visibilityChanged?(visible: boolean): void;
}

export class PanelViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view?: vscode.WebviewView;
  private ready = false;
  private host?: PanelHost;
  private engine: { engine?: EngineView; engineError?: string } = {};
  private readonly disposables: vscode.Disposable[] = [];
  private viewDisposables: vscode.Disposable[] = [];
  /** Bad messages from the webview end up here (the log) instead of being used. */
  onBadMessage: (error: string) => void = () => undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly base: { extensionVersion: string },
  ) {}

  setHost(host: PanelHost): void {
    this.host = host;
    this.postState();
  }

  /** True when the webview is shown and has said ready: increments are worth sending. */
  get live(): boolean {
    return !!this.view?.visible && this.ready;
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    for (const d of this.viewDisposables.splice(0)) d.dispose();
    this.view = view;
    this.ready = false;
    const roots = [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')];
    view.webview.options = { enableScripts: true, localResourceRoots: roots };
    view.webview.html = this.html(view.webview);
    this.viewDisposables.push(
      view.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      view.onDidChangeVisibility(() => {
        if (view.visible) this.postState();
        this.host?.visibilityChanged?.(view.visible);
      }),
      view.onDidDispose(() => {
        this.view = undefined;
        this.ready = false;
        this.host?.visibilityChanged?.(false);
      }),
    );
  }

  /** Engine probe results (from the Show Engine Info command). */
  update(patch: { engine?: EngineView; engineError?: string }): void {
    this.engine = { engine: patch.engine, engineError: patch.engineError };
    this.post({ type: MessageType.Engine, ...this.engine });
  }

  /** Sends an increment if the view is live; returns whether it was sent. */
  post(message: ToWebview): boolean {
    if (!this.live) return false;
    void this.view!.webview.postMessage(message);
    return true;
  }

  /** Reveals the view (and focuses it unless preserveFocus). */
  show(preserveFocus = true): void {
    this.view?.show(preserveFocus);
  }

  dispose(): void {
    for (const d of [...this.disposables.splice(0), ...this.viewDisposables.splice(0)]) d.dispose();
  }

  state(): PanelState {
    const rest = this.host?.snapshot() ?? emptyPanelState();
    return { ...rest, extensionVersion: this.base.extensionVersion, ...this.engine };
  }

  private postState(): void {
    if (this.live)
      void this.view!.webview.postMessage({ type: MessageType.State, state: this.state() } satisfies ToWebview);
  }

  private receive(raw: unknown): void {
    let msg: FromWebview;
    try {
      msg = validateFromWebview(raw);
    } catch (e) {
      this.onBadMessage(e instanceof PanelMessageError ? e.message : `panel message rejected: ${String(e)}`);
      return;
    }
    if (msg.type === MessageType.Ready) {
      this.ready = true;
      this.postState();
      this.host?.visibilityChanged?.(!!this.view?.visible);
      return;
    }
    void Promise.resolve(this.host?.handle(msg)).catch((e: unknown) => this.onBadMessage(errorMessage(e)));
  }

  private html(webview: vscode.Webview): string {
    const nonce = crypto.randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview.js'));
    const css = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'panel.css'));
    const csp = [
      "default-src 'none'",
      `img-src ${webview.cspSource} data:`,
      `style-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${css.toString()}">
<title>LSTM Lens</title>
</head>
<body>
<div id="root" class="muted">Loading…</div>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
  }
}
