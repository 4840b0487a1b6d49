// Exponential moving average of the weights (Polyak averaging). Adam moves the
// raw weights; validation, checkpoints and samples read the average, which is
// steadier: with B streams each reading its own slice of the corpus, the raw
// weights drift toward whatever files the streams are in at the moment, and
// the held-out score swings with them from one validation to the next.

export class WeightAverage {
  /** (P) the averaged weights, ParamLayout order; updated in place. */
  readonly values: Float32Array;
  private updates = 0;

  /** Starts at `start` (copied). `decay` in [0, 1): the weight the average keeps at each update. */
  constructor(
    start: Float32Array,
    readonly decay: number,
  ) {
    if (!(decay >= 0 && decay < 1)) throw new RangeError(`weight average decay must be in [0, 1), got ${decay}`);
    this.values = Float32Array.from(start);
  }

  /**
   * avg ← d·avg + (1 − d)·params with d = min(decay, (1 + n) / (10 + n)) at
   * the n-th update: early on the average follows the weights closely, so a
   * freshly initialised model is not held back by its random start.
   */
  update(params: Float32Array): void {
    if (params.length !== this.values.length) {
      throw new RangeError(`weight average over ${this.values.length} values got ${params.length}`);
    }
    const d = Math.min(this.decay, (1 + this.updates) / (10 + this.updates));
    this.updates++;
    const avg = this.values;
    const k = 1 - d;
    for (let j = 0; j < avg.length; j++) avg[j] += k * (params[j] - avg[j]);
  }
}
