// Typed wrapper around the webview's acquireVsCodeApi(): the only way the panel
// talks to the host, and it only accepts FromWebview messages. Also keeps the
// panel's own UI state (open sections, filter, switched-off series) across
// hide/show via getState/setState.

import type { FromWebview } from '../src/protocol/panelProtocol';

interface RawVsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): RawVsCodeApi;

export class PanelApi<UiState extends object> {
  private readonly raw: RawVsCodeApi;

  /** acquireVsCodeApi() may be called once per page: construct this once. */
  constructor() {
    this.raw = acquireVsCodeApi();
  }

  post(message: FromWebview): void {
    this.raw.postMessage(message);
  }

  /** The saved UI state over `fallback`: only fields of `fallback`, and only where the saved value has the same type. */
  loadUiState(fallback: UiState): UiState {
    const saved = this.raw.getState();
    if (typeof saved !== 'object' || saved === null) return fallback;
    const out = { ...fallback } as Record<string, unknown>;
    for (const [key, def] of Object.entries(fallback)) {
      const v = (saved as Record<string, unknown>)[key];
      if (v !== undefined && typeof v === typeof def && Array.isArray(v) === Array.isArray(def)) out[key] = v;
    }
    return out as UiState;
  }

  saveUiState(state: UiState): void {
    this.raw.setState(state);
  }
}
