// Which map draws the editor, and the legend that says what its colours mean
// (plain functions, unit-tested without VS Code):
//   surprisal mode          — bits, 0 → 8+ (colourMap.ts)
//   a threshold detector    — when the shown cell and signal carry a binary
//                             label (quote detector, comment detector …):
//                             on / off by its threshold, with strength
//   anything else           — the diverging map, blue negative, red positive
// `lstmLens.colouring.style` = 'diverging' always uses the diverging map.

import type { Signal } from '../../core/model/types';
import type { CellLabelInfo, ColourMode } from '../lens/lensState';
import { bucketOf, SURPRISAL_FULL_BITS, thresholdBucketOf } from './colourMap';
import type { BucketKey, BucketRule } from './colourMap';

export type ColourStyle = 'auto' | 'diverging';
export const COLOUR_STYLES: readonly ColourStyle[] = ['auto', 'diverging'];

export type DrawRule =
  | { kind: 'surprisal'; rule: BucketRule }
  | { kind: 'diverging'; rule: BucketRule; signal: Signal }
  | { kind: 'threshold'; rule: BucketRule; signal: Signal; threshold: number; above: boolean; label: string };

export function drawRuleOf(
  mode: ColourMode,
  signal: Signal,
  label: CellLabelInfo | undefined,
  style: ColourStyle,
): DrawRule {
  if (mode === 'surprisal') return { kind: 'surprisal', rule: 'surprisal' };
  if (
    style === 'auto' &&
    label &&
    label.signal === signal &&
    label.threshold !== undefined &&
    label.above !== undefined
  ) {
    const { threshold, above } = label;
    return {
      kind: 'threshold',
      rule: (v: number): BucketKey => thresholdBucketOf(signal, v, threshold, above),
      signal,
      threshold,
      above,
      label: label.text,
    };
  }
  return { kind: 'diverging', rule: (v: number): BucketKey => bucketOf(signal, v), signal };
}

/** A swatch: a few non-breaking spaces on the bucket's colour (hex, for the Markdown sanitizer), or '' without one. */
function swatch(colours: Readonly<Record<string, string>>, bucket: BucketKey): string {
  const c = colours[bucket];
  return c && /^#[0-9a-fA-F]{3,8}$/.test(c) ? `<span style="background-color:${c};">&nbsp;&nbsp;&nbsp;</span>` : '';
}

/**
 * The legend as one Markdown line (HTML spans for swatches: the hover and the
 * status bar tooltip render it with supportHtml). `colours` maps bucket keys
 * to the theme's hex colours.
 */
export function legendMarkdown(rule: DrawRule, colours: Readonly<Record<string, string>>): string {
  const s = (b: BucketKey): string => swatch(colours, b);
  switch (rule.kind) {
    case 'surprisal':
      return `Colours: ${s('surprisal1')}${s('surprisal2')}${s('surprisal3')}${s('surprisal4')} surprisal 0 → ${SURPRISAL_FULL_BITS}+ bits · no colour: expected`;
    case 'threshold': {
      const cmp = rule.above ? '>' : '<';
      return `Colours: ${s('pos1')}${s('pos2')}${s('pos3')}${s('pos4')} on, ${rule.signal} ${cmp} ${rule.threshold.toFixed(2)} (deeper: further past it) · no colour: off — drawn as a detector (${rule.label.split(' (')[0]})`;
    }
    case 'diverging': {
      const how =
        rule.signal === 'c'
          ? 'c through tanh'
          : ['i', 'f', 'o', 'r', 'z'].includes(rule.signal)
            ? `${rule.signal} around 0.5`
            : rule.signal;
      return `Colours: ${s('neg4')}${s('neg2')} negative · no colour: near 0 · ${s('pos2')}${s('pos4')} positive (${how})`;
    }
  }
}

/** Theme colours of the buckets for a theme kind, from the manifest's contributes.colors defaults. */
export function manifestColours(
  colors: unknown,
  kind: 'light' | 'dark' | 'highContrast' | 'highContrastLight',
): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(colors)) return out;
  for (const c of colors as { id?: unknown; defaults?: Record<string, unknown> }[]) {
    if (typeof c.id !== 'string' || !c.id.startsWith('lstmLens.') || !c.defaults) continue;
    const v = c.defaults[kind] ?? (kind === 'highContrastLight' ? c.defaults.light : undefined);
    if (typeof v === 'string') out[c.id.slice('lstmLens.'.length)] = v;
  }
  return out;
}
