// The gradient flow section: how far back the prediction at the cursor reaches.
// Off: a line and a button that turns it on. On: which prediction, Turn off,
// and a chart.js line chart of gradient norms (log y) against distance back
// (linear x, 0 … n−1), one line per series ('input', 'L0 h', 'L0 c', …):
// coloured by signal, later layers dashed. The data changes as the cursor
// moves, so one chart is kept and updated; it is destroyed only when the
// section turns off. After each update the box carries data-series and
// data-points for tests.

import { Chart } from 'chart.js';
import type { PanelGradientFlow } from '../../src/protocol/panelProtocol';
import { gradientFlowView } from '../model/gradientFlowModel';
import { el } from './dom';
import type { ChartTheme } from './theme';

export interface GradientFlowCallbacks {
  toggle(): void;
}

const LAYER_DASH: number[][] = [[], [6, 3], [2, 2], [8, 3, 2, 3]];

type FlowChart = Chart<'line', (number | null)[], number>;

export class GradientFlowSection {
  private readonly info = el('p', { className: 'small', id: 'gradient-flow-info' });
  private readonly toggleButton = el('button', { id: 'gradient-flow-toggle' });
  private readonly box = el('div', { className: 'canvas-box', id: 'gradient-flow-chart' });
  private readonly canvas = el('canvas');
  private chart: FlowChart | null = null;

  constructor(container: HTMLElement, cb: GradientFlowCallbacks) {
    this.toggleButton.addEventListener('click', () => cb.toggle());
    this.canvas.setAttribute('role', 'img');
    this.box.append(this.canvas);
    container.append(this.info, el('div', { className: 'toolbar' }, this.toggleButton), this.box);
  }

  render(g: PanelGradientFlow | null, theme: ChartTheme): void {
    if (!g) {
      this.info.textContent = 'Gradient flow is off.';
      this.info.className = 'small muted';
      this.toggleButton.textContent = 'Turn on';
      this.box.hidden = true;
      this.destroyChart();
      return;
    }
    const view = gradientFlowView(g);
    this.info.textContent = view.header;
    this.info.className = 'small';
    this.toggleButton.textContent = 'Turn off';
    this.box.hidden = false;
    this.canvas.setAttribute(
      'aria-label',
      `Gradient norms of ${view.series.map((s) => s.name).join(', ')} against distance back, 0 to ${Math.max(0, view.distances.length - 1)} characters`,
    );
    const datasets = view.series.map((s) => ({
      label: s.name,
      data: s.data,
      borderColor: theme.signal(s.colour),
      backgroundColor: theme.signal(s.colour),
      borderDash: LAYER_DASH[Math.max(0, s.layer) % LAYER_DASH.length] ?? [],
      borderWidth: 1.5,
      pointRadius: 0,
      pointHoverRadius: 3,
      tension: 0,
      spanGaps: false,
    }));
    if (!this.chart) {
      this.chart = new Chart(this.canvas, {
        type: 'line',
        data: { labels: view.distances, datasets },
        options: this.options(theme, view.distances.length),
      });
    } else {
      this.chart.data.labels = view.distances;
      this.chart.data.datasets = datasets;
      this.chart.options = this.options(theme, view.distances.length);
      this.chart.update('none');
    }
    this.box.dataset.series = view.series.map((s) => s.name).join(',');
    this.box.dataset.points = String(view.distances.length);
  }

  dispose(): void {
    this.destroyChart();
  }

  private destroyChart(): void {
    this.chart?.destroy();
    this.chart = null;
    delete this.box.dataset.series;
    delete this.box.dataset.points;
  }

  private options(theme: ChartTheme, n: number): NonNullable<FlowChart['options']> {
    return {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: {
          type: 'linear',
          min: 0,
          max: Math.max(1, n - 1),
          title: { display: true, text: 'distance back (characters)', color: theme.foreground },
          ticks: { color: theme.foreground, precision: 0 },
          grid: { color: theme.grid },
        },
        y: {
          type: 'logarithmic',
          title: { display: true, text: 'gradient norm', color: theme.foreground },
          ticks: { color: theme.foreground },
          grid: { color: theme.grid },
        },
      },
      plugins: {
        legend: { labels: { color: theme.foreground, boxWidth: 10 } },
        tooltip: {
          callbacks: {
            title: (items) => (items[0] ? `distance ${items[0].dataIndex}` : ''),
            label: (item) => `${item.dataset.label}: ${Number(item.parsed.y).toExponential(2)}`,
          },
        },
      },
    };
  }
}
