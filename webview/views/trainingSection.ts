// Training view: train/validation bits per character against the step (live),
// throughput, and the latest generated sample. Fed by the host from the
// training worker's events.

import { Chart } from 'chart.js';
import type { TrainingView } from '../../src/protocol/panelProtocol';
import { trainingCurves } from '../model/trainingModel';
import { el } from './dom';
import type { ChartTheme } from './theme';

export class TrainingSection {
  private readonly info = el('div', { className: 'small', id: 'training-info' });
  private readonly box = el('div', { className: 'canvas-box', id: 'training-chart' });
  private readonly canvas = el('canvas');
  private readonly sample = el('pre', { className: 'sample', id: 'training-sample' });
  private chart: Chart<'line', { x: number; y: number }[]> | null = null;

  constructor(container: HTMLElement) {
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', 'Training and validation bits per character');
    this.box.append(this.canvas);
    container.append(this.info, this.box, this.sample);
  }

  render(t: TrainingView | null, theme: ChartTheme): void {
    if (!t) {
      this.info.textContent = 'No training run yet. Run "LSTM Lens: Train Model on Workspace…".';
      this.info.className = 'small muted';
      this.sample.textContent = '';
      this.chart?.destroy();
      this.chart = null;
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
    const options = {
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
          title: { display: true, text: 'bits / char', color: theme.foreground },
          ticks: { color: theme.foreground },
          grid: { color: theme.grid },
        },
      },
      plugins: { legend: { labels: { color: theme.foreground, boxWidth: 10 } } },
    };
    if (!this.chart) this.chart = new Chart(this.canvas, { type: 'line', data: { datasets }, options });
    else {
      this.chart.data.datasets = datasets;
      this.chart.options = options;
      this.chart.update('none');
    }
    this.box.dataset.points = String(t.points.length);
  }

  dispose(): void {
    this.chart?.destroy();
    this.chart = null;
  }
}
