// The --clamp and --ablate options of `run` and `sample`, and the plan they
// make for a model (means for mean ablation taken over the text read).

import { UsageError } from './cliCommand';
import type { CharModel } from '../core/model/types';
import { InterventionPlan, parseIntervention, resolveInterventions } from '../core/inference/intervention';
import type { CellIntervention } from '../core/inference/intervention';
import { meansForInterventions } from '../core/inference/unitMeans';

export const INTERVENTION_OPTIONS = {
  clamp: { type: 'string', multiple: true },
  ablate: { type: 'string', multiple: true },
} as const;

export const INTERVENTION_USAGE = [
  '  --clamp L:K=V[@FROM-TO]   after every character in [FROM, TO) (default: all), set h and c',
  '                            of layer L unit K to V (GRU: h); repeatable',
  '  --ablate L:K[:MODE][@FROM-TO]  the same with MODE zero (default), mean (its mean h and c',
  '                            over the text read) or flip (minus itself); repeatable',
];

/** The interventions the options ask for, in the order given (clamps first). */
export function interventionsFromArgs(values: { clamp?: string[]; ablate?: string[] }): CellIntervention[] {
  try {
    return [
      ...(values.clamp ?? []).map((s) => parseIntervention(s, 'clamp')),
      ...(values.ablate ?? []).map((s) => parseIntervention(s, 'ablate')),
    ];
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** The plan for `model`, means taken over `meanText`; undefined when nothing is asked. */
export async function interventionPlan(
  model: CharModel,
  list: readonly CellIntervention[],
  meanText: string,
): Promise<InterventionPlan | undefined> {
  if (list.length === 0) return undefined;
  try {
    const means = await meansForInterventions(model, meanText, list);
    return new InterventionPlan(model, resolveInterventions(model, list, means));
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(e.message);
    throw e;
  }
}
