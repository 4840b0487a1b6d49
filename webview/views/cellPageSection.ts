// The cell page: everything about one cell over a sample of the workspace,
// computed by the host in a worker (progress, Cancel). Label and scores, the
// activation histogram, the top places and examples per activation interval
// (excerpts coloured as the editor colours them; a click opens the file
// there), the next characters its h pushes up and down, the characters that
// move it, its gates and memory timescale, the linear probes over its layer
// (is the feature in this cell, or spread over many?), and the most
// correlated cells (a click opens their page).

import { Chart } from 'chart.js';
import type { CellPageState, PanelCellPage, PanelCharEffect, PanelPlace } from '../../src/protocol/panelProtocol';
import { el } from './dom';
import type { ChartTheme } from './theme';

export interface CellPageCallbacks {
  open(layer: number, cell: number, signal: 'h' | 'c'): void;
  cancel(): void;
  openPlace(place: PanelPlace): void;
}

/** Characters of an excerpt shown before its place (the host sends more, for wider views). */
const CONTEXT_BEFORE = 12;

const fmt = (x: number, d = 3): string => (Number.isFinite(x) ? x.toFixed(d) : '—');
const shown = (c: string): string => (c === '\n' ? '⏎' : c === '\t' ? '⇥' : c);

export class CellPageSection {
  private readonly head = el('div', { id: 'cell-page-head', className: 'small' });
  private readonly progress = el('progress', { className: 'progress', id: 'cell-page-progress' });
  private readonly cancelButton = el('button', { text: 'Cancel', id: 'cell-page-cancel' });
  private readonly body = el('div', { id: 'cell-page', className: 'cell-page' });
  private readonly histBox = el('div', { className: 'canvas-box', id: 'cell-page-histogram' });
  private readonly histCanvas = el('canvas');
  private chart: Chart<'bar', number[], string> | null = null;
  private places: PanelPlace[] = [];

  constructor(container: HTMLElement, cb: CellPageCallbacks) {
    this.cancelButton.addEventListener('click', () => cb.cancel());
    this.histCanvas.setAttribute('role', 'img');
    this.histBox.append(this.histCanvas);
    container.append(el('div', { className: 'toolbar' }, this.head, this.cancelButton), this.progress, this.body);
    this.body.addEventListener('click', (e) => {
      const t = e.target as HTMLElement;
      const place = t.closest<HTMLElement>('.place');
      if (place?.dataset.index !== undefined) {
        const p = this.places[Number(place.dataset.index)];
        if (p) cb.openPlace(p);
        return;
      }
      const corr = t.closest<HTMLElement>('button.corr');
      if (corr?.dataset.layer !== undefined)
        cb.open(Number(corr.dataset.layer), Number(corr.dataset.cell), corr.dataset.signal === 'h' ? 'h' : 'c');
    });
  }

  render(s: CellPageState | null, theme: ChartTheme): void {
    const busy = s?.status === 'computing';
    this.cancelButton.hidden = !busy;
    this.progress.hidden = !busy;
    if (busy && s.total > 0) {
      this.progress.max = s.total;
      this.progress.value = s.done;
    } else this.progress.removeAttribute('value');
    if (!s) {
      this.head.textContent =
        'Open a cell page from the hover, a cell’s ⓘ button, Select Cell… or "LSTM Lens: Show Cell Page".';
      this.head.className = 'small muted';
      this.clear();
      return;
    }
    const name = `L${s.cell.layer} ${s.cell.signal}[${s.cell.cell}]`;
    this.head.className = s.status === 'failed' ? 'small error' : 'small';
    if (s.status !== 'done' || !s.page) {
      this.head.textContent =
        s.status === 'computing'
          ? `${name}: ${s.message}${s.total > 0 ? ` ${Math.floor((100 * s.done) / s.total)}%` : ''}`
          : `${name}: ${s.message}`;
      this.head.dataset.status = s.status;
      this.clear();
      return;
    }
    const page = s.page;
    this.head.dataset.status = 'done';
    this.head.textContent = `${name} · ${page.label ?? 'no label'} · ${page.summary}`;
    this.draw(page, theme);
  }

  dispose(): void {
    this.chart?.destroy();
    this.chart = null;
  }

  private clear(): void {
    this.chart?.destroy();
    this.chart = null;
    this.places = [];
    this.body.replaceChildren();
  }

  private draw(page: PanelCellPage, theme: ChartTheme): void {
    this.places = [];
    const parts: HTMLElement[] = [];
    const { min, max, mean, sd } = page.stats;
    parts.push(
      el('p', { className: 'small', text: `values ${fmt(min)} … ${fmt(max)}, mean ${fmt(mean)}, sd ${fmt(sd)}` }),
    );
    parts.push(this.histBox);

    parts.push(el('h4', { text: 'Scores against code features' }));
    const scores = el('table', { id: 'cell-page-scores' });
    scores.append(
      el(
        'tr',
        {},
        el('th', { text: 'feature' }),
        el('th', { text: 'r' }),
        el('th', { text: 'φ' }),
        el('th', { text: 'F1' }),
      ),
    );
    for (const sc of page.scores.slice(0, 8))
      scores.append(
        el(
          'tr',
          {},
          el('td', { text: sc.name }),
          el('td', { className: 'num', text: fmt(sc.r, 2) }),
          el('td', { className: 'num', text: sc.phi === null ? '' : fmt(sc.phi, 2) }),
          el('td', { className: 'num', text: sc.f1 === null ? '' : fmt(sc.f1, 2) }),
        ),
      );
    parts.push(scores);

    parts.push(el('h4', { text: `Top ${page.top.length} places` }));
    parts.push(this.placeList(page.top, 'cell-page-top'));
    page.intervals.forEach((iv, i) => {
      parts.push(el('h4', { text: `${fmt(iv.lo)} … ${fmt(iv.hi)} (${iv.count.toLocaleString('en-US')} characters)` }));
      parts.push(this.placeList(iv.examples, `cell-page-interval-${i}`));
    });

    parts.push(el('h4', { text: 'What it does to the prediction' }));
    if (page.prediction) {
      parts.push(this.chips('pushes the next character up', page.prediction.up, 'cell-page-up', 2));
      parts.push(this.chips('and down', page.prediction.down, 'cell-page-down', 2));
    }
    if (page.predictionNote) parts.push(el('p', { className: 'small muted', text: page.predictionNote }));
    parts.push(this.chips('rises most after reading', page.moves.up, 'cell-page-rises', 3));
    parts.push(this.chips('falls most after reading', page.moves.down, 'cell-page-falls', 3));

    parts.push(el('h4', { text: 'Gates' }));
    const g = page.gates;
    parts.push(
      el('p', {
        className: 'small',
        id: 'cell-page-gates',
        text: g.saturation
          .map(
            (x) =>
              `${x.gate}: mean ${fmt(x.mean, 2)}, <0.1 ${(100 * x.left).toFixed(0)}%, >0.9 ${(100 * x.right).toFixed(0)}%`,
          )
          .join(' · '),
      }),
    );
    if (g.forgetMean !== null && g.timescale !== null)
      parts.push(
        el('p', {
          className: 'small',
          id: 'cell-page-timescale',
          text: `mean forget gate ${fmt(g.forgetMean)} → memory timescale −1/ln f̄ ≈ ${g.timescale.toFixed(1)} characters`,
        }),
      );

    if (page.probes.length > 0) {
      parts.push(el('h4', { text: `Probes over layer ${page.cell.layer} (all its cells, from the last discovery)` }));
      const probes = el('table', { id: 'cell-page-probes' });
      probes.append(
        el(
          'tr',
          {},
          ...['feature', 'probe', 'this cell', 'its weight rank', 'control', 'floor'].map((h) => el('th', { text: h })),
        ),
      );
      for (const p of page.probes)
        probes.append(
          el(
            'tr',
            {},
            el('td', { text: p.name }),
            el('td', { className: 'num', text: fmt(p.probe, 2) }),
            el('td', { className: 'num', text: p.alone === null ? '' : fmt(p.alone, 2) }),
            el('td', { className: 'num', text: p.rank === null ? '' : `#${p.rank}` }),
            el('td', { className: 'num', text: fmt(p.control, 2) }),
            el('td', { className: 'num', text: p.floor === null ? '' : fmt(p.floor, 2) }),
          ),
        );
      parts.push(probes);
    }

    parts.push(el('h4', { text: 'Most correlated cells' }));
    parts.push(
      el(
        'div',
        { className: 'chips', id: 'cell-page-correlated' },
        ...page.correlated.map((c) => {
          const b = el('button', { className: 'corr', text: `L${c.layer} ${c.signal}[${c.cell}] ${fmt(c.r, 2)}` });
          b.dataset.layer = String(c.layer);
          b.dataset.cell = String(c.cell);
          b.dataset.signal = c.signal;
          b.title = 'Open its page';
          return b;
        }),
      ),
    );
    this.body.replaceChildren(...parts);
    this.drawHistogram(page, theme);
  }

  private placeList(places: PanelPlace[], id: string): HTMLElement {
    const list = el('div', { className: 'places', id });
    for (const p of places) {
      const index = this.places.push(p) - 1;
      const ex = el('span', { className: 'ex' });
      // The panel is narrow: a little context before the place, more after it.
      const from = Math.max(0, p.at - CONTEXT_BEFORE);
      ex.append(
        ...p.chars.slice(from).map((c, k) => {
          const i = from + k;
          const span = el('span', { text: shown(c) });
          const cls = [p.buckets[i] ? `b-${p.buckets[i]}` : '', i === p.at ? 'at' : ''].filter(Boolean).join(' ');
          if (cls) span.className = cls;
          return span;
        }),
      );
      const row = el(
        'button',
        { className: 'place', title: `Open ${p.file} at ${p.line}:${p.column}` },
        el('span', { className: 'val', text: fmt(p.value) }),
        el('span', { className: 'where', text: `${p.file.split('/').pop() ?? p.file}:${p.line}:${p.column}` }),
        ex,
      );
      row.dataset.index = String(index);
      row.dataset.file = p.file;
      row.dataset.line = String(p.line);
      row.dataset.column = String(p.column);
      list.append(row);
    }
    return list;
  }

  private chips(title: string, effects: PanelCharEffect[], id: string, digits: number): HTMLElement {
    return el(
      'div',
      { className: 'chips small', id },
      el('span', { className: 'muted', text: `${title}: ` }),
      ...effects.map((e) => el('span', { text: `${e.char} ${e.value >= 0 ? '+' : ''}${e.value.toFixed(digits)}` })),
    );
  }

  private drawHistogram(page: PanelCellPage, theme: ChartTheme): void {
    const { lo, hi, counts } = page.histogram;
    const w = (hi - lo) / Math.max(1, counts.length);
    const labels = counts.map((_, i) => (lo + (i + 0.5) * w).toFixed(2));
    this.histCanvas.setAttribute('aria-label', `Histogram of the cell's values from ${fmt(lo)} to ${fmt(hi)}`);
    this.histBox.dataset.bins = String(counts.length);
    const data = {
      labels,
      datasets: [{ label: 'characters', data: counts, backgroundColor: theme.signal(page.cell.signal) }],
    };
    const options = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false as const,
      scales: {
        x: { ticks: { color: theme.foreground, maxTicksLimit: 8 }, grid: { display: false } },
        y: { type: 'logarithmic' as const, ticks: { color: theme.foreground }, grid: { color: theme.grid } },
      },
      plugins: { legend: { display: false } },
    };
    this.chart?.destroy();
    this.chart = new Chart(this.histCanvas, { type: 'bar', data, options });
  }
}
