// Two more analyses of the analysis worker's document, both keeping the
// surprisal of every character, so that the host can show where they differ:
// an intervention (the model plain, and the same model with cells clamped)
// or a comparison (the model, and a second model). Both follow the
// document's edits (the incremental pass re-runs only what an edit changed,
// as for the main analysis); clamped ranges move with the text.

import type { CharModel } from '../core/model/types';
import { DocumentAnalysis } from '../core/inference/documentAnalysis';
import { CancelledError } from '../core/inference/passScheduler';
import { InterventionPlan, describeIntervention, resolveInterventions } from '../core/inference/intervention';
import type { CellIntervention } from '../core/inference/intervention';
import { meansForInterventions } from '../core/inference/unitMeans';
import { MAX_WINDOW, layerWindow, nextAfter } from '../core/inference/windowQueries';
import type { NextChar } from '../core/inference/windowQueries';
import { seriesKey } from '../core/inference/cellSelection';
import { changedSpan, indexText } from '../core/text/textIndex';
import type { Signal } from '../core/model/types';

/** A cell of the first model and the cell of the second that follows it most closely over the document. */
export interface CellMatch {
  layer: number;
  cell: number;
  signal: Signal;
  match: { layer: number; cell: number; signal: Signal; r: number } | null;
}

export class DocumentPair {
  private constructor(
    readonly first: DocumentAnalysis,
    readonly second: DocumentAnalysis,
    private readonly describe: () => string[],
    private readonly maxChars: number | undefined,
    /** The clamps of an intervention (undefined: a comparison). */
    readonly plan?: InterventionPlan,
  ) {}

  /** `model` plain and with `asked` clamped; means for mean ablation over `text`. Ranges are steps. */
  static async intervention(
    model: CharModel,
    asked: readonly CellIntervention[],
    text: string,
    version: number,
    maxChars?: number,
  ): Promise<DocumentPair> {
    const means = await meansForInterventions(model, text, asked, { maxChars });
    const plan = new InterventionPlan(model, resolveInterventions(model, asked, means));
    const describe = (): string[] =>
      asked.map((iv, k) => {
        const c = plan.clamps[k];
        const whole = iv.from === undefined && iv.to === undefined;
        return describeIntervention(
          model,
          whole ? iv : { ...iv, from: c.from, to: c.to === Infinity ? undefined : c.to },
        );
      });
    return new DocumentPair(
      analysis(model, text, version, maxChars),
      analysis(model, text, version, maxChars, plan),
      describe,
      maxChars,
      plan,
    );
  }

  /** The document's model against a second one (`name` for the description). */
  static comparison(
    first: CharModel,
    second: CharModel,
    name: string,
    text: string,
    version: number,
    maxChars?: number,
  ) {
    const describe = (): string[] => [`compared with ${name}`];
    return new DocumentPair(
      analysis(first, text, version, maxChars),
      analysis(second, text, version, maxChars),
      describe,
      maxChars,
    );
  }

  /** What this pair shows, one line per intervention (ranges where they are now). */
  get described(): string[] {
    return this.describe();
  }

  /**
   * The document's new text (whole; the analyses find the change themselves).
   * Clamped ranges move with the text first, so the incremental re-run
   * reuses values only where the clamps sit where they were.
   */
  follow(text: string, version: number): void {
    if (this.plan) {
      const span = changedSpan(this.second.index.codePoints, indexText(text, { maxChars: this.maxChars }).codePoints);
      this.plan.applyEdit(span.p, span.oldLen, span.newLen);
    }
    this.first.setText(text, version);
    this.second.setText(text, version);
  }

  /** Surprisal of every step by the first and the second analysis, once both are current for `version`. */
  async surprisal(version: number): Promise<{ before: Float32Array; after: Float32Array }> {
    await Promise.all([this.first.idle(), this.second.idle()]);
    if (this.first.version !== version || this.second.version !== version) throw new CancelledError(version);
    return { before: this.first.store.surprisal!.slice(), after: this.second.store.surprisal!.slice() };
  }

  /** Guesses after `step` by the first and the second analysis. */
  async next(step: number, k: number): Promise<{ before: NextChar; after: NextChar }> {
    return { before: await nextAfter(this.first, step, k), after: await nextAfter(this.second, step, k) };
  }

  /** The same cells clamped over every step: what steered sampling uses. */
  samplingPlan(): InterventionPlan {
    if (!this.plan) throw new Error('no intervention is active to sample with');
    return new InterventionPlan(
      this.first.model,
      this.plan.clamps.map((c) => ({ ...c, from: 0, to: Infinity })),
    );
  }

  /**
   * For each cell of the first model, the cell of the second (any layer, h
   * and for LSTM layers c) whose values over the first `limit` characters
   * correlate most with it (Pearson r, by |r|).
   */
  async matchCells(cells: { layer: number; cell: number; signal: Signal }[], limit: number): Promise<CellMatch[]> {
    const n = Math.min(limit, this.first.ids.length);
    if (n < 3) return cells.map((c) => ({ ...c, match: null }));
    const own = await Promise.all(cells.map((c) => series(this.first, c.layer, n, [c.signal])));
    const mine = cells.map((c, k) => own[k].get(seriesKey(c.layer, c.cell, c.signal))!);
    const best: CellMatch['match'][] = cells.map(() => null);
    for (let l = 0; l < this.second.model.layers.length; l++) {
      const signals: Signal[] = this.second.model.layers[l].kind === 'lstm' ? ['h', 'c'] : ['h'];
      const theirs = await series(this.second, l, n, signals);
      for (const [key, values] of theirs) {
        const [, unit, signal] = key.split(':');
        mine.forEach((m, k) => {
          const r = pearson(m, values);
          if (Number.isFinite(r) && (!best[k] || Math.abs(r) > Math.abs(best[k].r)))
            best[k] = { layer: l, cell: Number(unit), signal: signal as Signal, r };
        });
      }
    }
    return cells.map((c, k) => ({ ...c, match: best[k] }));
  }

  async dispose(): Promise<void> {
    await Promise.all([this.first.dispose(), this.second.dispose()]);
  }
}

function analysis(
  model: CharModel,
  text: string,
  version: number,
  maxChars: number | undefined,
  intervention?: InterventionPlan,
): DocumentAnalysis {
  const d = new DocumentAnalysis(model, { maxChars, intervention });
  d.setSelection({ cells: [], surprisal: true });
  d.setText(text, version);
  return d;
}

/** Every cell's `signals` of layer l over steps [0, n), keyed as seriesKey, from windows. */
async function series(
  doc: DocumentAnalysis,
  l: number,
  n: number,
  signals: Signal[],
): Promise<Map<string, Float32Array>> {
  const H = doc.model.layers[l].hiddenSize;
  const out = new Map<string, Float32Array>();
  for (let j = 0; j < H; j++) for (const s of signals) out.set(seriesKey(l, j, s), new Float32Array(n));
  for (let a = 0; a < n; a += MAX_WINDOW) {
    const w = await layerWindow(doc, l, a, Math.min(n, a + MAX_WINDOW));
    const T = w.to - w.from;
    for (const s of signals) {
      const v = w.signals[s]!;
      for (let j = 0; j < H; j++) {
        const dst = out.get(seriesKey(l, j, s))!;
        for (let t = 0; t < T; t++) dst[a + t] = v[t * H + j];
      }
    }
  }
  return out;
}

function pearson(a: Float32Array, b: Float32Array): number {
  const n = a.length;
  let sa = 0;
  let sb = 0;
  for (let t = 0; t < n; t++) {
    sa += a[t];
    sb += b[t];
  }
  const ma = sa / n;
  const mb = sb / n;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let t = 0; t < n; t++) {
    const x = a[t] - ma;
    const y = b[t] - mb;
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : Number.NaN;
}
