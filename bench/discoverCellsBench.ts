// Cell discovery benchmark: in one run on the same code-like text and random
// 2x256 LSTM, prints the time of
//   1. the reference: the engine's pass with every cell selected (runSegment
//      + deriveSignals for h, c and gates, chunks of 2048), nothing else;
//   2. code features of the text;
//   3. the streaming scorer (CellScorer.observe) and saturation counts, fed
//      chunk by chunk inside the same kind of pass (timed separately);
//   4. discoverCells end to end;
// and the ratios to (1). Usage: node out/bench/discoverCellsBench.js [--chars N] [--threads T]

import { CellScorer } from '../src/core/analysis/cellScorer';
import { FEATURES, computeCodeFeatures } from '../src/core/analysis/codeFeatures';
import { discoverCells } from '../src/core/analysis/discoverCells';
import { LANGUAGES } from '../src/core/analysis/languages';
import { SaturationCounter } from '../src/core/analysis/saturation';
import { deriveSignals } from '../src/core/inference/deriveGates';
import { ModelRunner, selectRows, zeroState } from '../src/core/inference/modelRunner';
import { Vocabulary } from '../src/core/model/vocab';
import { benchText, makeBenchModel } from './inferenceBenchKit';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const CHARS = arg('--chars', 50_000);
const THREADS = arg('--threads', 2);
const CHUNK = 2048;

async function main(): Promise<void> {
  const model = makeBenchModel(256, 2);
  const text = benchText(CHARS);
  const ids = new Vocabulary(model.vocab).encode(text);
  const runner = new ModelRunner(model, { intraOpThreads: THREADS });
  const selections = model.layers.map((l, k) =>
    selectRows(
      model,
      k,
      Array.from({ length: l.hiddenSize }, (_, j) => j),
    ),
  );
  await runner.warmUp();

  // 2. features
  let t = performance.now();
  const feats = computeCodeFeatures(text, LANGUAGES.javascript);
  const featureMs = performance.now() - t;

  // 1 and 3: one pass; engine time and scoring time measured apart.
  const sources = model.layers.flatMap((l, k) => [
    { layer: k, signal: 'h', size: l.hiddenSize },
    { layer: k, signal: 'c', size: l.hiddenSize },
  ]);
  const scorer = new CellScorer(sources, FEATURES);
  const sat = new SaturationCounter(model.layers.map((l) => ({ size: l.hiddenSize, gates: ['i', 'f', 'o'] })));
  let engineMs = 0;
  let scoreMs = 0;
  let state = zeroState(model);
  for (let t0 = 0; t0 < ids.length; t0 += CHUNK) {
    const T = Math.min(CHUNK, ids.length - t0);
    t = performance.now();
    const out = await runner.runSegment(ids.subarray(t0, t0 + T), state, selections);
    const derived = model.layers.map((l, k) =>
      deriveSignals(l.kind, false, T, l.hiddenSize, out.layers[k], state[k].c),
    );
    state = out.final;
    engineMs += performance.now() - t;
    t = performance.now();
    await scorer.observe(
      derived.flatMap((d) => [d.h!, d.c!]),
      feats.values.map((v) => v.subarray(t0, t0 + T)),
    );
    derived.forEach((d, k) => sat.observe(k, d));
    scoreMs += performance.now() - t;
  }
  scorer.result();
  await scorer.dispose();
  await runner.dispose();

  // 4. end to end
  t = performance.now();
  await discoverCells(model, [{ name: 'bench.ts', text, language: 'javascript' }], {
    intraOpThreads: THREADS,
    maxChars: CHARS,
  });
  const totalMs = performance.now() - t;

  const rate = (ms: number): string => `${Math.round(CHARS / (ms / 1000)).toLocaleString('en-US')} chars/s`;
  console.log(
    `## Cell discovery, 2x256 LSTM (${sources.reduce((a, s) => a + s.size, 0)} h+c cells, ${FEATURES.length} features), ${CHARS} chars, ${THREADS} ORT threads`,
  );
  console.log('| part | ms | rate | ratio to engine pass |');
  console.log('|---|---|---|---|');
  console.log(`| engine pass, all cells (reference) | ${engineMs.toFixed(0)} | ${rate(engineMs)} | 1.00 |`);
  console.log(
    `| code features | ${featureMs.toFixed(0)} | ${rate(featureMs)} | ${(featureMs / engineMs).toFixed(2)} |`,
  );
  console.log(
    `| streaming scores + saturation | ${scoreMs.toFixed(0)} | ${rate(scoreMs)} | ${(scoreMs / engineMs).toFixed(2)} |`,
  );
  console.log(
    `| discoverCells end to end | ${totalMs.toFixed(0)} | ${rate(totalMs)} | ${(totalMs / engineMs).toFixed(2)} |`,
  );
  console.log(`200 kB at the end-to-end rate: ${(((200_000 / CHARS) * totalMs) / 1000).toFixed(1)} s`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
