// Training view: train/validation bits per character against the step (live),
// throughput, the latest generated sample, and how the interpretable cells
// formed: each feature's best cell score against the step, with the kept
// snapshots as buttons that open one as the active model. Fed by the host
// from the training worker's events.

import { Chart } from 'chart.js';
import type { TrainingView } from '../../src/protocol/panelProtocol';
import { formationCurves, trainingCurves } from '../model/trainingModel';
import { el } from './dom';
import type { ChartTheme } from './theme';

export class TrainingSection {
  private readonly info = el('div', { className: 'small', id: 'training-info' });
  private readonly box = el('div', { className: 'canvas-box', id: 'training-chart' });
  private readonly canvas = el('canvas');
  private readonly sample = el('pre', { className: 'sample', id: 'training-sample' });
  private chart: Chart<'line', { x: number; y: number }[]> | null = null;
  private readonly cellsBox = el('div', { className: 'canvas-box', id: 'training-cells-chart' });
  private readonly cellsCanvas = el('canvas');
  private cellsChart: Chart<'line', { x: number; y: number }[]> | null = null;
  private readonly snapshots = el('div', { className: 'toolbar', id: 'training-snapshots' });

  constructor(
    container: HTMLElement,
    private readonly openSnapshot: (step: number) => void = () => undefined,
  ) {
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', 'Training and validation bits per character');
    this.box.append(this.canvas);
    this.cellsCanvas.setAttribute('role', 'img');
    this.cellsCanvas.setAttribute('aria-label', 'Best cell score per code feature against the step');
    this.cellsBox.append(this.cellsCanvas);
    this.cellsBox.style.height = '240px'; // the legend of four features needs room above the plot
    container.append(this.info, this.box, this.cellsBox, this.snapshots, this.sample);
  }

  render(t: TrainingView | null, theme: ChartTheme): void {
    if (!t) {
      this.info.textContent = 'No training run yet. Run "LSTM Lens: Train Model on Workspace…".';
      this.info.className = 'small muted';
      this.sample.textContent = '';
      this.chart?.destroy();
      this.chart = null;
      this.renderFormation(null, theme);
      return;
    }
    const { curves, summary } = trainingCurves(t);
    this.info.textContent = `${t.title} · ${summary}${t.message ? ` · ${t.message}` : ''}`;
    this.info.className = t.state === 'failed' ? 'small error' : 'small';
    this.sample.textContent = t.sample ? `sample at step ${t.sampleStep}:\n${t.sample}` : '';
    const datasets = curves.map((c) => ({
      label: c.label,
      data: c.points,
      borderColor: theme.signal(c.label),
      backgroundColor: theme.signal(c.label),
      borderWidth: 1.5,
      pointRadius: 0,
      tension: 0,
    }));
    const options = stepChartOptions(theme, 'bits / char', {});
    if (!this.chart) this.chart = new Chart(this.canvas, { type: 'line', data: { datasets }, options });
    else {
      this.chart.data.datasets = datasets;
      this.chart.options = options;
      this.chart.update('none');
    }
    this.box.dataset.points = String(t.points.length);
    this.renderFormation(t, theme);
  }

  private renderFormation(t: TrainingView | null, theme: ChartTheme): void {
    const { curves, snapshots } = t ? formationCurves(t) : { curves: [], snapshots: [] };
    this.cellsBox.hidden = curves.length === 0;
    this.cellsBox.dataset.points = String(t?.formation?.length ?? 0);
    this.cellsBox.dataset.series = curves.map((c) => c.label).join(',');
    this.snapshots.replaceChildren(
      ...(snapshots.length ? [el('span', { className: 'small muted', text: 'open a snapshot: ' })] : []),
      ...snapshots.map((s) => {
        const b = el('button', { text: s.label, className: 'snapshot' });
        b.dataset.step = String(s.step);
        b.addEventListener('click', () => this.openSnapshot(s.step));
        return b;
      }),
    );
    if (curves.length === 0) {
      this.cellsChart?.destroy();
      this.cellsChart = null;
      return;
    }
    const palette = ['#d62728', '#1f77b4', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];
    const datasets = curves.map((c, k) => ({
      label: c.label,
      data: c.points,
      borderColor: palette[k % palette.length],
      backgroundColor: palette[k % palette.length],
      borderWidth: 1.5,
      pointRadius: 2,
      tension: 0,
    }));
    const options = stepChartOptions(theme, 'best cell score', { min: 0, max: 1 }, 10);
    if (!this.cellsChart) this.cellsChart = new Chart(this.cellsCanvas, { type: 'line', data: { datasets }, options });
    else {
      this.cellsChart.data.datasets = datasets;
      this.cellsChart.options = options;
      this.cellsChart.update('none');
    }
  }

  dispose(): void {
    this.chart?.destroy();
    this.chart = null;
    this.cellsChart?.destroy();
    this.cellsChart = null;
  }
}

/** Line chart options against the step: linear x, the y title and range, the legend (font size, default 12). */
function stepChartOptions(
  theme: ChartTheme,
  yTitle: string,
  yRange: { min?: number; max?: number },
  legendFont?: number,
) {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false as const,
    parsing: false as const,
    scales: {
      x: {
        type: 'linear' as const,
        title: { display: true, text: 'step', color: theme.foreground },
        ticks: { color: theme.foreground },
        grid: { color: theme.grid },
      },
      y: {
        ...yRange,
        title: { display: true, text: yTitle, color: theme.foreground },
        ticks: { color: theme.foreground },
        grid: { color: theme.grid },
      },
    },
    plugins: {
      legend: {
        labels: {
          color: theme.foreground,
          boxWidth: legendFont ? 8 : 10,
          ...(legendFont ? { font: { size: legendFont } } : {}),
        },
      },
    },
  };
}
