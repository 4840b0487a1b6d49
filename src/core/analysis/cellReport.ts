// The Markdown report of a cell discovery, for the "Discover Interpretable
// Cells" command and `lstm-lens label`: the labelled cells, then a table per
// feature with its best cells, and under each an excerpt of the sample with
// every top cell's activation drawn as a sparkline of Unicode blocks.
// A plain function of plain values (testable without VS Code).

import type { CellDiscovery, CellRef, CellScore, FeatureSummary } from './cellLabels';
import type { ProbeScore } from './probes';
import { FEATURES } from './codeFeatures';
import type { FeatureExcerpt } from './discoverCells';

const BLOCKS = '▁▂▃▄▅▆▇█';

/** One block per value, scaled from lo (▁) to hi (█); lo/hi default to the values' range. */
export function sparkline(values: ArrayLike<number>, lo?: number, hi?: number): string {
  let a = lo ?? Infinity;
  let b = hi ?? -Infinity;
  if (lo === undefined || hi === undefined) {
    for (let i = 0; i < values.length; i++) {
      if (lo === undefined) a = Math.min(a, values[i]);
      if (hi === undefined) b = Math.max(b, values[i]);
    }
  }
  let out = '';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) {
      out += ' ';
      continue;
    }
    const x = b > a ? (v - a) / (b - a) : 0.5;
    out += BLOCKS[Math.max(0, Math.min(BLOCKS.length - 1, Math.round(x * (BLOCKS.length - 1))))];
  }
  return out;
}

/** "L0 c[37]": layer (from 0), signal, unit (from 0). */
export function cellName(c: CellRef): string {
  return `L${c.layer} ${c.signal}[${c.unit}]`;
}

/** Each code point as one visible character, so a sparkline lines up under it. */
export function visibleChars(chars: readonly string[]): string {
  return chars.map((ch) => (ch === '\n' ? '⏎' : ch === '\r' ? '␍' : ch === '\t' ? '→' : ch < ' ' ? '·' : ch)).join('');
}

export interface ReportOptions {
  title?: string;
  modelName?: string;
  /** Labelled cells listed at most (default 40). */
  maxLabels?: number;
}

export interface ReportInput {
  discovery: CellDiscovery;
  excerpts: readonly FeatureExcerpt[];
  texts: readonly { name: string; language: string; chars: number }[];
  truncated: boolean;
  probes?: readonly ProbeScore[];
}

const fmt = (x: number | undefined, digits = 2): string =>
  x === undefined || Number.isNaN(x) ? '–' : x.toFixed(digits);

function rule(s: CellScore): string {
  if (s.threshold === undefined || Number.isNaN(s.threshold)) return '';
  return `${s.above ? '>' : '<'} ${s.threshold.toFixed(2)}`;
}

export function buildReport(input: ReportInput, options: ReportOptions = {}): string {
  const { discovery, texts } = input;
  const lines: string[] = [];
  lines.push(`# ${options.title ?? 'Interpretable cells'}`, '');
  const langs = [...new Set(texts.map((t) => t.language))].join(', ');
  const chars = discovery.count.toLocaleString('en-US');
  const model = options.modelName ? `Model **${options.modelName}**, s` : 'S';
  lines.push(
    `${model}ample of ${texts.length} text${texts.length === 1 ? '' : 's'} (${langs}), ${chars} characters${input.truncated ? ' (cut to this length)' : ''}.`,
  );
  lines.push(
    `A cell is labelled with the feature it tracks best when its score reaches ${discovery.minAbsR.toFixed(2)}. ` +
      'r is the Pearson correlation of the cell with the feature over the sample (point-biserial for on/off features; negative: the cell is low where the feature is high). ' +
      'For on/off features the best single-threshold classifier also gets φ, its correlation with the feature, and F1; the score is the larger of |r| and |φ|. Layers and units count from 0.',
    '',
  );

  const maxLabels = options.maxLabels ?? 40;
  lines.push(`## Labelled cells (${discovery.labels.length})`, '');
  if (discovery.labels.length === 0) {
    lines.push(
      `No cell scores ${discovery.minAbsR.toFixed(2)} or more on any feature. The best cells per feature follow.`,
      '',
    );
  } else {
    lines.push('| cell | label |', '|---|---|');
    for (const l of discovery.labels.slice(0, maxLabels)) lines.push(`| ${cellName(l)} | ${l.text} |`);
    if (discovery.labels.length > maxLabels) lines.push(`| … | ${discovery.labels.length - maxLabels} more |`);
    lines.push('');
  }

  lines.push('## Features', '');
  const skipped: string[] = [];
  for (const f of discovery.features) {
    if (f.skipped !== undefined) {
      skipped.push(`${f.name} (${f.skipped})`);
      continue;
    }
    const cover = f.kind === 'binary' ? `on at ${(100 * f.coverage).toFixed(1)}% of characters` : 'continuous';
    lines.push(`### ${f.name} — ${cover}`, '');
    lines.push(
      f.kind === 'binary' ? '| # | cell | r | φ | F1 | on when |' : '| # | cell | r |',
      f.kind === 'binary' ? '|---|---|---|---|---|---|' : '|---|---|---|',
    );
    f.top.forEach((s, i) => {
      lines.push(
        f.kind === 'binary'
          ? `| ${i + 1} | ${cellName(s)} | ${fmt(s.r)} | ${fmt(s.phi)} | ${fmt(s.f1)} | ${rule(s)} |`
          : `| ${i + 1} | ${cellName(s)} | ${fmt(s.r)} |`,
      );
    });
    lines.push('');
    const ex = input.excerpts.find((e) => e.feature === f.feature);
    if (ex) lines.push(...excerptBlock(ex, f.name));
  }
  if (skipped.length > 0) lines.push(`Not scored: ${skipped.join('; ')}.`, '');
  if (input.probes && input.probes.length > 0) {
    lines.push('## Probes', '');
    lines.push(...probeLines(input.probes, discovery.features, true), '');
  }
  return lines.join('\n');
}

/**
 * The probes as a table (Markdown when `markdown`, else aligned text): per
 * feature and layer, the probe's score beside the best single cell's, the
 * cells carrying its weight, the control task and selectivity, and the
 * random-model floor.
 */
export function probeLines(
  probes: readonly ProbeScore[],
  features: readonly FeatureSummary[],
  markdown = false,
): string[] {
  const first = probes[0];
  const intro =
    `A linear probe (elastic net) per feature reads all ${first ? first.cells : 0} cells of a layer (h and c), trained on ${first?.trainRows ?? 0} characters of some files and scored on ${first?.testRows ?? 0} of others ` +
    '(φ for on/off features, r for the others). "cells for 90%": the fewest cells carrying 90% of its |weight|. ' +
    'Control: the same probe on a random label per character type; selectivity = score − control. ' +
    'Floor: the same probe on a randomly initialised model of the same shape.';
  const head = ['feature', 'layer', 'probe', 'best cell', 'cells for 90%', 'control', 'selectivity', 'floor'];
  const rows = probes.map((p) => {
    const best = features.find((f) => f.feature === p.feature)?.top[0];
    const bestCell = best ? `${fmt(best.score)} (${cellName(best)})` : '–';
    return [
      p.name,
      String(p.layer),
      fmt(p.score),
      bestCell,
      `${p.cellsForMass} of ${p.cells}`,
      fmt(p.control),
      fmt(p.selectivity),
      fmt(p.floor),
    ];
  });
  if (markdown)
    return [
      intro,
      '',
      `| ${head.join(' | ')} |`,
      `|${head.map(() => '---').join('|')}|`,
      ...rows.map((r) => `| ${r.join(' | ')} |`),
    ];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]): string => `  ${r.map((c, i) => c.padEnd(widths[i])).join('  ')}`.trimEnd();
  return ['Probes (all cells of a layer; φ or r on held-out files):', line(head), ...rows.map(line)];
}

function excerptBlock(ex: FeatureExcerpt, featureName: string): string[] {
  const text = visibleChars(ex.chars);
  let run = 0;
  let longest = 0;
  for (const ch of text) {
    run = ch === '`' ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  const fence = '`'.repeat(Math.max(3, longest + 1));
  const spec = FEATURES.find((s) => s.id === ex.feature);
  const rows = [
    `${text}  ${ex.textName}:${ex.start}`,
    ...ex.cells.map((c) => `${sparkline(c.values)}  ${cellName(c.cell)}`),
    `${spec?.kind === 'binary' ? sparkline(ex.featureValues, 0, 1) : sparkline(ex.featureValues)}  ${featureName}`,
  ];
  return [fence, ...rows, fence, ''];
}
