// From the engine's trace window to what one chart per toggled cell draws:
// x labels (the characters, with newlines/spaces/tabs made visible) and one
// series per switched-on signal. Values are copied from the engine's window,
// never recomputed here. DOM-free.

import { panelSignalsOf } from '../../src/protocol/panelProtocol';
import type { PanelSelection, PanelSignal, TraceData } from '../../src/protocol/panelProtocol';

export interface TraceSeriesView {
  signal: PanelSignal;
  label: string; // "h", "c", ...
  data: number[]; // (n)
}

export interface CellTraceView {
  cell: number;
  title: string; // "cell 12 (layer 0)"
  series: TraceSeriesView[];
}

export interface TraceView {
  labels: string[]; // (n) visible characters
  cursor: number; // index of the cursor character, -1 when outside
  signals: readonly PanelSignal[]; // all signals of the layer kind, in display order
  cells: CellTraceView[];
}

/** A character as an x-axis label: whitespace and control characters made visible. */
export function visibleChar(ch: string): string {
  switch (ch) {
    case '\n':
      return '⏎';
    case '\r':
      return '␍';
    case '\t':
      return '⇥';
    case ' ':
      return '·';
    default: {
      const code = ch.codePointAt(0) ?? 0;
      if (code < 0x20) return String.fromCodePoint(0x2400 + code); // control pictures
      if (code === 0x7f) return '␡';
      return ch;
    }
  }
}

/** Charts for the toggled cells of the trace's layer that it holds, in toggle order; signals in `hidden` are left out. */
export function traceView(trace: TraceData, sel: PanelSelection, hidden: readonly PanelSignal[]): TraceView {
  const signals = panelSignalsOf(trace.kind);
  // A cell toggled after this trace was computed has no series yet: no chart until the next trace.
  const charted = new Set(trace.series.map((x) => x.cell));
  const cells = sel.cells.filter((c) => c.layer === trace.layer && charted.has(c.cell)).map((c) => c.cell);
  return {
    labels: trace.chars.map(visibleChar),
    cursor: trace.cursor,
    signals,
    cells: cells.map((cell) => ({
      cell,
      title: `cell ${cell} (layer ${trace.layer})`,
      series: signals
        .filter((s) => !hidden.includes(s))
        .map((s) => trace.series.find((x) => x.cell === cell && x.signal === s))
        .filter((x): x is TraceData['series'][number] => x !== undefined)
        .map((x) => ({ signal: x.signal, label: x.signal, data: x.values })),
    })),
  };
}

/** UTF-16 document offset of the character at chart index `i`, or null outside the window. */
export function offsetAt(trace: TraceData, i: number): number | null {
  return Number.isInteger(i) && i >= 0 && i < trace.chars.length ? (trace.offsets[i] ?? null) : null;
}
