// The panel's data model: the host's PanelState plus the webview's own UI
// state, and a pure reducer for host messages. No DOM here, so the unit tests
// run it in Node (test/unit/webview/).

import { MessageType, emptyPanelState } from '../../src/protocol/panelProtocol';
import type { PanelSignal, PanelState, ToWebview } from '../../src/protocol/panelProtocol';

/** What the webview remembers by itself (vscode.setState) across hide/show. */
export interface UiState {
  filter: string;
  sort: 'index' | 'score';
  /** Series switched off in the trace charts. */
  hiddenSignals: PanelSignal[];
  /** Sections the user collapsed. */
  closedSections: string[];
}

export const DEFAULT_UI: UiState = { filter: '', sort: 'index', hiddenSignals: [], closedSections: [] };

/** The webview starts from the protocol's empty state. */
export const emptyState = emptyPanelState;

/** Which parts of the page a message changed, so only those are redrawn. */
export type Part =
  'header' | 'cells' | 'trace' | 'saturation' | 'training' | 'cellPage' | 'intervention' | 'gradientFlow';

/** Applies one host message; returns the new state and the parts to redraw. */
export function applyMessage(state: PanelState, msg: ToWebview): { state: PanelState; changed: Part[] } {
  switch (msg.type) {
    case MessageType.State:
      return {
        state: msg.state,
        changed: ['header', 'cells', 'trace', 'saturation', 'training', 'cellPage', 'intervention', 'gradientFlow'],
      };
    case MessageType.Engine:
      return { state: { ...state, engine: msg.engine, engineError: msg.engineError }, changed: ['header'] };
    case MessageType.Model:
      return { state: { ...state, model: msg.model }, changed: ['header', 'cells', 'trace', 'saturation'] };
    case MessageType.Selection:
      return {
        state: { ...state, selection: msg.selection, windowSize: msg.windowSize },
        changed: ['cells', 'trace', 'saturation'],
      };
    case MessageType.Trace:
      return { state: { ...state, trace: msg.trace }, changed: ['trace'] };
    case MessageType.Saturation:
      return { state: { ...state, saturation: msg.saturation }, changed: ['saturation'] };
    case MessageType.Training:
      return { state: { ...state, training: msg.training }, changed: ['training'] };
    case MessageType.Status:
      return { state: { ...state, status: msg.status }, changed: ['header'] };
    case MessageType.CellPage:
      return { state: { ...state, cellPage: msg.cellPage }, changed: ['cellPage'] };
    case MessageType.Intervention:
      return { state: { ...state, intervention: msg.intervention }, changed: ['intervention'] };
    case MessageType.GradientFlow:
      return { state: { ...state, gradientFlow: msg.gradientFlow }, changed: ['gradientFlow'] };
  }
}

/** Host messages are trusted, but a malformed one must not break the page: check the tag. */
export function isToWebview(data: unknown): data is ToWebview {
  if (typeof data !== 'object' || data === null) return false;
  const t = (data as { type?: unknown }).type;
  return (
    t === MessageType.State ||
    t === MessageType.Engine ||
    t === MessageType.Model ||
    t === MessageType.Selection ||
    t === MessageType.Trace ||
    t === MessageType.Saturation ||
    t === MessageType.Training ||
    t === MessageType.Status ||
    t === MessageType.CellPage ||
    t === MessageType.Intervention ||
    t === MessageType.GradientFlow
  );
}
