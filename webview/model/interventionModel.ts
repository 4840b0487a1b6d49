// What the intervention section shows: the description, the status line, the
// mean surprisal before → after, and one row per changed character (where,
// the character made visible, bits before, after and their difference, and a
// colour bucket for the difference). DOM-free.

import type { PanelIntervention } from '../../src/protocol/panelProtocol';
import { visibleChar } from './traceModel';

/** Colour bucket of a difference: '' none, 'pos1'..'pos4' (surprisal rose), 'neg1'..'neg4' (fell); media/panel.css .b-*. */
export type DeltaBucket = '' | `pos${1 | 2 | 3 | 4}` | `neg${1 | 2 | 3 | 4}`;

export interface ChangedRow {
  offset: number; // UTF-16 document offset, for RevealChar
  where: string; // "12:5"
  char: string; // visible: space '·', newline '⏎', tab '→'
  before: string; // bits, "3.21"
  after: string;
  delta: string; // signed, "+1.20" / "-0.45"
  bucket: DeltaBucket;
}

export interface InterventionView {
  description: string;
  /** Column heads of the table: where, char, the two analyses, the difference. */
  heads: string[];
  /** A comparison's cell matches: "L0 c[19] · double-quote string → L0 h[7] (r = 0.91)". */
  matches: string[];
  /** Progress or error text; '' when done without a message. */
  status: string;
  failed: boolean;
  /** "mean surprisal 2.31 → 2.57 bits/char (+0.26)", or null until the numbers are in. */
  mean: string | null;
  rows: ChangedRow[];
}

/** A character of the table, made visible as on the trace axis except tab: '→'. */
export function shownChar(ch: string): string {
  return ch === '\t' ? '→' : visibleChar(ch);
}

/** `x` with `digits` decimals and an explicit sign; '0.00' when it rounds to zero, '—' when not finite. */
export function signed(x: number, digits = 2): string {
  if (!Number.isFinite(x)) return '—';
  const text = Math.abs(x).toFixed(digits);
  if (Number(text) === 0) return text;
  return `${x > 0 ? '+' : '-'}${text}`;
}

const bits = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : '—');

/** Bucket of `delta` on a 4-level scale whose top is `maxAbs` (the largest |Δ| shown). */
export function deltaBucket(delta: number, maxAbs: number): DeltaBucket {
  if (!Number.isFinite(delta) || delta === 0 || !(maxAbs > 0)) return '';
  const level = Math.min(4, Math.max(1, Math.ceil((4 * Math.abs(delta)) / maxAbs))) as 1 | 2 | 3 | 4;
  return delta > 0 ? `pos${level}` : `neg${level}`;
}

export function changedRows(iv: PanelIntervention): ChangedRow[] {
  const deltas = iv.changed.map((c) => c.after - c.before);
  const maxAbs = Math.max(0, ...deltas.filter(Number.isFinite).map(Math.abs));
  return iv.changed.map((c, i) => {
    const d = deltas[i] ?? Number.NaN;
    return {
      offset: c.offset,
      where: `${c.line}:${c.column}`,
      char: shownChar(c.char),
      before: bits(c.before),
      after: bits(c.after),
      delta: signed(d),
      bucket: deltaBucket(d, maxAbs),
    };
  });
}

export function meanLine(iv: PanelIntervention): string | null {
  if (!Number.isFinite(iv.meanBefore) || !Number.isFinite(iv.meanAfter)) return null;
  const names = iv.columns ? ` (${iv.columns.before} → ${iv.columns.after})` : '';
  return `mean surprisal ${bits(iv.meanBefore)} → ${bits(iv.meanAfter)} bits/char (${signed(iv.meanAfter - iv.meanBefore)})${names}`;
}

/** One line per matched cell of a comparison. */
export function matchLines(iv: PanelIntervention): string[] {
  return (iv.matches ?? []).map(
    (m) =>
      `${m.cell} · ${m.label} → ${m.match === null || m.r === null ? 'no match' : `${m.match} (r = ${m.r.toFixed(2)})`}`,
  );
}

export function interventionView(iv: PanelIntervention): InterventionView {
  const done = iv.status === 'done';
  return {
    description: iv.description,
    status: iv.message,
    failed: iv.status === 'failed',
    mean: done ? meanLine(iv) : null,
    rows: iv.status === 'failed' ? [] : changedRows(iv),
    heads: ['line:col', 'char', iv.columns?.before ?? 'before', iv.columns?.after ?? 'after', 'Δ bits'],
    matches: matchLines(iv),
  };
}
