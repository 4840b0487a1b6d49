// The two kinds of second analysis the pair overlay shows (pairOverlay.ts):
// an intervention on the model's cells, and a comparison with another model.

import type { Signal } from '../../core/model/types';
import type { InterventionRequest } from '../../protocol/analysisProtocol';
import type { PanelIntervention } from '../../protocol/panelProtocol';
import type { LensState } from '../lens/lensState';
import { Command } from '../commands';
import type { PairSource } from './pairOverlay';

export const interventionSource: PairSource<InterventionRequest[]> = {
  overlay: 'intervention',
  id: 'lstmLens.intervention',
  name: 'intervention',
  icon: '$(beaker)',
  undo: Command.ClearIntervention,
  columns: { before: 'before', after: 'after' },
  legend: 'red: harder to predict with the clamp, blue: easier; full colour at ±4 bits',
  afterMinusBefore: true,
  begin: (s, requests) => s.intervene(requests),
  fetch: (s) => s.getIntervention(),
  next: (s, offset) => s.getInterventionNext(offset, 5),
  end: (s) => s.clearIntervention(),
};

/** The other model of a comparison. */
export interface ComparedModel {
  path: string;
  name: string;
}

/** Labelled cells matched at most (by score, best first). */
const MATCHED_LABELS = 12;

export function comparisonSource(state: LensState): PairSource<ComparedModel> {
  return {
    overlay: 'comparison',
    id: 'lstmLens.comparison',
    name: 'comparison',
    icon: '$(diff)',
    undo: Command.ClearComparison,
    columns: { before: 'A (active)', after: 'B' },
    legend:
      'A − B: red where the active model is more surprised than the other one, blue where less; full colour at ±4 bits',
    afterMinusBefore: false,
    begin: (s, m) => s.compare(m.path, m.name),
    fetch: (s) => s.getComparison(),
    next: (s, offset) => s.getComparisonNext(offset, 5),
    end: (s) => s.clearComparison(),
    extra: async (s): Promise<Pick<PanelIntervention, 'matches'>> => {
      const labels = [...state.labels].sort((a, b) => b.score - a.score).slice(0, MATCHED_LABELS);
      if (labels.length === 0) return { matches: [] };
      const r = await s.matchCells(labels.map((l) => ({ layer: l.layer, cell: l.cell, signal: l.signal as Signal })));
      return {
        matches: r.matches.map((m, k) => ({
          cell: `L${m.layer} ${m.signal}[${m.cell}]`,
          label: labels[k].text,
          match: m.match ? `L${m.match.layer} ${m.match.signal}[${m.match.cell}]` : null,
          r: m.match ? m.match.r : null,
        })),
      };
    },
  };
}
