// Quick-pick items for Select Cell…, Choose Signal… and Choose Layer…, as plain
// functions (unit-tested without VS Code). Cells are searchable by index
// ("L1 #37", "37") and by label; labelled cells come first, best score first.

import type { RecurrentKind, Signal } from '../../core/model/types';
import { signalsOf } from '../../core/model/types';
import type { ModelInfo } from '../../protocol/analysisProtocol';
import type { CellId, CellLabelInfo } from '../lens/lensState';
import { cellTitle } from '../lens/lensState';

export interface CellPickItem {
  label: string;
  description: string;
  detail?: string;
  picked: boolean;
  cell: CellId;
}

export function cellPickItems(info: ModelInfo, labels: readonly CellLabelInfo[], primary: CellId): CellPickItem[] {
  const best = new Map<string, CellLabelInfo>();
  for (const l of labels) {
    const k = `${l.layer}:${l.cell}`;
    if (!best.has(k) || best.get(k)!.score < l.score) best.set(k, l);
  }
  const items: CellPickItem[] = [];
  info.layers.forEach((layer, l) => {
    for (let j = 0; j < layer.hiddenSize; j++) {
      const lab = best.get(`${l}:${j}`);
      const isPrimary = primary.layer === l && primary.cell === j;
      items.push({
        label: cellTitle({ layer: l, cell: j }),
        description: [lab ? `${lab.text}` : '', isPrimary ? '(current)' : ''].filter(Boolean).join(' '),
        detail: lab
          ? `${lab.signal} · score |r| = ${lab.score.toFixed(2)} · ${layer.kind.toUpperCase()} layer ${l}`
          : undefined,
        picked: isPrimary,
        cell: { layer: l, cell: j },
      });
    }
  });
  const score = (it: CellPickItem): number => best.get(`${it.cell.layer}:${it.cell.cell}`)?.score ?? -1;
  // Stable: labelled by score, then everything else in layer/index order.
  return items
    .map((it, i) => ({ it, i }))
    .sort((a, b) => score(b.it) - score(a.it) || a.i - b.i)
    .map((x) => x.it);
}

/** Parses "L1 #37", "1:37", "#37" or "37" (current layer); undefined when it is not a cell reference. */
export function parseCellRef(text: string, currentLayer: number): CellId | undefined {
  const both = /^\s*L(\d+)\s*[#:\s]\s*#?(\d+)\s*$/i.exec(text) ?? /^\s*(\d+)\s*:\s*(\d+)\s*$/.exec(text);
  if (both) return { layer: Number(both[1]), cell: Number(both[2]) };
  const one = /^\s*#?(\d+)\s*$/.exec(text);
  return one ? { layer: currentLayer, cell: Number(one[1]) } : undefined;
}

const SIGNAL_TEXT: Record<Signal, string> = {
  h: 'hidden state: what the layer outputs',
  c: 'cell state: the LSTM memory (coloured through tanh)',
  i: 'input gate: how much new content is written',
  f: 'forget gate: how much memory is kept',
  o: 'output gate: how much memory is shown in h',
  g: 'candidate: the content offered to the memory',
  r: 'reset gate: how much of h the candidate sees',
  z: 'update gate: how much of the old h is kept',
  n: 'candidate: the new content (GRU)',
};

export interface SignalPickItem {
  label: string;
  description: string;
  picked: boolean;
  signal: Signal | 'surprisal';
}

export function signalPickItems(kind: RecurrentKind, current: Signal, surprisalMode: boolean): SignalPickItem[] {
  const items: SignalPickItem[] = signalsOf(kind).map((s) => ({
    label: s,
    description: SIGNAL_TEXT[s],
    picked: !surprisalMode && s === current,
    signal: s,
  }));
  items.push({
    label: 'surprisal',
    description: 'bits of surprise at each character (the error map)',
    picked: surprisalMode,
    signal: 'surprisal',
  });
  return items;
}

export interface LayerPickItem {
  label: string;
  description: string;
  picked: boolean;
  layer: number;
}

export function layerPickItems(info: ModelInfo, current: number): LayerPickItem[] {
  return info.layers.map((l, i) => ({
    label: `Layer ${i}`,
    description: `${l.kind.toUpperCase()}, ${l.hiddenSize} cells, input ${l.inputSize}${i === current ? ' (current)' : ''}`,
    picked: i === current,
    layer: i,
  }));
}
