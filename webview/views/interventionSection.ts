// The intervention section: a cell clamped or ablated over the open file, and
// what that did to the model's predictions. Without one, a hint and a button
// that runs the command; with one, what was done, its progress or error, mean
// surprisal before → after, Undo, and the characters whose surprisal changed
// most (Δ coloured like the editor: rise as positive, fall as negative). A
// click (or Enter) on a row reveals that character in the editor.

import type { PanelIntervention } from '../../src/protocol/panelProtocol';
import { interventionView } from '../model/interventionModel';
import { el } from './dom';

export interface InterventionCallbacks {
  intervene(): void;
  undo(): void;
  reveal(uri: string, version: number, offset: number): void;
}

export class InterventionSection {
  private readonly hint = el('p', {
    className: 'small muted',
    id: 'intervention-hint',
    text: 'No intervention. Clamp or ablate a cell to see what the model uses it for.',
  });
  private readonly startButton = el('button', { text: 'Intervene on a cell…', id: 'intervention-start' });
  private readonly undoButton = el('button', { text: 'Undo', id: 'intervention-undo' });
  private readonly description = el('p', { className: 'small', id: 'intervention-description' });
  private readonly status = el('p', { className: 'small', id: 'intervention-status' });
  private readonly mean = el('p', { className: 'small', id: 'intervention-mean' });
  private readonly matches = el('ul', { className: 'small', id: 'intervention-matches' });
  // .cell-page gives the table the cell page's compact, right-aligned number columns.
  private readonly table = el('table', { id: 'intervention-changed' });
  private readonly body = el('div', { className: 'cell-page' }, this.table);
  private current: PanelIntervention | null = null;

  constructor(container: HTMLElement, cb: InterventionCallbacks) {
    this.startButton.addEventListener('click', () => cb.intervene());
    this.undoButton.addEventListener('click', () => cb.undo());
    const reveal = (t: EventTarget | null): void => {
      const row = (t as HTMLElement | null)?.closest<HTMLElement>('tr[data-offset]');
      if (row?.dataset.offset !== undefined && this.current)
        cb.reveal(this.current.uri, this.current.version, Number(row.dataset.offset));
    };
    this.table.addEventListener('click', (e) => reveal(e.target));
    this.table.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' && e.key !== ' ') return;
      e.preventDefault();
      reveal(e.target);
    });
    container.append(
      this.hint,
      this.description,
      el('div', { className: 'toolbar' }, this.startButton, this.undoButton),
      this.status,
      this.mean,
      this.matches,
      this.body,
    );
  }

  render(iv: PanelIntervention | null): void {
    this.current = iv;
    const view = iv ? interventionView(iv) : null;
    this.hint.hidden = view !== null;
    this.startButton.hidden = view !== null;
    this.undoButton.hidden = view === null;
    this.description.textContent = view?.description ?? '';
    this.description.hidden = view === null;
    this.status.textContent = view?.status ?? '';
    this.status.className = view?.failed ? 'small error' : 'small muted';
    this.status.hidden = !view?.status;
    if (iv) this.status.dataset.status = iv.status;
    else delete this.status.dataset.status;
    this.mean.textContent = view?.mean ?? '';
    this.mean.hidden = !view?.mean;
    this.matches.replaceChildren(...(view?.matches ?? []).map((m) => el('li', { text: m })));
    this.matches.hidden = !view?.matches.length;
    const rows = view?.rows ?? [];
    this.body.hidden = rows.length === 0;
    this.table.replaceChildren();
    if (rows.length === 0) return;
    this.table.append(
      el('tr', {}, ...view!.heads.map((h) => el('th', { text: h }))),
      ...rows.map((r) => {
        const tr = el(
          'tr',
          { title: `Show ${r.where} in the editor` },
          el('td', { text: r.where }),
          el('td', { className: 'char', text: r.char }),
          el('td', { className: 'num', text: r.before }),
          el('td', { className: 'num', text: r.after }),
          el('td', { className: r.bucket ? `num b-${r.bucket}` : 'num', text: r.delta }),
        );
        tr.dataset.offset = String(r.offset);
        tr.tabIndex = 0;
        return tr;
      }),
    );
  }
}
