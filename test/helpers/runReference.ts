// `lstm-lens run` computed the plain way, one query at a time, as the
// command did before it streamed: the whole-file pass of a DocumentAnalysis,
// then layerWindow (all cells of a layer) for every window and nextChar.ts
// (a JS loop and a sort) for every character. The streaming command
// (src/cli/runJson.ts) must print exactly JSON.stringify of this, and its
// table exactly tableReference of it.

import { DocumentAnalysis } from '../../src/core/inference/documentAnalysis';
import type { InterventionPlan } from '../../src/core/inference/intervention';
import { logProbsFromTop, surprisalBits, topK } from '../../src/core/inference/nextChar';
import { MAX_WINDOW, layerWindow } from '../../src/core/inference/windowQueries';
import type { CharModel, Signal } from '../../src/core/model/types';
import { signalsOf } from '../../src/core/model/types';
import type { RunResult } from '../../src/cli/runRows';
import { asRead } from '../../src/cli/textFile';

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

export async function runReference(
  model: CharModel,
  text: string,
  layers: number[],
  cells: number[] | undefined,
  k: number,
  plan?: InterventionPlan,
): Promise<RunResult> {
  const doc = new DocumentAnalysis(model, { maxChars: 1e7, intervention: plan });
  try {
    doc.setText(text, 1);
    await doc.idle();
    const T = doc.ids.length;
    const top = model.layers.length - 1;
    const rows = new Map<number, Partial<Record<Signal, number[][]>>>();
    const topH: Float32Array[] = [];
    for (const l of new Set([...layers, top])) {
      const H = model.layers[l].hiddenSize;
      const chosen = cells ?? Array.from({ length: H }, (_, j) => j);
      const out: Partial<Record<Signal, number[][]>> = {};
      for (const s of signalsOf(model.layers[l].kind)) out[s] = [];
      for (let a = 0; a < T; a += MAX_WINDOW) {
        const w = await layerWindow(doc, l, a, Math.min(T, a + MAX_WINDOW));
        for (let t = 0; t < w.to - w.from; t++) {
          for (const s of signalsOf(model.layers[l].kind))
            out[s]!.push(chosen.map((j) => round(w.signals[s]![t * H + j])));
          if (l === top) topH.push(w.signals.h!.slice(t * H, (t + 1) * H));
        }
      }
      rows.set(l, out);
    }
    const next = topH.map((h, t) => {
      const lp = logProbsFromTop(model, h);
      return {
        top: topK(lp, k).map((e) => [doc.vocab.charOf(e.id), round(e.p)] as [string, number]),
        surprisal_bits: t + 1 < T ? round(surprisalBits(lp, doc.ids[t + 1])) : null,
      };
    });
    const interventions = plan?.clamps.map((c) => ({
      layer: c.layer,
      unit: c.unit,
      from: c.from,
      ...(c.to === Infinity ? {} : { to: c.to }),
      a: c.a,
      hb: round(c.hb),
      cb: round(c.cb),
    }));
    return {
      text: asRead(text),
      chars: T,
      layers: layers.map((l) => ({ type: model.layers[l].kind, ...rows.get(l)! })),
      next,
      ...(interventions ? { interventions } : {}),
    };
  } finally {
    await doc.dispose();
  }
}

/** The lines of `run` without --json for a result. */
export function tableReference(result: RunResult): string[] {
  const chars = [...result.text];
  const lines = [`${result.chars} characters; surprisal (bits) of each character, then the top guesses for the next`];
  result.next.forEach((n, t) => {
    const own = t === 0 ? '' : (result.next[t - 1].surprisal_bits?.toFixed(2) ?? '');
    lines.push(
      `${String(t).padStart(6)}  ${JSON.stringify(chars[t]).padEnd(6)} ${own.padStart(6)}  ${n.top.map(([c, p]) => `${JSON.stringify(c)} ${p.toFixed(3)}`).join(', ')}`,
    );
  });
  return lines;
}
