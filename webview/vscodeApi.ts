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

  /** The saved UI state, or `fallback` when there is none or it lacks fields of `fallback`. */
  loadUiState(fallback: UiState): UiState {
    const saved = this.raw.getState();
    if (typeof saved !== 'object' || saved === null) return fallback;
    return { ...fallback, ...(saved as Partial<UiState>) };
  }

  saveUiState(state: UiState): void {
    this.raw.setState(state);
  }
}
