// Plain functions behind the panel's gate traces (no `vscode`, unit-tested):
// where the window of characters around the cursor lies, and how the engine's
// layer window (every signal of every cell, from the analysis worker) becomes
// the panel's TraceData for the toggled cells. Values are copied, never
// recomputed.

import type { RecurrentKind } from '../../core/model/types';
import type { WindowResult } from '../../protocol/analysisProtocol';
import { MAX_TRACE_WINDOW, MIN_TRACE_WINDOW, panelSignalsOf } from '../../protocol/panelProtocol';
import type { TraceData, TraceSeries } from '../../protocol/panelProtocol';

/** UTF-16 range [start, end) of about `size` units centred on `cursor`, inside [0, length). */
export function windowAround(cursor: number, length: number, size: number): { start: number; end: number } | null {
  if (!(Number.isInteger(size) && size >= MIN_TRACE_WINDOW && size <= MAX_TRACE_WINDOW)) {
    throw new RangeError(`window size ${size} is outside ${MIN_TRACE_WINDOW}..${MAX_TRACE_WINDOW}`);
  }
  if (!(Number.isInteger(length) && length >= 0)) throw new RangeError(`document length ${length} is not a count`);
  if (length === 0) return null;
  const c = Math.min(Math.max(0, Math.floor(cursor)), length - 1);
  let start = Math.max(0, c - Math.floor(size / 2));
  const end = Math.min(length, start + size);
  start = Math.max(0, end - size);
  return { start, end };
}

export interface TraceInput {
  uri: string;
  version: number;
  kind: RecurrentKind;
  /** The document text of that version the window was computed on, from UTF-16 offset `textStart` (0: all of it) to at least the window's end. */
  text: string;
  textStart?: number;
  /** UTF-16 offset of the cursor. */
  cursor: number;
  /** Units of the window's layer to chart, in toggle order. */
  cells: readonly number[];
  window: WindowResult;
}

/** TraceData for `cells`: every signal of the layer kind that the window holds. */
export function traceFromWindow(input: TraceInput): TraceData {
  const w = input.window;
  const n = w.offsets.length - 1;
  if (n < 1) throw new RangeError('the engine window holds no characters');
  const H = w.hiddenSize;
  for (const cell of input.cells) {
    if (!(Number.isInteger(cell) && cell >= 0 && cell < H))
      throw new RangeError(`cell ${cell} is outside layer ${w.layer} (H = ${H})`);
  }
  const offsets = Array.from(w.offsets);
  const base = input.textStart ?? 0;
  if (offsets[0] < base || offsets[n] > base + input.text.length)
    throw new RangeError(
      `the text (${base}..${base + input.text.length}) does not cover the window ${offsets[0]}..${offsets[n]}`,
    );
  const chars: string[] = [];
  let cursor = -1;
  for (let t = 0; t < n; t++) {
    const ch = input.text.slice(offsets[t] - base, offsets[t + 1] - base);
    chars.push(ch === '\r\n' || ch === '\r' ? '\n' : ch); // line ends are one '\n' step (textIndex.ts)
    if (offsets[t] <= input.cursor && input.cursor < offsets[t + 1]) cursor = t;
  }
  const series: TraceSeries[] = [];
  for (const cell of input.cells) {
    for (const signal of panelSignalsOf(input.kind)) {
      const v = w.signals[signal];
      if (!v) continue;
      if (v.length !== n * H) throw new RangeError(`signal ${signal}: ${v.length} values do not fill (${n}, ${H})`);
      const values = new Array<number>(n);
      for (let t = 0; t < n; t++) values[t] = v[t * H + cell];
      series.push({ cell, signal, values });
    }
  }
  return { uri: input.uri, version: input.version, layer: w.layer, kind: input.kind, offsets, chars, cursor, series };
}
