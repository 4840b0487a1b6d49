// The analysis worker's intervention on its document: two more analyses of
// the same text, one plain and one with the cells clamped, both keeping the
// surprisal of every character, so that the host can show what changed.
// Both follow the document's edits (the incremental pass re-runs only what
// an edit changed, as for the main analysis).

import type { CharModel } from '../core/model/types';
import { DocumentAnalysis } from '../core/inference/documentAnalysis';
import { CancelledError } from '../core/inference/passScheduler';
import { InterventionPlan, describeIntervention, resolveInterventions } from '../core/inference/intervention';
import type { CellIntervention } from '../core/inference/intervention';
import { meansForInterventions } from '../core/inference/unitMeans';
import { nextAfter } from '../core/inference/windowQueries';
import { indexText } from '../core/text/textIndex';
import type { NextChar } from '../core/inference/windowQueries';

export class DocumentIntervention {
  private constructor(
    readonly model: CharModel,
    readonly asked: readonly CellIntervention[],
    readonly plan: InterventionPlan,
    private readonly base: DocumentAnalysis,
    private readonly clamped: DocumentAnalysis,
    private readonly maxChars: number | undefined,
  ) {}

  /** Means for mean ablation are taken over `text` (the document). Ranges are steps. */
  static async start(
    model: CharModel,
    asked: readonly CellIntervention[],
    text: string,
    version: number,
    maxChars?: number,
  ): Promise<DocumentIntervention> {
    const means = await meansForInterventions(model, text, asked, { maxChars });
    const plan = new InterventionPlan(model, resolveInterventions(model, asked, means));
    const make = (intervention?: InterventionPlan): DocumentAnalysis => {
      const d = new DocumentAnalysis(model, { maxChars, intervention });
      d.setSelection({ cells: [], surprisal: true });
      d.setText(text, version);
      return d;
    };
    return new DocumentIntervention(model, asked, plan, make(), make(plan), maxChars);
  }

  /** What is clamped, with the ranges where they are now (they move with edits). */
  get described(): string[] {
    return this.asked.map((iv, k) => {
      const c = this.plan.clamps[k];
      const moved =
        iv.from === undefined && iv.to === undefined
          ? iv
          : { ...iv, from: c.from, to: c.to === Infinity ? undefined : c.to };
      return describeIntervention(this.model, moved);
    });
  }

  /**
   * The document's new text (whole; the analyses find the change themselves).
   * The clamped ranges move with the text first, so the incremental re-run
   * reuses values only where the clamps sit where they were.
   */
  follow(text: string, version: number): void {
    const old = this.clamped.index.codePoints;
    const cps = indexText(text, { maxChars: this.maxChars }).codePoints;
    let p = 0;
    const minLen = Math.min(old.length, cps.length);
    while (p < minLen && old[p] === cps[p]) p++;
    let s = 0;
    while (s < minLen - p && old[old.length - 1 - s] === cps[cps.length - 1 - s]) s++;
    this.plan.applyEdit(p, old.length - p - s, cps.length - p - s);
    this.base.setText(text, version);
    this.clamped.setText(text, version);
  }

  /** Surprisal of every step without and with the intervention, once both are current for `version`. */
  async surprisal(version: number): Promise<{ before: Float32Array; after: Float32Array }> {
    await Promise.all([this.base.idle(), this.clamped.idle()]);
    if (this.base.version !== version || this.clamped.version !== version) throw new CancelledError(version);
    return { before: this.base.store.surprisal!.slice(), after: this.clamped.store.surprisal!.slice() };
  }

  /** Guesses after `step` without and with the intervention. */
  async next(step: number, k: number): Promise<{ before: NextChar; after: NextChar }> {
    return { before: await nextAfter(this.base, step, k), after: await nextAfter(this.clamped, step, k) };
  }

  /** The same cells clamped over every step: what steered sampling uses. */
  samplingPlan(): InterventionPlan {
    return new InterventionPlan(
      this.model,
      this.plan.clamps.map((c) => ({ ...c, from: 0, to: Infinity })),
    );
  }

  async dispose(): Promise<void> {
    await Promise.all([this.base.dispose(), this.clamped.dispose()]);
  }
}
