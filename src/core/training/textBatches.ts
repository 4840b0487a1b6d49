// Truncated-BPTT batches from one long id sequence: B parallel streams, each
// reading its own contiguous slice of the corpus T characters at a time, so
// the state carried from batch to batch is the state of the text just read.
// A stream that reaches the end of its slice wraps to the slice start and
// asks for its state to be reset.

export interface Batch {
  x: Int32Array; // (T*B) input ids, time-major: row t*B + b
  y: Int32Array; // (T*B) target ids = next characters
  resetStreams: number[]; // streams that started over: zero their state first
}

export class TextBatches {
  readonly sliceLength: number; // characters per stream slice
  private readonly pos: Int32Array; // (B) offset within each slice
  private readonly x: Int32Array;
  private readonly y: Int32Array;
  /** Passes over the data so far (fractional). */
  epochs = 0;

  constructor(
    private readonly ids: Int32Array,
    readonly T: number,
    readonly B: number,
  ) {
    this.sliceLength = Math.floor(ids.length / B);
    if (this.sliceLength < T + 1) {
      throw new RangeError(
        `text too short: ${ids.length} characters give ${B} streams of ${this.sliceLength}, need at least T + 1 = ${T + 1} each (lower batch or sequence length, or add files)`,
      );
    }
    this.pos = new Int32Array(B);
    this.x = new Int32Array(T * B);
    this.y = new Int32Array(T * B);
  }

  /** Number of batches in one pass over the data. */
  get batchesPerEpoch(): number {
    return Math.floor((this.sliceLength - 1) / this.T);
  }

  next(): Batch {
    const { T, B, ids } = this;
    const resetStreams: number[] = [];
    for (let b = 0; b < B; b++) {
      if (this.pos[b] + T + 1 > this.sliceLength) {
        this.pos[b] = 0;
        resetStreams.push(b);
      }
      const base = b * this.sliceLength + this.pos[b];
      for (let t = 0; t < T; t++) {
        this.x[t * B + b] = ids[base + t];
        this.y[t * B + b] = ids[base + t + 1];
      }
      this.pos[b] += T;
    }
    this.epochs += 1 / this.batchesPerEpoch;
    return { x: this.x, y: this.y, resetStreams };
  }
}
