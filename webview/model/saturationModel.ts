// Scatter data of the saturation view (Karpathy et al. 2015, Fig. 3): for the
// shown layer, one dot per (cell, gate) at x = fraction left-saturated (< 0.1),
// y = fraction right-saturated (> 0.9). DOM-free.

import type { PanelSelection, SaturationData } from '../../src/protocol/panelProtocol';

export interface SaturationDot {
  x: number;
  y: number;
  cell: number;
  on: boolean; // the cell is toggled
}

export interface SaturationView {
  chars: number;
  gates: { gate: string; dots: SaturationDot[] }[];
}

export function saturationView(data: SaturationData, sel: PanelSelection): SaturationView | null {
  const layer = data.layers.find((l) => l.layer === sel.layer);
  if (!layer) return null;
  const on = new Set(sel.cells.filter((c) => c.layer === sel.layer).map((c) => c.cell));
  const gates = [...new Set(layer.points.map((p) => p.gate))];
  return {
    chars: data.chars,
    gates: gates.map((gate) => ({
      gate,
      dots: layer.points
        .filter((p) => p.gate === gate)
        .map((p) => ({ x: p.left, y: p.right, cell: p.cell, on: on.has(p.cell) })),
    })),
  };
}
