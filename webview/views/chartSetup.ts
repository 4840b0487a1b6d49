// Registers the chart.js pieces the panel uses (tree-shaken build), once.

import {
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  ScatterController,
  Tooltip,
} from 'chart.js';

let done = false;

export function setupCharts(): void {
  if (done) return;
  done = true;
  Chart.register(
    CategoryScale,
    LinearScale,
    LineController,
    LineElement,
    PointElement,
    ScatterController,
    Tooltip,
    Legend,
    Filler,
  );
  Chart.defaults.animation = false;
  Chart.defaults.font.family = getComputedStyle(document.body).getPropertyValue('--vscode-font-family') || 'sans-serif';
}
