// A cell profile (core/analysis/cellProfile.ts) as the panel's PanelCellPage:
// plain arrays, one code point per excerpt entry, and each character's colour
// bucket by the same rule as the editor (colourRule.ts), so an excerpt reads
// as the editor would draw it. Plain TypeScript, unit-tested without VS Code.

import type { CellPlace, CellProfile } from '../../core/analysis/cellProfile';
import type { ProbeScore } from '../../core/analysis/probes';
import type { Signal } from '../../core/model/types';
import type { PanelCellPage, PanelPlace } from '../../protocol/panelProtocol';
import { drawRuleOf, type ColourStyle } from '../editor/colourRule';
import { bucketOf } from '../editor/colourMap';
import type { CellLabelInfo } from '../lens/lensState';

export function toPanelPlace(p: CellPlace, bucket: (v: number) => string): PanelPlace {
  const chars = Array.from(p.excerpt);
  return {
    file: p.file,
    line: p.line,
    column: p.column,
    value: p.value,
    chars,
    buckets: p.values.map((v, i) => (chars[i] === '\n' ? '' : bucket(v))),
    at: p.offset - p.excerptStart,
  };
}

/**
 * The page of `profile`. `label` is the label the lens shows for the cell (a
 * threshold label draws excerpts on/off), `style` the colouring setting.
 */
export function toPanelCellPage(
  profile: CellProfile,
  options: {
    label?: CellLabelInfo;
    style: ColourStyle;
    sampleName: string;
    seconds: number;
    /** The probes of the lens's last discovery (LensState.probes). */
    probes?: readonly ProbeScore[];
  },
): PanelCellPage {
  const signal = profile.cell.signal as Signal;
  const rule = drawRuleOf('activation', signal, options.label, options.style);
  const bucket = typeof rule.rule === 'function' ? rule.rule : (v: number) => bucketOf(signal, v);
  const n = (x: number): string => x.toLocaleString('en-US');
  return {
    cell: { layer: profile.cell.layer, cell: profile.cell.unit, signal: profile.cell.signal },
    kind: profile.kind,
    label: profile.label?.text ?? options.label?.text ?? null,
    summary: `${n(profile.count)} characters of ${profile.texts.length} ${options.sampleName} file${profile.texts.length === 1 ? '' : 's'}${profile.truncated ? ' (cut)' : ''} in ${options.seconds.toFixed(1)} s`,
    stats: profile.stats,
    histogram: profile.histogram,
    scores: [...profile.scores]
      .sort((a, b) => Math.abs(b.phi ?? b.r) - Math.abs(a.phi ?? a.r))
      .map((s) => ({ name: s.name, r: s.r, phi: s.phi ?? null, f1: s.f1 ?? null })),
    top: profile.top.map((p) => toPanelPlace(p, bucket)),
    intervals: profile.intervals.map((iv) => ({
      lo: iv.lo,
      hi: iv.hi,
      count: iv.count,
      examples: iv.examples.map((p) => toPanelPlace(p, bucket)),
    })),
    prediction: profile.prediction ?? null,
    predictionNote: profile.predictionNote ?? null,
    moves: profile.moves,
    gates: {
      saturation: profile.gates.saturation,
      forgetMean: profile.gates.forgetMean ?? null,
      timescale: profile.gates.timescale ?? null,
    },
    correlated: profile.correlated.map((c) => ({ layer: c.layer, cell: c.unit, signal: c.signal, r: c.r })),
    probes: (options.probes ?? [])
      .filter((p) => p.layer === profile.cell.layer)
      .map((p) => {
        const own = profile.scores.find((sc) => sc.feature === p.feature);
        const rank = p.top.findIndex((t) => t.unit === profile.cell.unit && t.signal === profile.cell.signal);
        return {
          name: p.name,
          probe: p.score,
          alone: own ? (own.phi ?? own.r) : null,
          rank: rank >= 0 ? rank + 1 : null,
          control: p.control,
          floor: p.floor ?? null,
        };
      })
      .sort((a, b) => b.probe - a.probe),
  };
}

/** The 0-based UTF-16 character index of 1-based code-point column `column` in `lineText`. */
export function utf16Column(lineText: string, column: number): number {
  let i = 0;
  for (let k = 1; k < column && i < lineText.length; k++) i += (lineText.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
  return i;
}
