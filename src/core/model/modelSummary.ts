// A plain summary of a CharModel for people: `lstm-lens info`, the model
// picker and the panel header. Plain values only, so it prints as JSON too.

import type { CharModel, RecurrentKind } from './types';

export interface LayerSummary {
  index: number;
  kind: RecurrentKind;
  inputSize: number; // I
  hiddenSize: number; // H
  parameters: number; // W + R + B
  linearBeforeReset?: boolean; // GRU only
}

export interface ModelSummary {
  vocabSize: number; // V
  unknownId?: number;
  /** Up to `sampleSize` vocabulary entries, each escaped (\n, \t, \u00a0...) for display. */
  vocabSample: string[];
  input: { kind: 'embedding' | 'onehot'; dim: number; parameters: number };
  layers: LayerSummary[];
  output: { inputSize: number; vocabSize: number; parameters: number };
  parameterCount: number;
  metadata: Record<string, string>;
}

/** Shows a vocabulary character unambiguously: JSON escapes, and \uXXXX for invisible ones. */
export function displayChar(ch: string): string {
  const s = JSON.stringify(ch).slice(1, -1);
  const cp = ch.codePointAt(0)!;
  if (
    s.length === 1 &&
    (cp === 0x7f || (cp >= 0x80 && cp <= 0xa0) || cp === 0xad || (cp >= 0x2000 && cp <= 0x200f) || cp === 0xfeff)
  ) {
    return `\\u${cp.toString(16).padStart(4, '0')}`;
  }
  return s === ' ' ? '␠' : s;
}

export function summarizeModel(model: CharModel, sampleSize = 64): ModelSummary {
  const V = model.vocab.chars.length;
  const input =
    model.input.kind === 'embedding'
      ? { kind: 'embedding' as const, dim: model.input.dim, parameters: model.input.table.length }
      : { kind: 'onehot' as const, dim: V, parameters: 0 };
  const layers = model.layers.map((l, index): LayerSummary => {
    const s: LayerSummary = {
      index,
      kind: l.kind,
      inputSize: l.inputSize,
      hiddenSize: l.hiddenSize,
      parameters: l.W.length + l.R.length + l.B.length,
    };
    if (l.kind === 'gru') s.linearBeforeReset = l.linearBeforeReset;
    return s;
  });
  const output = {
    inputSize: model.layers[model.layers.length - 1].hiddenSize,
    vocabSize: V,
    parameters: model.output.W.length + model.output.b.length,
  };
  const summary: ModelSummary = {
    vocabSize: V,
    vocabSample: model.vocab.chars.slice(0, sampleSize).map(displayChar),
    input,
    layers,
    output,
    parameterCount: input.parameters + layers.reduce((a, l) => a + l.parameters, 0) + output.parameters,
    metadata: { ...model.metadata },
  };
  if (model.vocab.unknownId !== undefined) summary.unknownId = model.vocab.unknownId;
  return summary;
}

/** The summary as aligned text lines. */
export function formatModelSummary(s: ModelSummary): string {
  const lines = [
    `vocabulary: ${s.vocabSize} characters` +
      (s.unknownId !== undefined
        ? `, unknown -> id ${s.unknownId}`
        : ', no unknown id (unknown characters map to " " or id 0)'),
    `  ${s.vocabSample.join(' ')}${s.vocabSample.length < s.vocabSize ? ' ...' : ''}`,
    s.input.kind === 'embedding'
      ? `input: embedding (${s.vocabSize}, ${s.input.dim})`
      : `input: one-hot (${s.vocabSize})`,
    ...s.layers.map(
      (l) =>
        `layer ${l.index}: ${l.kind.toUpperCase()} ${l.inputSize} -> ${l.hiddenSize}` +
        (l.kind === 'gru' ? `, linear_before_reset=${l.linearBeforeReset ? 1 : 0}` : '') +
        `  (${l.parameters.toLocaleString('en-US')} parameters)`,
    ),
    `output: linear ${s.output.inputSize} -> ${s.output.vocabSize} logits`,
    `parameters: ${s.parameterCount.toLocaleString('en-US')}`,
  ];
  const keys = Object.keys(s.metadata).sort();
  if (keys.length > 0) {
    lines.push('metadata:');
    const w = Math.max(...keys.map((k) => k.length));
    for (const k of keys) lines.push(`  ${k.padEnd(w)}  ${s.metadata[k]}`);
  }
  return lines.join('\n');
}
