// One gate-trace chart (chart.js line chart) for one cell: x = the characters
// of the window, one line per shown signal, a vertical marker at the editor
// cursor. Owns its DOM; dispose() destroys the chart and removes the element.
// Pointer: hovering reports the character index, clicking reveals it.
// Keyboard: the canvas is focusable; Left/Right/Home/End move a marker
// (reported like a hover), Enter/Space reveals that character.
// After each draw the wrapper carries data-* attributes (series, point count,
// pixel x of the first/last point) so tests and screen readers can read it.

import { Chart } from 'chart.js';
import type { Plugin } from 'chart.js';
import type { CellTraceView } from '../model/traceModel';
import { el } from './dom';
import type { ChartTheme } from './theme';

export interface TraceChartCallbacks {
  hover(index: number | null): void;
  reveal(index: number): void;
}

export class TraceChart {
  readonly root: HTMLDivElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly title: HTMLDivElement;
  private chart: Chart<'line', number[], string> | null = null;
  private labels: string[] = [];
  private cursor = -1;
  private focus = -1; // keyboard marker, -1 = none
  private lastHover: number | null = null;
  private theme: ChartTheme | null = null;

  constructor(
    parent: HTMLElement,
    readonly cell: number,
    private readonly cb: TraceChartCallbacks,
  ) {
    this.title = el('div', { className: 'chart-title' });
    this.canvas = el('canvas');
    this.canvas.tabIndex = 0;
    this.canvas.setAttribute('role', 'img');
    this.root = el(
      'div',
      { className: 'trace-chart' },
      this.title,
      el('div', { className: 'canvas-box' }, this.canvas),
    );
    this.root.dataset.cell = String(cell);
    parent.append(this.root);
    this.canvas.addEventListener('mouseleave', () => this.reportHover(null));
    this.canvas.addEventListener('keydown', (e) => this.onKey(e));
    this.canvas.addEventListener('blur', () => {
      this.focus = -1;
      this.reportHover(null);
      this.chart?.draw();
    });
  }

  update(labels: string[], cursor: number, view: CellTraceView, theme: ChartTheme): void {
    this.labels = labels;
    this.cursor = cursor;
    this.theme = theme;
    if (this.focus >= labels.length) this.focus = labels.length - 1;
    this.title.textContent = view.title;
    this.canvas.setAttribute(
      'aria-label',
      `Gate trace of ${view.title}: ${view.series.map((s) => s.label).join(', ')} over ${labels.length} characters. Arrow keys move, Enter jumps the editor there.`,
    );
    const datasets = view.series.map((s) => ({
      label: s.label,
      data: s.data,
      borderColor: theme.signal(s.signal),
      backgroundColor: theme.signal(s.signal),
      borderWidth: 1.5,
      pointRadius: 0,
      pointHoverRadius: 3,
      tension: 0,
      // c is unbounded: its own axis on the right, so the gates in [0, 1] and h in [-1, 1] stay readable.
      yAxisID: s.signal === 'c' ? 'yc' : 'y',
    }));
    if (!this.chart) {
      this.chart = new Chart(this.canvas, {
        type: 'line',
        data: { labels, datasets },
        options: this.options(
          theme,
          datasets.some((d) => d.yAxisID === 'yc'),
        ),
        plugins: [this.markerPlugin()],
      });
    } else {
      this.chart.data.labels = labels;
      this.chart.data.datasets = datasets;
      this.chart.options = this.options(
        theme,
        datasets.some((d) => d.yAxisID === 'yc'),
      );
      this.chart.update('none');
    }
  }

  dispose(): void {
    this.chart?.destroy();
    this.chart = null;
    this.root.remove();
  }

  private options(theme: ChartTheme, withC: boolean): NonNullable<Chart<'line', number[], string>['options']> {
    return {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: 'index', intersect: false },
      onHover: (e) => this.reportHover(this.indexAt(e.x)),
      onClick: (e) => {
        const i = this.indexAt(e.x);
        if (i !== null) this.cb.reveal(i);
      },
      scales: {
        x: {
          ticks: { color: theme.foreground, autoSkip: true, maxRotation: 0, font: { family: theme.mono } },
          grid: { color: theme.grid },
        },
        y: { ticks: { color: theme.foreground }, grid: { color: theme.grid } },
        yc: {
          display: withC,
          position: 'right',
          title: { display: true, text: 'c', color: theme.signal('c') },
          ticks: { color: theme.signal('c') },
          grid: { drawOnChartArea: false },
        },
      },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            title: (items) => {
              const first = items[0];
              return first ? `'${first.label}' (index ${first.dataIndex})` : '';
            },
            label: (item) => `${item.dataset.label}: ${Number(item.parsed.y).toFixed(3)}`,
          },
        },
      },
    };
  }

  /** Draws the cursor and keyboard markers, then records what was drawn as data-* attributes. */
  private markerPlugin(): Plugin<'line'> {
    return {
      id: 'lensMarkers',
      afterDatasetsDraw: (chart) => {
        const { ctx, chartArea } = chart;
        const xScale = chart.scales.x;
        const line = (i: number, colour: string, dash: number[]): void => {
          if (!xScale || i < 0 || i >= this.labels.length) return;
          const x = xScale.getPixelForValue(i);
          ctx.save();
          ctx.strokeStyle = colour;
          ctx.setLineDash(dash);
          ctx.lineWidth = 1;
          ctx.beginPath();
          ctx.moveTo(x, chartArea.top);
          ctx.lineTo(x, chartArea.bottom);
          ctx.stroke();
          ctx.restore();
        };
        line(this.cursor, this.theme?.cursor ?? 'grey', []);
        line(this.focus, this.theme?.foreground ?? 'grey', [3, 3]);
      },
      afterRender: (chart) => {
        const d = this.root.dataset;
        const n = this.labels.length;
        d.series = chart.data.datasets.map((s) => s.label ?? '').join(',');
        d.points = String(n);
        d.pointCounts = chart.data.datasets.map((s) => s.data.length).join(',');
        d.cursor = String(this.cursor);
        const xScale = chart.scales.x;
        if (n > 0 && xScale) {
          d.xFirst = xScale.getPixelForValue(0).toFixed(1);
          d.xLast = xScale.getPixelForValue(n - 1).toFixed(1);
          d.yMid = ((chart.chartArea.top + chart.chartArea.bottom) / 2).toFixed(1);
        }
        d.foreground = this.theme?.foreground ?? ''; // the theme colour last drawn with
        d.drawn = String(Number(d.drawn ?? '0') + 1);
      },
    };
  }

  private indexAt(x: number | null): number | null {
    if (!this.chart || x === null || this.labels.length === 0) return null;
    const v = this.chart.scales.x?.getValueForPixel(x);
    if (v === undefined || !Number.isFinite(v)) return null;
    return Math.max(0, Math.min(this.labels.length - 1, Math.round(v)));
  }

  private reportHover(i: number | null): void {
    if (i === this.lastHover) return;
    this.lastHover = i;
    this.cb.hover(i);
  }

  private onKey(e: KeyboardEvent): void {
    const n = this.labels.length;
    if (n === 0) return;
    const start = this.focus >= 0 ? this.focus : Math.max(0, this.cursor);
    let next: number;
    if (e.key === 'ArrowLeft') next = Math.max(0, start - 1);
    else if (e.key === 'ArrowRight') next = Math.min(n - 1, start + (this.focus >= 0 ? 1 : 0));
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = n - 1;
    else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      this.cb.reveal(start);
      return;
    } else return;
    e.preventDefault();
    this.focus = next;
    this.reportHover(next);
    this.chart?.draw();
  }
}
