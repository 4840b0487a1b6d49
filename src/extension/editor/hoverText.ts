// The hover's Markdown, as a plain function of plain values (unit-tested
// without VS Code; hoverProvider.ts wraps it in a trusted MarkdownString
// limited to our own commands). Compact tables:
//   1. the shown cells (primary first) with every signal of their layer there;
//   2. the top next-character guesses with probabilities, and the surprisal
//      of the character that actually follows;
//   3. the most active cells of the primary layer (|h|), with labels.

import type { Signal } from '../../core/model/types';

export interface HoverCell {
  layer: number;
  cell: number;
  primary: boolean;
  label?: string;
  /** Value of each signal of the cell's layer at the hovered character. */
  values: Partial<Record<Signal, number>>;
}

export interface ActiveCell {
  layer: number;
  cell: number;
  h: number;
  label?: string;
}

export interface HoverInput {
  /** The hovered character (one code point; '\n' for a line end). */
  char: string;
  /** 1-based line and column, for the heading. */
  line: number;
  column: number;
  modelName: string;
  cells: HoverCell[];
  /** Signals in column order (those of the primary layer first). */
  signals: Signal[];
  active: ActiveCell[];
  next?: { top: { char: string; p: number }[]; actual?: string; surprisalBits: number | null };
  /** Command URIs; the hover is trusted for these commands only. */
  selectCellUri: (layer: number, cell: number) => string;
  cellPageUri: (layer: number, cell: number) => string;
  /** Intervene on a cell (Intervene on Cell… with the cell filled in). */
  interveneUri?: (layer: number, cell: number) => string;
  showPanelUri: string;
  /** Shown instead of values while the analysis is not current there. */
  pending?: string;
}

/** A visible form of one character: line ends, spaces, tabs and control characters get symbols. */
export function visibleChar(ch: string): string {
  if (ch === '\n' || ch === '\r\n' || ch === '\r') return '⏎';
  if (ch === ' ') return '␣';
  if (ch === '\t') return '⇥';
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x20) return String.fromCodePoint(0x2400 + cp);
  if (cp === 0x7f) return '␡';
  return ch;
}

/** The character as inline code that survives a Markdown table cell. */
export function charCode(ch: string): string {
  const v = visibleChar(ch);
  if (v === '`') return '`` ` ``';
  if (v === '|') return '`\\|`';
  return '`' + v + '`';
}

/** "+0.93" / "-0.12" / "—" for missing or non-finite values. */
export function formatValue(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '—';
  const s = v.toFixed(2);
  return v >= 0 ? `+${s}` : s;
}

export function formatPercent(p: number): string {
  if (!Number.isFinite(p)) return '—';
  const pct = p * 100;
  return pct >= 10 ? `${pct.toFixed(0)}%` : `${pct.toFixed(1)}%`;
}

/** Text that goes into a table cell: pipes and line breaks would break the row. */
export function tableText(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ')
    .replace(/([*_[\]<>`])/g, '\\$1');
}

export function buildHoverMarkdown(h: HoverInput): string {
  const out: string[] = [];
  out.push(`**LSTM Lens** · ${charCode(h.char)} at ${h.line}:${h.column} · ${tableText(h.modelName)}`, '');
  if (h.pending) {
    out.push(`_${tableText(h.pending)}_`, '');
  }
  if (h.cells.length > 0) {
    out.push(`| cell | ${h.signals.join(' | ')} | label |`);
    out.push(`|:--|${h.signals.map(() => '--:').join('|')}|:--|`);
    for (const c of h.cells) {
      const name = `L${c.layer} #${c.cell}`;
      const vals = h.signals.map((s) => formatValue(c.values[s]));
      out.push(`| ${c.primary ? `**${name}**` : name} | ${vals.join(' | ')} | ${c.label ? tableText(c.label) : ''} |`);
    }
    out.push('');
  }
  if (h.next && h.next.top.length > 0) {
    out.push(`| next | ${h.next.top.map((g) => charCode(g.char)).join(' | ')} |`);
    out.push(`|:--|${h.next.top.map(() => '--:').join('|')}|`);
    out.push(`| p | ${h.next.top.map((g) => formatPercent(g.p)).join(' | ')} |`, '');
    if (h.next.actual !== undefined && h.next.surprisalBits !== null) {
      out.push(`actual next ${charCode(h.next.actual)}: surprisal ${h.next.surprisalBits.toFixed(2)} bits`, '');
    }
  }
  if (h.active.length > 0) {
    out.push('| most active | h | label | |', '|:--|--:|:--|:--|');
    for (const a of h.active) {
      out.push(
        `| L${a.layer} #${a.cell} | ${formatValue(a.h)} | ${a.label ? tableText(a.label) : ''} | [Select this cell](${h.selectCellUri(a.layer, a.cell)}) · [Cell page](${h.cellPageUri(a.layer, a.cell)}) |`,
      );
    }
    out.push('');
  }
  const primary = h.cells.find((c) => c.primary);
  const intervene =
    primary && h.interveneUri
      ? ` · [Intervene on L${primary.layer} #${primary.cell}](${h.interveneUri(primary.layer, primary.cell)})`
      : '';
  out.push(
    `[Show in panel](${h.showPanelUri})${primary ? ` · [Cell page of L${primary.layer} #${primary.cell}](${h.cellPageUri(primary.layer, primary.cell)})` : ''}${intervene}`,
  );
  return out.join('\n');
}

/** Indices of the k largest |values[j]|, largest first (ties: lower index). */
export function mostActive(values: ArrayLike<number>, k: number): number[] {
  const idx = Array.from({ length: values.length }, (_, j) => j).filter((j) => Number.isFinite(values[j]));
  idx.sort((a, b) => Math.abs(values[b]) - Math.abs(values[a]) || a - b);
  return idx.slice(0, Math.max(0, k));
}
