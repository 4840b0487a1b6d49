// The training view's data on the host (no `vscode`, unit-tested): the
// training command (trainCommand.ts) reports the trainer's progress and
// samples here, the panel controller posts the resulting TrainingView.
// Shapes follow src/core/training/trainer.ts (TrainProgress, onSample).
// Curves keep at most MAX_POINTS points: when full, every other old point is
// dropped, so a long run keeps its whole shape at half the resolution.

import type { TrainProgress } from '../../core/training/trainer';
import type { FormationPoint, TrainingPoint, TrainingView } from '../../protocol/panelProtocol';

export const MAX_POINTS = 1000;

export type TrainingProgressInput = Pick<
  TrainProgress,
  'step' | 'trainBitsPerChar' | 'valBitsPerChar' | 'charsPerSecond'
>;

export class PanelTraining {
  private current: TrainingView | null = null;
  /** Snapshot files of the current run by step (host only: the webview names a step, never a path). */
  private readonly snapshots = new Map<number, string>();

  /** Called after every change with the new view. */
  constructor(private readonly changed: (view: TrainingView | null) => void = () => undefined) {}

  get view(): TrainingView | null {
    return this.current;
  }

  /** A new run: earlier curves are dropped. */
  start(title: string): void {
    this.snapshots.clear();
    this.current = { state: 'running', title, points: [], charsPerSecond: 0, sample: '', sampleStep: 0, formation: [] };
    this.changed(this.current);
  }

  progress(p: TrainingProgressInput): void {
    const t = this.need('progress');
    if (!Number.isFinite(p.trainBitsPerChar) || !Number.isInteger(p.step) || p.step < 0) {
      throw new RangeError(
        `training progress needs a step and a finite train bits/char, got step ${p.step}, ${p.trainBitsPerChar}`,
      );
    }
    const last = t.points[t.points.length - 1];
    const point: TrainingPoint = { step: p.step, trainBpc: p.trainBitsPerChar };
    if (p.valBitsPerChar !== undefined && Number.isFinite(p.valBitsPerChar) && p.valBitsPerChar !== lastVal(t.points))
      point.valBpc = p.valBitsPerChar;
    let points =
      last && last.step === p.step ? [...t.points.slice(0, -1), { ...last, ...point }] : [...t.points, point];
    if (points.length > MAX_POINTS)
      points = points.filter((q, i) => i % 2 === 1 || q.valBpc !== undefined || i === points.length - 1);
    this.current = { ...t, points, charsPerSecond: p.charsPerSecond };
    this.changed(this.current);
  }

  sample(s: { step: number; text: string }): void {
    const t = this.need('sample');
    this.current = { ...t, sample: s.text, sampleStep: s.step };
    this.changed(this.current);
  }

  /** A validation's cell scores; `path` when its snapshot was kept, `removed` the steps whose snapshots went. */
  cells(c: {
    step: number;
    valBitsPerChar: number;
    scores: { name: string; score: number | null }[];
    path?: string;
    removed: number[];
  }): void {
    const t = this.need('cells');
    if (c.path) this.snapshots.set(c.step, c.path);
    for (const r of c.removed) this.snapshots.delete(r);
    const point: FormationPoint = {
      step: c.step,
      valBpc: c.valBitsPerChar,
      scores: c.scores.map((x) => ({ name: x.name, score: x.score })),
      snapshot: c.path !== undefined,
    };
    const formation = [...(t.formation ?? []), point].map((f) => ({ ...f, snapshot: this.snapshots.has(f.step) }));
    this.current = { ...t, formation };
    this.changed(this.current);
  }

  /** The snapshot file of the current run at `step`, if it is kept. */
  snapshotAt(step: number): string | undefined {
    return this.snapshots.get(step);
  }

  finish(state: 'done' | 'failed' | 'cancelled', message?: string): void {
    const t = this.need('finish');
    this.current = { ...t, state, message };
    this.changed(this.current);
  }

  private need(what: string): TrainingView {
    if (!this.current) throw new Error(`training ${what} before start()`);
    return this.current;
  }
}

function lastVal(points: readonly TrainingPoint[]): number | undefined {
  for (let i = points.length - 1; i >= 0; i--) if (points[i].valBpc !== undefined) return points[i].valBpc;
  return undefined;
}
