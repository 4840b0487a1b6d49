// Entry of the LSTM Lens panel (dist/webview.js). Runs in the webview's
// browser sandbox: no `vscode` module, no core; it only displays what the
// host sends. Handshake: post `ready`, then render every `state` message.
// The message shapes mirror src/extension/panelViewProvider.ts until the
// shared protocol module lands.

interface EngineInfo {
  ortVersion: string;
  ortPath: string;
  nodeVersion: string;
  platform: string;
  elapsedMs: number;
}

interface PanelState {
  extensionVersion: string;
  engine?: EngineInfo;
  engineError?: string;
}

type ToWebview = { type: 'state'; state: PanelState };
type FromWebview = { type: 'ready' } | { type: 'command'; command: string };

interface VsCodeApi {
  postMessage(message: FromWebview): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('root');
if (!root) throw new Error('LSTM Lens panel: #root element missing from the webview HTML');

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (className) e.className = className;
  return e;
}

function render(state: PanelState): void {
  root!.replaceChildren();
  root!.className = '';
  root!.append(el('h3', `LSTM Lens ${state.extensionVersion}`));
  const engine = el('p', undefined, 'engine');
  engine.id = 'engine';
  if (state.engine) {
    const e = state.engine;
    engine.textContent = `onnxruntime-node ${e.ortVersion} on Node ${e.nodeVersion} (${e.platform}), loaded in ${Math.round(e.elapsedMs)} ms`;
  } else if (state.engineError) {
    engine.textContent = state.engineError;
    engine.className = 'error';
  } else {
    engine.textContent = 'Engine not loaded yet.';
    engine.classList.add('muted');
  }
  const check = el('button', 'Check engine');
  check.addEventListener('click', () => vscode.postMessage({ type: 'command', command: 'lstmLens.showEngineInfo' }));
  root!.append(engine, check);
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  if (event.data?.type === 'state') render(event.data.state);
});
vscode.postMessage({ type: 'ready' });
