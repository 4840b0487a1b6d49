// Which cells' per-character values the colouring pass keeps, checked
// against the model. Signals: LSTM h c i f o g; GRU h r z n (types.ts).

import type { CharModel, Signal } from '../model/types';
import { signalsOf } from '../model/types';

export interface CellRequest {
  layer: number;
  cell: number;
  signals: Signal[];
}

export interface Selection {
  cells: CellRequest[];
  /** Keep the surprisal (bits) of every character. */
  surprisal: boolean;
}

export const EMPTY_SELECTION: Selection = { cells: [], surprisal: false };

/** Key of one stored per-character series. */
export function seriesKey(layer: number, cell: number, signal: Signal): string {
  return `${layer}:${cell}:${signal}`;
}

/** Throws RangeError naming the first bad entry; returns the distinct cells per layer. */
export function validateSelection(model: CharModel, sel: Selection): number[][] {
  const perLayer: number[][] = model.layers.map(() => []);
  for (const req of sel.cells) {
    const layer = model.layers[req.layer];
    if (!Number.isInteger(req.layer) || !layer) {
      throw new RangeError(`selected layer ${req.layer} does not exist (model has ${model.layers.length})`);
    }
    if (!Number.isInteger(req.cell) || req.cell < 0 || req.cell >= layer.hiddenSize) {
      throw new RangeError(`selected cell ${req.cell} is outside layer ${req.layer} (H = ${layer.hiddenSize})`);
    }
    const allowed = signalsOf(layer.kind);
    for (const s of req.signals) {
      if (!allowed.includes(s)) {
        throw new RangeError(
          `signal '${s}' does not exist in ${layer.kind.toUpperCase()} layer ${req.layer} (has ${allowed.join(', ')})`,
        );
      }
    }
    if (!perLayer[req.layer].includes(req.cell)) perLayer[req.layer].push(req.cell);
  }
  return perLayer;
}
