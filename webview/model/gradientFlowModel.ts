// What the gradient flow section shows: a header naming the prediction, and
// one chart line per series of gradient norms against distance back from the
// predicting character, made safe for a logarithmic y axis. DOM-free.

import type { PanelGradientFlow } from '../../src/protocol/panelProtocol';
import { visibleChar } from './traceModel';

export interface GradientSeriesView {
  name: string; // 'input', 'L0 h', 'L0 c', ...
  /** Theme colour key: the signal letter ('h', 'c', ...) or 'input'. */
  colour: string;
  /** Layer of a state series, -1 for the input; later layers are drawn dashed. */
  layer: number;
  data: (number | null)[]; // (values.length) norm at distance d, null where the log axis has no place for it
}

export interface GradientFlowView {
  header: string;
  distances: number[]; // (n) 0 … n−1, n = the longest series
  series: GradientSeriesView[];
}

/** A norm for the log axis: positive finite numbers only, anything else is a gap. */
export function logSafe(values: readonly number[]): (number | null)[] {
  return values.map((v) => (Number.isFinite(v) && v > 0 ? v : null));
}

/** "Prediction after 'a' at line 3:7 of 'b' (p = 0.123)", with "; the model's own guess" when nothing follows. */
export function gradientHeader(g: PanelGradientFlow): string {
  const p = Number.isFinite(g.p) ? g.p.toFixed(3) : '—';
  const guess = g.targetIsGuess ? "; the model's own guess" : '';
  return `Prediction after '${visibleChar(g.char)}' at line ${g.line}:${g.column} of '${visibleChar(g.target)}' (p = ${p}${guess})`;
}

/** 'L1 c' → layer 1, colour 'c'; any other name (the input) → layer -1, colour = the name. */
export function seriesKey(name: string): { layer: number; colour: string } {
  const m = /^L(\d+) (\w+)$/.exec(name);
  return m?.[1] !== undefined && m[2] !== undefined
    ? { layer: Number(m[1]), colour: m[2] }
    : { layer: -1, colour: name };
}

export function gradientFlowView(g: PanelGradientFlow): GradientFlowView {
  const n = Math.max(0, ...g.series.map((s) => s.values.length));
  return {
    header: gradientHeader(g),
    distances: Array.from({ length: n }, (_, d) => d),
    series: g.series.map((s) => ({ name: s.name, ...seriesKey(s.name), data: logSafe(s.values) })),
  };
}
