// Curves and read-outs of the training view: bits per character of the
// training and validation data against the step. DOM-free.

import type { TrainingView } from '../../src/protocol/panelProtocol';
import { formatRate } from '../../src/protocol/rateFormat';

export interface Curve {
  label: string;
  points: { x: number; y: number }[];
}

export interface TrainingCurves {
  curves: Curve[];
  summary: string; // "step 1200 · train 2.31 bpc · val 2.45 bpc · 41.2k chars/s"
}

export function trainingCurves(t: TrainingView): TrainingCurves {
  const train = t.points.map((p) => ({ x: p.step, y: p.trainBpc }));
  const val = t.points.filter((p) => p.valBpc !== undefined).map((p) => ({ x: p.step, y: p.valBpc as number }));
  const last = t.points[t.points.length - 1];
  const lastVal = [...t.points].reverse().find((p) => p.valBpc !== undefined);
  const parts: string[] = [t.state];
  if (last) parts.push(`step ${last.step}`, `train ${last.trainBpc.toFixed(2)} bpc`);
  if (lastVal) parts.push(`val ${(lastVal.valBpc as number).toFixed(2)} bpc`);
  if (t.charsPerSecond > 0) parts.push(`${formatRate(t.charsPerSecond)} chars/s`);
  return {
    curves: [
      { label: 'train', points: train },
      { label: 'validation', points: val },
    ],
    summary: parts.join(' · '),
  };
}
