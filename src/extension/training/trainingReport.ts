// Words and names for a training run, as plain functions (unit-tested
// without VS Code): the progress notification line, the panel's training
// view points, the end-of-run message, and the readable file name of a model
// trained into workspace storage.

import type { TrainProgress } from '../../core/training/trainer';
import { formatRate } from '../../protocol/rateFormat';
import { formatDuration } from './trainingPresets';

export interface ProgressLine {
  /** '37% · 2.41 bits/char (val 2.55) · 48.2k chars/s · ETA 1 min 12 s' */
  message: string;
  /** 0..100, or undefined while unknown. */
  percent?: number;
}

export function formatProgress(p: TrainProgress): ProgressLine {
  const parts: string[] = [];
  const percent = p.fraction !== undefined ? Math.round(p.fraction * 100) : undefined;
  parts.push(percent !== undefined ? `${percent}%` : `step ${p.step}`);
  if (Number.isFinite(p.trainBitsPerChar)) {
    parts.push(
      `${p.trainBitsPerChar.toFixed(2)} bits/char${p.valBitsPerChar !== undefined && Number.isFinite(p.valBitsPerChar) ? ` (val ${p.valBitsPerChar.toFixed(2)})` : ''}`,
    );
  }
  parts.push(`${formatRate(p.charsPerSecond)} chars/s`);
  if (p.etaSeconds !== undefined && Number.isFinite(p.etaSeconds)) parts.push(`ETA ${formatDuration(p.etaSeconds)}`);
  return { message: parts.join(' · '), percent };
}

/** How much to add to a withProgress bar that already shows `shown` percent. */
export function progressIncrement(shown: number, percent: number | undefined): number {
  if (percent === undefined) return 0;
  return Math.max(0, Math.min(100, percent) - shown);
}

export type StopReason = 'steps' | 'time' | 'early-stop' | 'aborted';

export interface RunOutcome {
  stoppedBy: StopReason;
  steps: number;
  seconds: number;
  bestValBitsPerChar: number; // Infinity when never validated
  saved: boolean; // a model file exists
  modelName: string;
  /** Fine-tuning: the held-out bits/char of the model continued from, before training. */
  startValBitsPerChar?: number;
}

/** The end-of-run notification text. */
export function formatOutcome(o: RunOutcome): string {
  const val = Number.isFinite(o.bestValBitsPerChar) ? `, validation ${o.bestValBitsPerChar.toFixed(3)} bits/char` : '';
  const ran = `${o.steps} steps in ${formatDuration(o.seconds)}`;
  if (o.stoppedBy === 'aborted') {
    return o.saved
      ? `Training cancelled after ${ran}; kept the best model so far, "${o.modelName}"${val}.`
      : `Training cancelled after ${ran}, before the first checkpoint; no model was saved.`;
  }
  const why = o.stoppedBy === 'early-stop' ? ' (stopped early: validation stopped improving)' : '';
  if (o.startValBitsPerChar !== undefined && Number.isFinite(o.bestValBitsPerChar)) {
    const d = o.bestValBitsPerChar - o.startValBitsPerChar;
    const verdict =
      d < 0 ? 'better on your held-out files' : 'no better on your held-out files: keep the model you had';
    return (
      `Fine-tuned "${o.modelName}": ${ran}${why}; held-out ${o.startValBitsPerChar.toFixed(3)} → ` +
      `${o.bestValBitsPerChar.toFixed(3)} bits/char (${d < 0 ? '−' : '+'}${Math.abs(d).toFixed(3)}), ${verdict}.`
    );
  }
  return `Trained "${o.modelName}": ${ran}${why}${val}.`;
}

/** 'My Project!' → 'my-project'; '' → 'workspace'. */
export function slug(name: string): string {
  const s = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return s || 'workspace';
}

/**
 * Readable, sortable file name: '<workspace>-<preset>-YYYY-MM-DD-HHMM.onnx'
 * (local time), with '-2', '-3', … when `taken` says the name exists.
 */
export function modelFileName(
  workspaceName: string,
  preset: string,
  date: Date,
  taken: (name: string) => boolean = () => false,
): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}-${pad(date.getHours())}${pad(date.getMinutes())}`;
  const base = `${slug(workspaceName)}-${slug(preset)}-${stamp}`;
  for (let k = 1; k < 1000; k++) {
    const name = `${base}${k === 1 ? '' : `-${k}`}.onnx`;
    if (!taken(name)) return name;
  }
  throw new Error(`no free model file name for ${base}.onnx`);
}
