// Means of h and c of chosen units over a text, for mean ablation: one plain
// pass of the model that keeps just those series.

import type { CharModel } from '../model/types';
import { seriesKey } from './cellSelection';
import { DocumentAnalysis } from './documentAnalysis';
import type { CellIntervention, UnitMeans } from './intervention';

/** Means over every step of `text` of the units the 'mean' interventions name. */
export async function meansForInterventions(
  model: CharModel,
  text: string,
  list: readonly CellIntervention[],
  options: { maxChars?: number } = {},
): Promise<UnitMeans> {
  const units = list.filter((iv) => iv.mode === 'mean');
  const found = new Map<string, { h: number; c: number }>();
  if (units.length === 0) return lookup(found);
  const doc = new DocumentAnalysis(model, { maxChars: options.maxChars });
  try {
    doc.setSelection({
      cells: units.map((iv) => ({
        layer: iv.layer,
        cell: iv.unit,
        signals: model.layers[iv.layer]?.kind === 'lstm' ? ['h', 'c'] : ['h'],
      })),
      surprisal: false,
    });
    doc.setText(text, 1);
    await doc.idle();
    const T = doc.ids.length;
    if (T === 0) throw new RangeError('mean ablation needs a text to take the mean over; this one is empty');
    const mean = (v: Float32Array | undefined): number => (v ? v.reduce((s, x) => s + x, 0) / T : 0);
    for (const iv of units) {
      found.set(`${iv.layer}:${iv.unit}`, {
        h: mean(doc.store.series.get(seriesKey(iv.layer, iv.unit, 'h'))),
        c: mean(doc.store.series.get(seriesKey(iv.layer, iv.unit, 'c'))),
      });
    }
  } finally {
    await doc.dispose();
  }
  return lookup(found);
}

function lookup(found: Map<string, { h: number; c: number }>): UnitMeans {
  return (layer, unit) => {
    const m = found.get(`${layer}:${unit}`);
    if (!m) throw new Error(`no mean was taken for L${layer} unit ${unit}`);
    return m;
  };
}
