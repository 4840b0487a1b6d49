// Cell discovery end to end: code features of each sample text, one chunked
// pass of the inference engine over it with every cell selected
// (everyCellPass.ts), streaming scores and saturation counts, labels, and
// excerpts for the report.
// Memory stays O(chunk * cells + features * T): activations are never kept
// beyond one chunk, except the short excerpt windows.
//
// Each text starts from the zero state, as a document does in the editor.

import type { CharModel } from '../model/types';
import { modelHash, sampleHash, discoveryCacheKey } from './cacheKey';
import type { SampleText } from './cacheKey';
import { CellScorer } from './cellScorer';
import type { CellSource, ScoreTable } from './cellScorer';
import { discoverLabels } from './cellLabels';
import type { CellDiscovery, CellRef, LabelOptions } from './cellLabels';
import { FEATURES } from './codeFeatures';
import { prepareTexts } from './preparedTexts';
import { planRows, ProbeRowCollector, runProbes } from './probes';
import type { ProbeOptions, ProbeRows, ProbeScore } from './probes';
import { randomCharModel } from '../model/randomModel';
import type { CodeFeatures, FeatureId } from './codeFeatures';
import { chooseExcerpts, copyIntoWindow } from './excerpts';
import { everyCellPass } from './everyCellPass';
import { SaturationCounter, saturationGates } from './saturation';
import type { LayerSaturation } from './saturation';

export interface DiscoverOptions {
  /** Characters per engine run (default 2048). */
  chunkSize?: number;
  /** Characters scored at most, over all texts; the rest is left out and `truncated` set (default 300 000). */
  maxChars?: number;
  tabSize?: number;
  bins?: number;
  label?: LabelOptions;
  /** Length of the excerpt drawn per feature (default 60). */
  excerptLength?: number;
  intraOpThreads?: number;
  /** Linear probes per feature and layer (probes.ts); off unless given. */
  probes?: ProbeOptions & { floor?: boolean };
}

export interface DiscoverProgress {
  done: number; // characters scored so far
  total: number;
  text: string; // name of the text being scored
}

export interface FeatureExcerpt {
  feature: FeatureId;
  textName: string;
  start: number; // step in that text
  chars: string[]; // (E) code points
  featureValues: number[]; // (E)
  cells: { cell: CellRef; values: number[] }[]; // the feature's top cells, (E) each
}

export interface DiscoveryResult {
  table: ScoreTable;
  discovery: CellDiscovery;
  saturation: LayerSaturation[];
  excerpts: FeatureExcerpt[];
  texts: { name: string; language: string; chars: number }[];
  truncated: boolean;
  modelHash: string;
  sampleHash: string;
  cacheKey: string;
  /** When options.probes: one per scored feature and layer. */
  probes?: ProbeScore[];
}

/** Scores every h and c cell of every layer against the code features of `texts`. */
export async function discoverCells(
  model: CharModel,
  texts: readonly SampleText[],
  options: DiscoverOptions = {},
  onProgress?: (p: DiscoverProgress) => void,
  signal?: AbortSignal,
): Promise<DiscoveryResult> {
  const chunkSize = options.chunkSize ?? 2048;
  const maxChars = options.maxChars ?? 300_000;
  if (!(Number.isInteger(chunkSize) && chunkSize >= 1))
    throw new Error(`chunkSize must be a positive integer, got ${chunkSize}`);
  if (texts.length === 0) throw new Error('cell discovery needs at least one text');
  const { prepared, total, truncated } = await prepareTexts(model, texts, maxChars, options.tabSize);
  if (total === 0) throw new Error('cell discovery needs at least one non-empty text');

  const sources: CellSource[] = [];
  model.layers.forEach((layer, l) => {
    sources.push({ layer: l, signal: 'h', size: layer.hiddenSize });
    if (layer.kind === 'lstm') sources.push({ layer: l, signal: 'c', size: layer.hiddenSize });
  });
  const N = sources.reduce((a, s) => a + s.size, 0);
  const scorer = new CellScorer(sources, FEATURES, { bins: options.bins });
  const saturation = new SaturationCounter(
    model.layers.map((l) => ({ size: l.hiddenSize, gates: saturationGates(l.kind) })),
  );
  const windows = chooseExcerpts(prepared, options.excerptLength ?? 60);
  const windowValues = windows.map((w) => new Float32Array(w.length * N)); // (E, N) each
  const plan = options.probes ? planRows(prepared, options.probes) : undefined;
  const rows = plan ? new ProbeRowCollector(model, prepared, plan) : undefined;

  let done = 0;
  try {
    await everyCellPass(
      model,
      prepared.map((p) => p.ids),
      { chunkSize, intraOpThreads: options.intraOpThreads },
      async ({ text: ti, t0, T, layers }) => {
        const p = prepared[ti];
        const acts: Float32Array[] = [];
        model.layers.forEach((layer, l) => {
          const d = layers[l];
          acts.push(d.h!);
          if (layer.kind === 'lstm') acts.push(d.c!);
          saturation.observe(l, d);
        });
        await scorer.observe(
          acts,
          p.features.values.map((v) => v.subarray(t0, t0 + T)),
        );
        rows?.observe(ti, t0, T, layers);
        windows.forEach((w, wi) => {
          if (w.textIndex !== ti) return;
          let offset = 0;
          acts.forEach((a, s) => {
            copyIntoWindow(w, windowValues[wi], N, offset, sources[s].size, a, t0, T);
            offset += sources[s].size;
          });
        });
        done += T;
        onProgress?.({ done, total, text: p.name });
      },
      signal,
    );
  } finally {
    await scorer.dispose();
  }

  const table = scorer.result();
  const discovery = discoverLabels(table, options.label);
  let probes: ProbeScore[] | undefined;
  if (plan && rows && options.probes) {
    // The floor: the same probes on a randomly initialised model of the same shape, at the same characters.
    let floor: ProbeRows | undefined;
    if (options.probes.floor) {
      const random = randomCharModel({
        vocab: model.vocab,
        embeddingDim: model.input.kind === 'embedding' ? model.input.dim : undefined,
        layers: model.layers.map((l) => ({
          kind: l.kind,
          hiddenSize: l.hiddenSize,
          linearBeforeReset: l.kind === 'gru' ? l.linearBeforeReset : undefined,
        })),
        seed: (options.probes.seed ?? 1) + 1000,
      });
      const floorRows = new ProbeRowCollector(random, prepared, plan);
      await everyCellPass(
        random,
        prepared.map((p) => p.ids),
        { chunkSize, intraOpThreads: options.intraOpThreads },
        ({ text: ti, t0, T, layers }) => floorRows.observe(ti, t0, T, layers),
        signal,
      );
      floor = floorRows.result();
    }
    const scored = discovery.features.filter((f) => f.skipped === undefined).map((f) => f.feature);
    probes = await runProbes(rows.result(), scored, options.probes, floor);
  }
  const excerpts = windows.map((w, wi) => excerptOf(w, windowValues[wi], N, prepared[w.textIndex], discovery, sources));
  const { modelHash: mHash, sampleHash: sHash, cacheKey } = discoveryKeyFor(model, texts, options);
  return {
    table,
    discovery,
    saturation: saturation.result(),
    excerpts,
    texts: prepared.map((p) => ({ name: p.name, language: p.language, chars: p.chars.length })),
    truncated,
    modelHash: mHash,
    sampleHash: sHash,
    cacheKey,
    probes,
  };
}

/** The cache key discoverCells will give its result, computed without running it (to look up a cache first). */
export function discoveryKeyFor(
  model: CharModel,
  texts: readonly SampleText[],
  options: DiscoverOptions = {},
): { modelHash: string; sampleHash: string; cacheKey: string } {
  const mHash = modelHash(model);
  const sHash = sampleHash(texts, {
    maxChars: options.maxChars ?? 300_000,
    tabSize: options.tabSize ?? 4,
    bins: options.bins ?? 64,
  });
  return { modelHash: mHash, sampleHash: sHash, cacheKey: discoveryCacheKey(mHash, sHash) };
}

function excerptOf(
  w: { feature: FeatureId; start: number; length: number },
  values: Float32Array,
  N: number,
  text: { name: string; chars: string[]; features: CodeFeatures },
  discovery: CellDiscovery,
  sources: CellSource[],
): FeatureExcerpt {
  const k = FEATURES.findIndex((f) => f.id === w.feature);
  const top = discovery.features[k].top;
  const column = (c: CellRef): number => {
    let base = 0;
    for (const s of sources) {
      if (s.layer === c.layer && s.signal === c.signal) return base + c.unit;
      base += s.size;
    }
    throw new Error(`cell ${c.signal}${c.layer}[${c.unit}] is not among the scored sources`);
  };
  return {
    feature: w.feature,
    textName: text.name,
    start: w.start,
    chars: text.chars.slice(w.start, w.start + w.length),
    featureValues: Array.from(text.features.values[k].subarray(w.start, w.start + w.length)),
    cells: top.map((c) => {
      const j = column(c);
      return {
        cell: { layer: c.layer, signal: c.signal, unit: c.unit },
        values: Array.from({ length: w.length }, (_, t) => values[t * N + j]),
      };
    }),
  };
}
