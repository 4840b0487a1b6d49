// Seeded random numbers (Math.random cannot be seeded): mulberry32, small,
// fast and the same on every platform. One generator, two ways in:
//   seededRandom(seed): the state starts at seed >>> 0. Random models
//     (randomCharModel, the tests' randomModel), text generation
//     (sampleText) and the tests' random texts use it.
//   Rng(seed): the state starts at floor(seed) ^ 0x9e3779b9. The trainer
//     (weight init, dropout masks, stream offsets, samples), the corpus split
//     and the discovery sample use it.
// Each keeps the numbers its users have always drawn for a given seed.
// Every draw is a float in [0, 1) with 32 random bits.

/** mulberry32 from state `seed >>> 0`; each call returns a float in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The trainer's generator: seededRandom from a mixed seed, with uniform, integer and normal draws. */
export class Rng {
  private readonly draw: () => number;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
    this.draw = seededRandom((Math.floor(seed) ^ 0x9e3779b9) >>> 0);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.draw();
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
