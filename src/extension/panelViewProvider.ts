// The LSTM Lens webview view (lstmLens.panel) in the activity-bar container.
// It loads dist/webview.js under a strict CSP with a nonce and only the
// extension's dist/ and media/ folders as local resources. Handshake: the
// webview posts `ready`, the host answers with the full state; later changes
// are posted only while the view is visible.
// The messages below are the foundation's minimum; they move into the shared
// protocol module (src/protocol/) when that lands.

import * as crypto from 'crypto';
import * as vscode from 'vscode';
import type { EngineInfo } from '../worker/engineProbe';

export interface PanelState {
  extensionVersion: string;
  engine?: EngineInfo;
  engineError?: string;
}

export type PanelToWebview = { type: 'state'; state: PanelState };
export type PanelFromWebview = { type: 'ready' } | { type: 'command'; command: string };

export class PanelViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view?: vscode.WebviewView;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private state: PanelState,
  ) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const roots = [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')];
    view.webview.options = { enableScripts: true, localResourceRoots: roots };
    view.webview.html = this.html(view.webview);
    this.disposables.push(
      view.webview.onDidReceiveMessage((msg: PanelFromWebview) => this.onMessage(msg)),
      view.onDidChangeVisibility(() => view.visible && this.post()),
      view.onDidDispose(() => (this.view = undefined)),
    );
  }

  update(patch: Partial<PanelState>): void {
    this.state = { ...this.state, ...patch };
    if (this.view?.visible) this.post();
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private onMessage(msg: PanelFromWebview): void {
    if (msg.type === 'ready') this.post();
    else if (msg.type === 'command' && msg.command.startsWith('lstmLens.')) {
      void vscode.commands.executeCommand(msg.command);
    }
  }

  private post(): void {
    const message: PanelToWebview = { type: 'state', state: this.state };
    void this.view?.webview.postMessage(message);
  }

  private html(webview: vscode.Webview): string {
    const nonce = crypto.randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview.js'));
    const csp = [
      "default-src 'none'",
      `img-src ${webview.cspSource} data:`,
      `style-src ${webview.cspSource} 'nonce-${nonce}'`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<style nonce="${nonce}">
  body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 8px; }
  .muted { color: var(--vscode-descriptionForeground); }
  .error { color: var(--vscode-errorForeground); white-space: pre-wrap; }
  button { background: var(--vscode-button-background); color: var(--vscode-button-foreground); border: none; padding: 4px 10px; cursor: pointer; }
</style>
<title>LSTM Lens</title>
</head>
<body>
<div id="root" class="muted">Loading…</div>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }
}
