// Samples text from the model being trained, one character per run of a
// T=1, B=1 inference graph that reads the trainer's parameter buffer (so it
// always sees the current weights without a copy).

import { GraphSession } from './graphSession';
import type { ModelShape } from './modelParams';
import type { Rng } from '../util/seededRandom';
import type { Vocabulary } from '../model/vocab';
import { drawIndex } from '../util/softmaxDraw';

export class Sampler {
  private constructor(private readonly session: GraphSession) {}

  static async create(shape: ModelShape, params: Float32Array, threads = 1): Promise<Sampler> {
    return new Sampler(await GraphSession.create(shape, 1, 1, 'infer', params, { threads }));
  }

  /** `length` characters after priming with `prime` (may be empty), at the given temperature. */
  async sample(vocab: Vocabulary, prime: string, length: number, temperature: number, rng: Rng): Promise<string> {
    if (!(temperature > 0)) throw new RangeError(`sampling temperature must be > 0, got ${temperature}`);
    this.session.resetState();
    const ids = [...vocab.encode(prime.length ? prime : '\n')];
    const one = new Int32Array(1);
    let logits: Float32Array = new Float32Array(vocab.size);
    for (const id of ids) {
      one[0] = id;
      logits = (await this.session.run(one)).logits!;
    }
    let out = '';
    for (let n = 0; n < length; n++) {
      const id = drawIndex(logits, temperature, rng.next());
      out += vocab.charOf(id);
      one[0] = id;
      logits = (await this.session.run(one)).logits!;
    }
    return out;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
