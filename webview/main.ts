// Entry of the LSTM Lens panel (dist/webview.js). Runs in the webview's
// browser sandbox: no `vscode` module, no core; it displays what the host
// sends (src/protocol/panelProtocol.ts) and asks the host to act.
// Handshake: post Ready, render the State answer, then apply increments.
// Layout: header (version, engine, status), then collapsible sections Cells,
// Cell page, Gate traces, Intervention, Gradient flow, Saturation, Training.
// UI-only state survives hide/show via vscode.setState; everything else comes
// back from the host on Ready.

import { MessageType } from '../src/protocol/panelProtocol';
import type { PanelCommand, PanelState, TraceData } from '../src/protocol/panelProtocol';
import { DEFAULT_UI, applyMessage, emptyState, isToWebview } from './model/panelStore';
import type { Part, UiState } from './model/panelStore';
import { setupCharts } from './views/chartSetup';
import { CellListView } from './views/cellListView';
import { CellPageSection } from './views/cellPageSection';
import { el, section } from './views/dom';
import { GradientFlowSection } from './views/gradientFlowSection';
import { InterventionSection } from './views/interventionSection';
import { SaturationSection } from './views/saturationSection';
import { chartTheme, onThemeChange } from './views/theme';
import { TraceSection } from './views/traceSection';
import { TrainingSection } from './views/trainingSection';
import { PanelApi } from './vscodeApi';

const HOVER_EVERY_MS = 40;

// Anything the strict CSP blocks at run time (e.g. an inline style) is counted
// on <body data-csp-violations> and logged, so tests can see it.
document.addEventListener('securitypolicyviolation', (e) => {
  document.body.dataset.cspViolations = String(Number(document.body.dataset.cspViolations ?? '0') + 1);
  console.error(`LSTM Lens panel: CSP blocked ${e.blockedURI || 'inline content'} (${e.violatedDirective})`);
});

const api = new PanelApi<UiState>();
let ui = api.loadUiState(DEFAULT_UI);
let state: PanelState = emptyState();
const root = document.getElementById('root');
if (!root) throw new Error('LSTM Lens panel: #root element missing from the webview HTML');
setupCharts();

function saveUi(patch: Partial<UiState>): void {
  ui = { ...ui, ...patch };
  api.saveUiState(ui);
}

const command = (c: PanelCommand) => () => api.post({ type: MessageType.RunCommand, command: c });
function button(text: string, id: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', { text, id });
  b.addEventListener('click', onClick);
  return b;
}

// ---- header ----
const heading = el('h3');
const engine = el('p', { id: 'engine', className: 'muted small' });
const status = el('p', { id: 'status', className: 'small' });
const modelLine = el('p', { id: 'model', className: 'small' });
root.replaceChildren(
  heading,
  modelLine,
  status,
  engine,
  el(
    'div',
    { className: 'toolbar' },
    button('Choose model…', 'choose-model', command('lstmLens.chooseModel')),
    button('Discover cells', 'discover-cells', command('lstmLens.discoverCells')),
    button('Check engine', 'check-engine', command('lstmLens.showEngineInfo')),
  ),
);
root.className = '';

function sectionOf(id: string, title: string): HTMLDivElement {
  const s = section(id, title, !ui.closedSections.includes(id), (open) =>
    saveUi({
      closedSections: open ? ui.closedSections.filter((x) => x !== id) : [...new Set([...ui.closedSections, id])],
    }),
  );
  root!.append(s.root);
  return s.body;
}

// ---- sections ----
const cells = new CellListView(sectionOf('cells', 'Cells'), {
  toggle: (cell, on) => api.post({ type: MessageType.ToggleCell, layer: state.selection.layer, cell, on }),
  setPrimary: (cell) => api.post({ type: MessageType.SetPrimary, layer: state.selection.layer, cell }),
  setLayer: (layer) => api.post({ type: MessageType.SetLayer, layer }),
  setFilter: (filter) => {
    saveUi({ filter });
    render(['cells']);
  },
  setSort: (sort) => {
    saveUi({ sort });
    render(['cells']);
  },
  openPage: (cell) => {
    const layer = state.selection.layer;
    const label = state.model?.labels.find((l) => l.layer === layer && l.cell === cell);
    const kind = state.model?.layers[layer]?.kind;
    const signal = label?.signal === 'h' || kind !== 'lstm' ? 'h' : 'c';
    api.post({ type: MessageType.OpenCellPage, layer, cell, signal });
  },
});

const cellPage = new CellPageSection(sectionOf('cell-page-section', 'Cell page'), {
  open: (layer, cell, signal) => api.post({ type: MessageType.OpenCellPage, layer, cell, signal }),
  cancel: () => api.post({ type: MessageType.CancelCellPage }),
  openPlace: (p) => api.post({ type: MessageType.OpenPlace, file: p.file, line: p.line, column: p.column }),
});

let hoverTimer: ReturnType<typeof setTimeout> | undefined;
let pendingHover: { trace: TraceData; offset: number | null } | null = null;
function postHover(): void {
  hoverTimer = undefined;
  if (!pendingHover) return;
  const { trace, offset } = pendingHover;
  pendingHover = null;
  api.post({ type: MessageType.HoverChar, uri: trace.uri, version: trace.version, offset });
}

const traces = new TraceSection(sectionOf('traces', 'Gate traces'), {
  setHiddenSignals: (hiddenSignals) => {
    saveUi({ hiddenSignals });
    render(['trace']);
  },
  setWindowSize: (size) => api.post({ type: MessageType.SetWindowSize, size }),
  hover: (trace, offset) => {
    pendingHover = { trace, offset };
    if (hoverTimer === undefined) hoverTimer = setTimeout(postHover, HOVER_EVERY_MS);
  },
  reveal: (trace, offset) => api.post({ type: MessageType.RevealChar, uri: trace.uri, version: trace.version, offset }),
});

const intervention = new InterventionSection(sectionOf('intervention', 'Intervention'), {
  intervene: command('lstmLens.interveneOnCell'),
  undo: command('lstmLens.clearIntervention'),
  reveal: (uri, version, offset) => api.post({ type: MessageType.RevealChar, uri, version, offset }),
});

const gradientFlow = new GradientFlowSection(sectionOf('gradient-flow', 'Gradient flow'), {
  toggle: command('lstmLens.toggleGradientFlow'),
});

const saturation = new SaturationSection(sectionOf('saturation', 'Saturation'), {
  compute: () => api.post({ type: MessageType.RequestSaturation }),
  select: (cell) => api.post({ type: MessageType.ToggleCell, layer: state.selection.layer, cell, on: true }),
});

const training = new TrainingSection(sectionOf('training', 'Training'), (step) =>
  api.post({ type: MessageType.OpenSnapshot, step }),
);

// ---- drawing ----
function render(parts: Part[]): void {
  const theme = chartTheme();
  if (parts.includes('header')) {
    heading.textContent = `LSTM Lens ${state.extensionVersion}`;
    const m = state.model;
    modelLine.textContent = m
      ? `Model: ${m.name} · ${m.layers.map((l) => `${l.kind.toUpperCase()} ${l.hiddenSize}`).join(' → ')}`
      : 'No model loaded.';
    status.textContent = state.status;
    if (state.engine) {
      const e = state.engine;
      engine.textContent = `onnxruntime-node ${e.ortVersion} on Node ${e.nodeVersion} (${e.platform}), loaded in ${Math.round(e.elapsedMs)} ms`;
      engine.className = 'small';
    } else if (state.engineError) {
      engine.textContent = state.engineError;
      engine.className = 'small error';
    } else {
      engine.textContent = 'Engine not checked yet.';
      engine.className = 'small muted';
    }
  }
  if (parts.includes('cells')) cells.render(state.model, state.selection, ui.filter, ui.sort);
  if (parts.includes('trace')) traces.render(state.trace, state.selection, state.windowSize, ui.hiddenSignals, theme);
  if (parts.includes('intervention')) {
    intervention.render(state.intervention);
    // An intervention started from the editor opens its section.
    if (state.intervention?.status === 'computing') document.getElementById('intervention')?.setAttribute('open', '');
  }
  if (parts.includes('gradientFlow')) gradientFlow.render(state.gradientFlow, theme);
  if (parts.includes('saturation')) saturation.render(state.saturation, state.selection, theme);
  if (parts.includes('training')) training.render(state.training, theme);
  if (parts.includes('cellPage')) {
    cellPage.render(state.cellPage, theme);
    // A page asked for from the editor (hover, Select Cell…) opens its section.
    if (state.cellPage?.status === 'computing') document.getElementById('cell-page-section')?.setAttribute('open', '');
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (!isToWebview(event.data)) return;
  const next = applyMessage(state, event.data);
  state = next.state;
  render(next.changed);
});
onThemeChange(() => render(['trace', 'gradientFlow', 'saturation', 'training', 'cellPage']));
window.addEventListener('unload', () => {
  traces.dispose();
  gradientFlow.dispose();
  saturation.dispose();
  training.dispose();
  cellPage.dispose();
});
render(['header', 'cells', 'trace', 'intervention', 'gradientFlow', 'saturation', 'training', 'cellPage']);
api.post({ type: MessageType.Ready });
