// Registers the chart.js pieces the panel uses (tree-shaken build), once.

import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Tooltip,
} from 'chart.js';

let done = false;

export function setupCharts(): void {
  if (done) return;
  done = true;
  Chart.register(
    BarController,
    BarElement,
    CategoryScale,
    LinearScale,
    LogarithmicScale,
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
