// Interventions and gradient flow on the bundled model, against references
// measured in the same run on the same text:
//   1. saliency of the prediction at a position, 400 characters back (what
//      the editor's gradient flow asks for at every cursor move): p50 / p95
//      over positions, against one plain forward run of the same 401
//      characters (the fused op) — target 200 ms;
//   2. the clamped analysis of a whole file (stepped graph, a cell zeroed
//      everywhere) against the plain analysis, in chars/s.
// Usage: node out/bench/interventionBench.js [--reps=N]

import * as fs from 'fs';
import * as path from 'path';
import { readModelFile } from '../src/core/model/modelFile';
import { DocumentAnalysis } from '../src/core/inference/documentAnalysis';
import { InterventionPlan, resolveInterventions } from '../src/core/inference/intervention';
import { ModelRunner, selectRows } from '../src/core/inference/modelRunner';
import { SALIENCY_WINDOW, SaliencyEngine } from '../src/core/inference/saliency';
import { median, pct } from './inferenceBenchKit';
import { benchHeader } from './benchHeader';

const ROOT = path.resolve(__dirname, '..', '..');
const reps = Number(process.argv.find((a) => a.startsWith('--reps='))?.slice(7) ?? 30);

async function main(): Promise<void> {
  const model = await readModelFile(path.join(ROOT, 'media', 'models', 'default.onnx'));
  const files = [
    'src/core/inference/modelRunner.ts',
    'src/core/inference/passScheduler.ts',
    'src/core/training/trainer.ts',
  ];
  const text = files.map((f) => fs.readFileSync(path.join(ROOT, f), 'utf8')).join('\n');
  console.log(benchHeader('interventionBench'));
  console.log(
    `model: ${model.layers.map((l) => `${l.kind} ${l.hiddenSize}`).join(' + ')}; text ${text.length} chars of this repository`,
  );

  const doc = new DocumentAnalysis(model, { intraOpThreads: 1 });
  doc.setText(text, 1);
  await doc.idle();
  const T = doc.ids.length;

  // 1. saliency vs a plain forward of the same window
  const engine = new SaliencyEngine(model);
  let t0 = performance.now();
  await engine.warmUp();
  const warm = performance.now() - t0;
  const plain = new ModelRunner(model, { intraOpThreads: 1 });
  const rows = model.layers.map((_, l) => selectRows(model, l, []));
  await plain.runSegment(doc.ids.subarray(0, SALIENCY_WINDOW + 1), await doc.stateAt(0), rows, { from: 0 });
  const sal: number[] = [];
  const fwd: number[] = [];
  for (let k = 0; k < reps; k++) {
    const at = SALIENCY_WINDOW + Math.floor(((T - SALIENCY_WINDOW - 2) * (k + 0.5)) / reps);
    const a = at - SALIENCY_WINDOW;
    const state = await doc.stateAt(a);
    t0 = performance.now();
    await plain.runSegment(doc.ids.subarray(a, at + 1), state, rows, { from: a });
    fwd.push(performance.now() - t0);
    t0 = performance.now();
    await engine.explain(doc.ids, at, (s) => doc.stateAt(s));
    sal.push(performance.now() - t0);
  }
  console.log(
    `saliency, ${SALIENCY_WINDOW} characters back: p50 ${median(sal).toFixed(1)} ms, p95 ${pct(sal, 95).toFixed(1)} ms ` +
      `(target 200 ms; first request builds the graph: ${warm.toFixed(0)} ms)`,
  );
  console.log(
    `  reference, a plain forward of the same ${SALIENCY_WINDOW + 1} characters: p50 ${median(fwd).toFixed(1)} ms; ` +
      `ratio saliency / forward: ${(median(sal) / median(fwd)).toFixed(1)}×`,
  );

  // 2. the clamped whole-file analysis vs the plain one
  const passes = async (plan?: InterventionPlan): Promise<number> => {
    const d = new DocumentAnalysis(model, { intraOpThreads: 1, intervention: plan });
    d.setSelection({ cells: [], surprisal: true });
    await d.warmUp();
    const t = performance.now();
    d.setText(text, 1);
    await d.idle();
    const ms = performance.now() - t;
    await d.dispose();
    return ms;
  };
  const plan = new InterventionPlan(model, resolveInterventions(model, [{ layer: 0, unit: 19, mode: 'zero' }]));
  const plainMs = median([await passes(), await passes(), await passes()]);
  const clampedMs = median([await passes(plan), await passes(plan), await passes(plan)]);
  const rate = (ms: number): string => `${Math.round(T / (ms / 1000)).toLocaleString('en')} chars/s`;
  console.log(
    `clamped analysis of the file: ${rate(clampedMs)}; reference, the plain analysis: ${rate(plainMs)}; ` +
      `ratio clamped / plain time: ${(clampedMs / plainMs).toFixed(2)}×`,
  );
  await engine.dispose();
  await plain.dispose();
  await doc.dispose();
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
