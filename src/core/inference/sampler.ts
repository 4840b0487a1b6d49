// Generates text from a model: feed the prime, then repeatedly draw the next
// character from softmax(logits / temperature) with a seeded RNG (so a seed
// gives the same text every time) and feed it back. sampleChars hands each
// character out as soon as it is drawn (a million take minutes: the CLI
// prints them as they come); sampleText gathers them.

import type { CharModel } from '../model/types';
import { Vocabulary } from '../model/vocab';
import { indexText } from '../text/textIndex';
import type { ModelRunner, RecurrentState } from './modelRunner';
import { selectRows, zeroState } from './modelRunner';
import { logProbsFromTop } from './nextChar';
import { seededRandom } from '../util/seededRandom';
import { drawIndex } from '../util/softmaxDraw';

export interface SampleOptions {
  /** Text fed before sampling (its characters are not repeated in the output). */
  prime?: string;
  /** Characters to generate. */
  length: number;
  /** 0 = always the most likely character; 1 = the model's distribution. */
  temperature: number;
  seed?: number;
}

export const MAX_SAMPLE_LENGTH = 1_000_000;

/** The generated characters, one per step, each as soon as it is drawn (before the model reads it). */
export async function* sampleChars(
  model: CharModel,
  runner: ModelRunner,
  options: SampleOptions,
): AsyncGenerator<string> {
  const { length, temperature } = options;
  if (!Number.isInteger(length) || length < 0 || length > MAX_SAMPLE_LENGTH) {
    throw new RangeError(`sample length must be an integer in 0..${MAX_SAMPLE_LENGTH}, got ${length}`);
  }
  if (!Number.isFinite(temperature) || temperature < 0) {
    throw new RangeError(`temperature must be a finite number >= 0, got ${temperature}`);
  }
  const vocab = new Vocabulary(model.vocab);
  const rows = model.layers.map((_, l) => selectRows(model, l, []));
  const rand = seededRandom(options.seed ?? Date.now());
  let state: RecurrentState = zeroState(model);
  const prime = indexText(options.prime ?? '').codePoints;
  if (prime.length > 0) {
    const ids = Int32Array.from(prime, (cp) => vocab.idOf(cp));
    state = (await runner.runSegment(ids, state, rows, { from: 0 })).final;
  }
  const one = new Int32Array(1);
  for (let n = 0; n < length; n++) {
    const lp = logProbsFromTop(model, state[state.length - 1].h);
    const id = drawIndex(lp, temperature, rand());
    yield vocab.charOf(id);
    if (n + 1 < length) {
      one[0] = id;
      state = (await runner.runSegment(one, state, rows, { from: prime.length + n })).final;
    }
  }
}

/** All of sampleChars as one string. */
export async function sampleText(model: CharModel, runner: ModelRunner, options: SampleOptions): Promise<string> {
  const out: string[] = [];
  for await (const ch of sampleChars(model, runner, options)) out.push(ch);
  return out.join('');
}
