// What `lstm-lens run` prints, as typed rows per window of steps (for the
// streaming writers, runJson.ts and the table in runCommand.ts), or as one
// value (runModelOverText, the JSON document in memory, for tests and small
// texts). Both read the same windows, so they agree number for number.
// Row t = the state after reading character t; the next-character guesses
// of row t are for character t + 1.

import type { CharModel, RecurrentKind, Signal } from '../core/model/types';
import { signalsOf } from '../core/model/types';
import { Vocabulary } from '../core/model/vocab';
import { ModelRunner } from '../core/inference/modelRunner';
import type { InterventionPlan } from '../core/inference/intervention';
import { LN2 } from '../core/inference/nextChar';
import { indexText } from '../core/text/textIndex';
import { UsageError } from './cliCommand';
import { modelWindows } from './modelWindows';
import { NextCharBatch } from './nextCharBatch';
import { round6 } from './jsonNumber';
import { asRead } from './textFile';

export interface RunSpec {
  model: CharModel;
  text: string;
  /** Layers to print, in order (a layer may repeat). */
  layers: number[];
  /** Cells of each printed layer (undefined: all). */
  cells: number[] | undefined;
  /** Next-character guesses per step. */
  k: number;
  maxChars: number;
  plan?: InterventionPlan;
}

export interface RunRows {
  from: number; // first step
  to: number; // end step (exclusive)
  /** Per printed layer (spec.layers order): each of its signals (n, k), n = to - from. */
  layers: Partial<Record<Signal, Float32Array>>[];
  /** (n, K) ids of the most likely next characters, most likely first, and their ln p. */
  topIds: Int32Array;
  topLp: Float64Array;
  /** (n) ln p of the character that follows each step (the last step of the text has none: ignore it). */
  nextLp: Float64Array;
}

/** A run checked and ready: the text as read, its length, and the windows (the model runs as they are read). */
export interface OpenRun {
  text: string; // the characters read, line ends as "\n"
  chars: number; // T
  vocab: Vocabulary;
  kinds: RecurrentKind[]; // per printed layer
  K: number; // guesses per step, min(k, V)
  interventions?: Record<string, number | string>[];
  windows(): AsyncGenerator<RunRows>;
}

/**
 * Checks the spec (throws UsageError for a cell outside a printed layer,
 * TextInputError for a binary or too long text) before anything is printed.
 * withSignals = false skips the cells' signals (the table prints none).
 */
export function openRun(spec: RunSpec, withSignals = true): OpenRun {
  const { model, layers, cells, k, plan } = spec;
  const chosen = new Map<number, number[]>();
  for (const l of layers) {
    const H = model.layers[l].hiddenSize;
    const cs = cells ?? Array.from({ length: H }, (_, j) => j);
    for (const j of cs) if (j >= H) throw new UsageError(`--cells: cell ${j} is outside layer ${l} (H = ${H})`);
    chosen.set(l, cs);
  }
  const vocab = new Vocabulary(model.vocab);
  const cps = indexText(spec.text, { maxChars: spec.maxChars }).codePoints;
  const ids = Int32Array.from(cps, (cp) => vocab.idOf(cp));
  const T = ids.length;
  const perLayer = model.layers.map((_, l) => (withSignals ? chosen.get(l) : undefined));
  return {
    text: asRead(spec.text),
    chars: T,
    vocab,
    kinds: layers.map((l) => model.layers[l].kind),
    K: Math.min(k, vocab.size),
    interventions: plan && interventionList(plan),
    async *windows() {
      const runner = new ModelRunner(model, { intervention: plan });
      const guesses = await NextCharBatch.create(model, k);
      try {
        for await (const w of modelWindows(model, runner, ids, perLayer)) {
          const n = w.to - w.from;
          // The id after each step (the last step of the text has none: 0, unused).
          const targets = new Int32Array(n);
          targets.set(ids.subarray(w.from + 1, Math.min(T, w.to + 1)));
          const next = await guesses.run(w.topH, targets);
          yield { from: w.from, to: w.to, layers: layers.map((l) => w.signals[l] ?? {}), ...next };
        }
      } finally {
        await guesses.dispose();
        await runner.dispose();
      }
    },
  };
}

/** The clamps as `run --json` lists them: h := a h + hb, c := a c + cb over [from, to). */
function interventionList(plan: InterventionPlan): Record<string, number | string>[] {
  return plan.clamps.map((c) => ({
    layer: c.layer,
    unit: c.unit,
    from: c.from,
    ...(c.to === Infinity ? {} : { to: c.to }),
    a: c.a,
    hb: round6(c.hb),
    cb: round6(c.cb),
  }));
}

/** p of guess j after row t of a window (unrounded). */
export const guessP = (w: RunRows, K: number, t: number, j: number): number => Math.exp(w.topLp[t * K + j]);

/** Surprisal (bits) of the character after row t of a window (unrounded); null after the last of the T characters. */
export const surprisalBits = (w: RunRows, T: number, t: number): number | null =>
  w.from + t + 1 < T ? -w.nextLp[t] / LN2 : null;

export interface RunResult {
  text: string;
  chars: number;
  layers: ({ type: RecurrentKind } & Partial<Record<Signal, number[][]>>)[];
  next: { top: [string, number][]; surprisal_bits: number | null }[];
  interventions?: Record<string, number | string>[];
}

/** Everything `run --json` prints, as one value (runJson.ts writes the same as it comes). */
export async function runModelOverText(
  model: CharModel,
  text: string,
  layers: number[],
  cells: number[] | undefined,
  k: number,
  maxChars: number,
  plan?: InterventionPlan,
): Promise<RunResult> {
  const run = openRun({ model, text, layers, cells, k, maxChars, plan });
  const out: RunResult['layers'] = run.kinds.map((type) => {
    const layer: RunResult['layers'][number] = { type };
    for (const s of signalsOf(type)) layer[s] = [];
    return layer;
  });
  const next: RunResult['next'] = [];
  for await (const w of run.windows()) {
    const n = w.to - w.from;
    w.layers.forEach((signals, a) => {
      for (const [s, v] of Object.entries(signals) as [Signal, Float32Array][]) {
        const width = v.length / n; // cells
        for (let t = 0; t < n; t++) out[a][s]!.push(Array.from(v.subarray(t * width, (t + 1) * width), round6));
      }
    });
    for (let t = 0; t < n; t++) {
      const top: [string, number][] = [];
      for (let j = 0; j < run.K; j++)
        top.push([run.vocab.charOf(w.topIds[t * run.K + j]), round6(guessP(w, run.K, t, j))]);
      const bits = surprisalBits(w, run.chars, t);
      next.push({ top, surprisal_bits: bits === null ? null : round6(bits) });
    }
  }
  return {
    text: run.text,
    chars: run.chars,
    layers: out,
    next,
    ...(run.interventions ? { interventions: run.interventions } : {}),
  };
}
