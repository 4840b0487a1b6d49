// The cell list: layer switch, search box, sort switch, and one row per unit
// with a checkbox (toggle for charts/colouring) and a "primary" button (this
// cell colours the editor). Controls are built once; only rows are redrawn, so
// typing in the search box keeps its focus.

import type { PanelModel, PanelSelection } from '../../src/protocol/panelProtocol';
import { cellRows } from '../model/cellListModel';
import { el } from './dom';

export interface CellListCallbacks {
  toggle(cell: number, on: boolean): void;
  setPrimary(cell: number): void;
  setLayer(layer: number): void;
  setFilter(query: string): void;
  setSort(sort: 'index' | 'score'): void;
  /** Open the page of a cell of the shown layer. */
  openPage(cell: number): void;
}

export class CellListView {
  private readonly layerSelect = el('select', { id: 'layer-select', title: 'Layer shown in the list and charts' });
  private readonly search = el('input', { id: 'cell-search', className: 'search' });
  private readonly sortSelect = el('select', { id: 'cell-sort', title: 'Sort cells' });
  private readonly rows = el('div', { id: 'cell-rows', className: 'cell-rows' });
  private readonly summary = el('div', { className: 'muted small', id: 'cell-summary' });

  constructor(container: HTMLElement, cb: CellListCallbacks) {
    this.search.type = 'search';
    this.search.placeholder = 'Search index or label';
    this.search.setAttribute('aria-label', 'Search cells by index or label');
    this.layerSelect.setAttribute('aria-label', 'Layer');
    this.sortSelect.setAttribute('aria-label', 'Sort cells');
    this.sortSelect.append(new Option('by index', 'index'), new Option('by label score', 'score'));
    this.layerSelect.addEventListener('change', () => cb.setLayer(Number(this.layerSelect.value)));
    this.search.addEventListener('input', () => cb.setFilter(this.search.value));
    this.sortSelect.addEventListener('change', () => cb.setSort(this.sortSelect.value === 'score' ? 'score' : 'index'));
    this.rows.setAttribute('role', 'group');
    this.rows.setAttribute('aria-label', 'Cells');
    this.rows.addEventListener('change', (e) => {
      const t = e.target as HTMLInputElement;
      if (t.type === 'checkbox' && t.dataset.cell !== undefined) cb.toggle(Number(t.dataset.cell), t.checked);
    });
    this.rows.addEventListener('click', (e) => {
      const b = (e.target as HTMLElement).closest<HTMLButtonElement>('button.primary');
      if (b?.dataset.cell !== undefined) cb.setPrimary(Number(b.dataset.cell));
      const info = (e.target as HTMLElement).closest<HTMLButtonElement>('button.page');
      if (info?.dataset.cell !== undefined) cb.openPage(Number(info.dataset.cell));
    });
    container.append(
      el('div', { className: 'toolbar' }, this.layerSelect, this.search, this.sortSelect),
      this.summary,
      this.rows,
    );
  }

  render(model: PanelModel | null, sel: PanelSelection, filter: string, sort: 'index' | 'score'): void {
    if (this.search.value !== filter) this.search.value = filter;
    this.sortSelect.value = sort;
    this.layerSelect.replaceChildren(
      ...(model?.layers ?? []).map(
        (l, i) => new Option(`layer ${i} · ${l.kind.toUpperCase()} ${l.hiddenSize}`, String(i)),
      ),
    );
    this.layerSelect.value = String(sel.layer);
    this.layerSelect.disabled = !model || model.layers.length < 2;
    if (!model) {
      this.summary.textContent = 'No model loaded.';
      this.rows.replaceChildren();
      return;
    }
    const list = cellRows(model, sel, filter, sort);
    const on = sel.cells.length;
    this.summary.textContent = `${list.length} of ${model.layers[sel.layer]?.hiddenSize ?? 0} cells shown · ${on} toggled`;
    this.rows.replaceChildren(
      ...list.map((r) => {
        const box = el('input');
        box.type = 'checkbox';
        box.checked = r.on;
        box.dataset.cell = String(r.cell);
        box.id = `cell-${r.cell}`;
        const star = el('button', {
          text: r.primary ? '★' : '☆',
          className: 'primary',
          title: 'Colour the editor by this cell',
        });
        star.dataset.cell = String(r.cell);
        star.setAttribute('aria-label', `Colour the editor by cell ${r.cell}`);
        star.setAttribute('aria-pressed', String(r.primary));
        const page = el('button', { text: 'ⓘ', className: 'page', title: 'Open this cell’s page' });
        page.dataset.cell = String(r.cell);
        page.setAttribute('aria-label', `Open the page of cell ${r.cell}`);
        const label = el(
          'label',
          { className: 'cell-label' },
          el('span', { className: 'idx', text: String(r.cell) }),
          el('span', { className: 'lbl', text: r.label }),
        );
        label.htmlFor = box.id;
        const row = el(
          'div',
          { className: `cell-row${r.on ? ' on' : ''}${r.primary ? ' is-primary' : ''}` },
          box,
          label,
          star,
          page,
        );
        row.dataset.cell = String(r.cell);
        if (r.label) row.title = `${r.label} (score ${r.score.toFixed(2)})`;
        return row;
      }),
    );
  }
}
