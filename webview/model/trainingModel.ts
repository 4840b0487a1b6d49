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

/** Features charted in the formation view at most: those with the best final scores. */
export const FORMATION_FEATURES = 4;

/**
 * The formation view: per feature, its best cell's score against the step,
 * for the FORMATION_FEATURES features that end highest; and the validations
 * whose snapshot can be opened, newest first.
 */
export function formationCurves(t: TrainingView): {
  curves: Curve[];
  snapshots: { step: number; label: string }[];
} {
  const f = t.formation ?? [];
  const last = f[f.length - 1];
  if (!last) return { curves: [], snapshots: [] };
  const names = last.scores
    .filter((s) => s.score !== null)
    .sort((a, b) => (b.score as number) - (a.score as number))
    .slice(0, FORMATION_FEATURES)
    .map((s) => s.name);
  const curves = names.map((name) => ({
    label: name,
    points: f.flatMap((p) => {
      const v = p.scores.find((s) => s.name === name)?.score;
      return v === null || v === undefined ? [] : [{ x: p.step, y: v }];
    }),
  }));
  const snapshots = f
    .filter((p) => p.snapshot)
    .reverse()
    .map((p) => ({ step: p.step, label: `step ${p.step} · val ${p.valBpc.toFixed(2)} bpc` }));
  return { curves, snapshots };
}
