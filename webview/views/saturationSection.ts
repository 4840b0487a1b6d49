// Saturation view: for the shown layer, a scatter of every cell's gates
// (x = fraction left-saturated, y = fraction right-saturated over the open
// file), one colour per gate, toggled cells drawn larger. Clicking a dot
// toggles that cell on. The numbers come from the host (computed in a worker).

import { Chart } from 'chart.js';
import type { PanelSelection, SaturationData } from '../../src/protocol/panelProtocol';
import { saturationView } from '../model/saturationModel';
import type { SaturationDot } from '../model/saturationModel';
import { el } from './dom';
import type { ChartTheme } from './theme';

export interface SaturationCallbacks {
  compute(): void;
  select(cell: number): void;
}

export class SaturationSection {
  private readonly info = el('div', { className: 'muted small', id: 'saturation-info' });
  private readonly box = el('div', { className: 'canvas-box square', id: 'saturation-chart' });
  private readonly canvas = el('canvas');
  private chart: Chart<'scatter', SaturationDot[]> | null = null;

  constructor(
    container: HTMLElement,
    private readonly cb: SaturationCallbacks,
  ) {
    const run = el('button', { text: 'Compute for this file', id: 'saturation-run' });
    run.addEventListener('click', () => cb.compute());
    this.canvas.setAttribute('role', 'img');
    this.box.append(this.canvas);
    container.append(el('div', { className: 'toolbar' }, run), this.info, this.box);
  }

  render(data: SaturationData | null, sel: PanelSelection, theme: ChartTheme): void {
    const view = data ? saturationView(data, sel) : null;
    if (!data || !view) {
      this.info.textContent = data
        ? `No saturation numbers for layer ${sel.layer}.`
        : 'Fraction of characters where each gate is below 0.1 (x) or above 0.9 (y), over the open file.';
      this.destroyChart();
      return;
    }
    this.info.textContent = `${data.chars} characters of ${data.uri.split('/').pop()} · layer ${sel.layer} · click a dot to toggle its cell`;
    this.canvas.setAttribute(
      'aria-label',
      `Gate saturation scatter of layer ${sel.layer}, gates ${view.gates.map((g) => g.gate).join(', ')}`,
    );
    const datasets = view.gates.map((g) => ({
      label: g.gate,
      data: g.dots,
      backgroundColor: theme.signal(g.gate),
      borderColor: theme.signal(g.gate),
      pointRadius: g.dots.map((d) => (d.on ? 5 : 2.5)),
    }));
    const axis = (title: string) => ({
      min: 0,
      max: 1,
      title: { display: true, text: title, color: theme.foreground },
      ticks: { color: theme.foreground },
      grid: { color: theme.grid },
    });
    const options = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false as const,
      parsing: false as const,
      onClick: (_e: unknown, els: { datasetIndex: number; index: number }[]) => {
        const hit = els[0];
        const dot = hit && view.gates[hit.datasetIndex]?.dots[hit.index];
        if (dot) this.cb.select(dot.cell);
      },
      scales: { x: axis('left-saturated (< 0.1)'), y: axis('right-saturated (> 0.9)') },
      plugins: {
        legend: { labels: { color: theme.foreground, boxWidth: 10 } },
        tooltip: {
          callbacks: {
            label: (it: { dataset: { label?: string }; raw: unknown }) => {
              const d = it.raw as SaturationDot;
              return `cell ${d.cell} ${it.dataset.label}: ${(d.x * 100).toFixed(0)}% left, ${(d.y * 100).toFixed(0)}% right`;
            },
          },
        },
      },
    };
    if (!this.chart) this.chart = new Chart(this.canvas, { type: 'scatter', data: { datasets }, options });
    else {
      this.chart.data.datasets = datasets;
      this.chart.options = options;
      this.chart.update('none');
    }
    this.box.dataset.dots = String(view.gates.reduce((a, g) => a + g.dots.length, 0));
    this.box.dataset.gates = view.gates.map((g) => g.gate).join(',');
  }

  dispose(): void {
    this.destroyChart();
  }

  private destroyChart(): void {
    this.chart?.destroy();
    this.chart = null;
    delete this.box.dataset.dots;
  }
}
