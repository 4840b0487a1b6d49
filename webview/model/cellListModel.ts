// Rows of the cell list: every unit of the shown layer with its toggle state
// and best automatic label, filtered by a query and sorted. DOM-free.
//
// Query: a number matches that unit index exactly or as a prefix ("1" -> 1, 10..19);
// text matches a label case-insensitively; empty shows all.

import type { CellKey, PanelModel, PanelSelection } from '../../src/protocol/panelProtocol';

export interface CellRow {
  cell: number;
  on: boolean;
  primary: boolean;
  label: string; // '' when the cell has none
  score: number; // best label score (|r|), 0 without a label
}

export function sameCell(a: CellKey | null | undefined, b: CellKey): boolean {
  return !!a && a.layer === b.layer && a.cell === b.cell;
}

/** The cell colouring the editor: the one marked primary, else the first toggled. */
export function primaryCell(sel: PanelSelection): CellKey | null {
  return sel.primary ?? sel.cells[0] ?? null;
}

export function cellRows(
  model: PanelModel | null,
  sel: PanelSelection,
  query: string,
  sort: 'index' | 'score',
): CellRow[] {
  if (!model) return [];
  const layer = model.layers[sel.layer];
  if (!layer) return [];
  const best = new Map<number, { text: string; score: number }>();
  for (const l of model.labels) {
    if (l.layer !== sel.layer) continue;
    const prev = best.get(l.cell);
    if (!prev || l.score > prev.score) best.set(l.cell, { text: `${l.signal}: ${l.text}`, score: l.score });
  }
  const primary = primaryCell(sel);
  const q = query.trim().toLowerCase();
  const rows: CellRow[] = [];
  for (let j = 0; j < layer.hiddenSize; j++) {
    const key = { layer: sel.layer, cell: j };
    const b = best.get(j);
    const row: CellRow = {
      cell: j,
      on: sel.cells.some((c) => sameCell(c, key)),
      primary: sameCell(primary, key),
      label: b?.text ?? '',
      score: b?.score ?? 0,
    };
    if (q && !matches(row, q)) continue;
    rows.push(row);
  }
  if (sort === 'score') rows.sort((a, b) => b.score - a.score || a.cell - b.cell);
  return rows;
}

function matches(row: CellRow, q: string): boolean {
  if (/^\d+$/.test(q)) return String(row.cell).startsWith(q);
  return row.label.toLowerCase().includes(q);
}
