// The gate-trace section: series switches (one per signal of the layer kind),
// window size slider, a line of status, and one TraceChart per toggled cell of
// the shown layer. Charts are kept per cell across updates and disposed when
// their cell is toggled off.

import { MAX_TRACE_WINDOW, MIN_TRACE_WINDOW } from '../../src/protocol/panelProtocol';
import type { PanelSelection, PanelSignal, TraceData } from '../../src/protocol/panelProtocol';
import { offsetAt, traceView } from '../model/traceModel';
import { el } from './dom';
import type { ChartTheme } from './theme';
import { TraceChart } from './traceChart';

export interface TraceSectionCallbacks {
  setHiddenSignals(hidden: PanelSignal[]): void;
  setWindowSize(size: number): void;
  hover(trace: TraceData, offset: number | null): void;
  reveal(trace: TraceData, offset: number): void;
}

export class TraceSection {
  private readonly switches = el('div', { className: 'switches', id: 'signal-switches' });
  private readonly slider = el('input', { id: 'window-size' });
  private readonly sliderText = el('span', { className: 'muted small' });
  private readonly info = el('div', { className: 'muted small', id: 'trace-info' });
  private readonly charts = el('div', { id: 'trace-charts' });
  private readonly byCell = new Map<number, TraceChart>();
  private trace: TraceData | null = null;
  private hidden: PanelSignal[] = [];

  constructor(
    container: HTMLElement,
    private readonly cb: TraceSectionCallbacks,
  ) {
    this.slider.type = 'range';
    this.slider.min = String(MIN_TRACE_WINDOW);
    this.slider.max = String(MAX_TRACE_WINDOW);
    this.slider.step = '20';
    this.slider.setAttribute('aria-label', 'Window size in characters');
    this.slider.addEventListener('input', () => (this.sliderText.textContent = `${this.slider.value} chars`));
    this.slider.addEventListener('change', () => cb.setWindowSize(Number(this.slider.value)));
    this.switches.setAttribute('role', 'group');
    this.switches.setAttribute('aria-label', 'Series shown');
    container.append(
      el(
        'div',
        { className: 'toolbar' },
        this.switches,
        el('label', { className: 'small' }, 'window ', this.slider, ' ', this.sliderText),
      ),
      this.info,
      this.charts,
    );
  }

  render(
    trace: TraceData | null,
    sel: PanelSelection,
    windowSize: number,
    hidden: PanelSignal[],
    theme: ChartTheme,
  ): void {
    this.trace = trace;
    this.hidden = hidden;
    this.slider.value = String(windowSize);
    this.sliderText.textContent = `${windowSize} chars`;
    const toggled = sel.cells.filter((c) => c.layer === sel.layer);
    if (!trace || trace.layer !== sel.layer) {
      this.switches.replaceChildren();
      this.info.textContent =
        toggled.length === 0
          ? 'Toggle cells in the list to chart them.'
          : 'Waiting for the engine… (open a text file and place the cursor)';
      this.disposeCharts(new Set());
      return;
    }
    const view = traceView(trace, sel, hidden);
    this.renderSwitches(view.signals, theme);
    const first = trace.offsets[0] ?? 0;
    const last = trace.offsets[trace.offsets.length - 1] ?? 0;
    this.info.textContent =
      view.cells.length === 0
        ? toggled.length > 0
          ? 'Computing the traces…'
          : 'Toggle cells in the list to chart them.'
        : `characters ${first}–${last} of ${decodeURIComponent(trace.uri.split('/').pop() ?? '')} · click a point to move the cursor there`;
    this.info.dataset.start = String(first);
    this.info.dataset.end = String(last);
    this.info.dataset.version = String(trace.version);
    this.disposeCharts(new Set(view.cells.map((c) => c.cell)));
    for (const cv of view.cells) {
      let chart = this.byCell.get(cv.cell);
      if (!chart) {
        chart = new TraceChart(this.charts, cv.cell, {
          hover: (i) => this.trace && this.cb.hover(this.trace, i === null ? null : offsetAt(this.trace, i)),
          reveal: (i) => {
            const offset = this.trace ? offsetAt(this.trace, i) : null;
            if (this.trace && offset !== null) this.cb.reveal(this.trace, offset);
          },
        });
        this.byCell.set(cv.cell, chart);
      }
      this.charts.append(chart.root); // keep toggle order
      chart.update(view.labels, view.cursor, cv, theme);
    }
  }

  dispose(): void {
    this.disposeCharts(new Set());
  }

  private renderSwitches(signals: readonly PanelSignal[], theme: ChartTheme): void {
    this.switches.replaceChildren(
      ...signals.map((s) => {
        const on = !this.hidden.includes(s);
        const b = el('button', { text: s, className: `switch${on ? ' on' : ''}`, title: `Show or hide ${s}` });
        b.dataset.signal = s;
        b.setAttribute('aria-pressed', String(on));
        b.style.borderColor = theme.signal(s);
        b.addEventListener('click', () => {
          const next = on ? [...this.hidden, s] : this.hidden.filter((x) => x !== s);
          this.cb.setHiddenSignals(next);
        });
        return b;
      }),
    );
  }

  private disposeCharts(keep: Set<number>): void {
    for (const [cell, chart] of this.byCell) {
      if (keep.has(cell)) continue;
      chart.dispose();
      this.byCell.delete(cell);
    }
  }
}
