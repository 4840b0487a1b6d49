// Streaming scores of every cell against every code feature. Chunks of
// activations arrive one after another (T steps each); only sufficient
// statistics are kept, so a long sample never needs all activations at once.
//
//   N = cells over all sources (e.g. h and c of each layer), K = features,
//   Kb = binary features, BINS = histogram bins per cell.
//
// Continuous features: Pearson r from shifted sums Σx, Σx², Σy, Σy², Σxy
// (shifted by the first value seen, so float64 sums do not cancel).
// Binary features: the same r (point-biserial) plus the best threshold F1 from
// per-cell histograms of all values and of the values where the feature is on.
// Bins are uniform in a squashed value s = z / (1 + |z|), z = (x - m) / sd with
// m, sd from the first chunk: monotone (so a threshold on s is a threshold on
// x), never clamps, and puts resolution where the values are.

import type { FeatureArray, FeatureSpec } from './codeFeatures';
import { BLOCK, ChunkMoments } from './chunkMoments';

/** One block of cells: a signal of a layer, H wide. */
export interface CellSource {
  layer: number;
  signal: string; // 'h', 'c', ...
  size: number; // H
}

export interface ScoreTable {
  count: number; // characters scored
  sources: CellSource[];
  features: FeatureSpec[];
  /** (K, N) Pearson r, point-biserial for binary features; NaN where a side is constant. */
  r: Float32Array;
  /** (K, N) best threshold F1 for binary features; NaN for continuous ones. */
  f1: Float32Array;
  /**
   * (K, N) binary features: the phi coefficient (Matthews correlation) of the
   * best threshold classifier, signed (+: on above the threshold). It is the
   * Pearson r of the thresholded cell with the feature, so it sits on r's
   * scale, but unlike r it is not dragged down by a detector's graded or
   * outlying values (c cells), and unlike F1 a constant guess scores 0.
   */
  phi: Float32Array;
  /** (K, N) the threshold of that F1 in activation units. */
  threshold: Float32Array;
  /** (K, N) 1 when "above threshold" predicts the feature, 0 when "below" does. */
  above: Uint8Array;
  /** (K) characters where the feature is non-zero (on, for binary features). */
  positives: Float64Array;
  /** (K) how often the feature's value changed from one character to the next (on/off switches for binary ones). */
  changes: Float64Array;
}

export interface ScorerOptions {
  /** Histogram bins per cell for the F1 thresholds (default 64). */
  bins?: number;
  /** 'onnx' (default): whole blocks through the moments graph; 'js': plain loops only. */
  engine?: 'onnx' | 'js';
  /** onnxruntime intra-op threads for the moments graph (default 1). */
  threads?: number;
}

export class CellScorer {
  readonly cells: number; // N
  private readonly K: number;
  private readonly binaryIndex: Int32Array; // (K) position among binary features, -1 for continuous
  private readonly bins: number;
  private count = 0;
  private started = false;
  private readonly shiftY: Float64Array; // (K) first chunk's mean; 0 for binary features
  private readonly sx: Float64Array; // (N)
  private readonly sxx: Float64Array; // (N)
  private readonly sy: Float64Array; // (K)
  private readonly syy: Float64Array; // (K)
  private readonly sxy: Float64Array; // (K, N)
  private readonly positives: Float64Array; // (K)
  private readonly changes: Float64Array; // (K)
  private readonly lastValue: Float64Array; // (K) the feature at the last step seen
  private readonly centre: Float64Array; // (N) first chunk's mean: shift of the sums and centre of the squash
  private readonly invScale: Float64Array; // (N) 1 / first chunk's standard deviation
  private readonly scale: Float64Array; // (N)
  private readonly centre32: Float32Array; // (N) the same three as graph inputs
  private readonly invScale32: Float32Array; // (N)
  private readonly shiftY32: Float32Array; // (K)
  private readonly moments?: ChunkMoments;
  private readonly histAll: Uint32Array; // (N, BINS)
  private readonly histOn: Uint32Array; // (Kb, N, BINS)
  private readonly row: Float64Array; // (N) scratch: shifted activations of one step
  private readonly rowBin: Int32Array; // (N) scratch: bin of each cell at one step

  constructor(
    readonly sources: readonly CellSource[],
    readonly features: readonly FeatureSpec[],
    options: ScorerOptions = {},
  ) {
    const bins = options.bins ?? 64;
    if (sources.length === 0) throw new Error('CellScorer needs at least one source of cells');
    for (const s of sources) {
      if (!(Number.isInteger(s.size) && s.size > 0))
        throw new Error(`source ${s.signal}${s.layer}: size must be a positive integer, got ${s.size}`);
    }
    if (!(Number.isInteger(bins) && bins >= 2 && bins <= 4096))
      throw new Error(`bins must be an integer in [2, 4096], got ${bins}`);
    const N = sources.reduce((a, s) => a + s.size, 0);
    const K = features.length;
    this.cells = N;
    this.K = K;
    this.bins = bins;
    this.binaryIndex = new Int32Array(K).fill(-1);
    let kb = 0;
    features.forEach((f, k) => {
      if (f.kind === 'binary') this.binaryIndex[k] = kb++;
    });
    this.shiftY = new Float64Array(K);
    this.sx = new Float64Array(N);
    this.sxx = new Float64Array(N);
    this.sy = new Float64Array(K);
    this.syy = new Float64Array(K);
    this.sxy = new Float64Array(K * N);
    this.positives = new Float64Array(K);
    this.changes = new Float64Array(K);
    this.lastValue = new Float64Array(K);
    this.centre = new Float64Array(N);
    this.invScale = new Float64Array(N);
    this.scale = new Float64Array(N);
    this.centre32 = new Float32Array(N);
    this.invScale32 = new Float32Array(N);
    this.shiftY32 = new Float32Array(K);
    if ((options.engine ?? 'onnx') === 'onnx')
      this.moments = new ChunkMoments(
        sources.map((s) => s.size),
        K,
        bins,
        options.threads,
      );
    this.histAll = new Uint32Array(N * bins);
    this.histOn = new Uint32Array(kb * N * bins);
    this.row = new Float64Array(N);
    this.rowBin = new Int32Array(N);
  }

  /**
   * Adds T steps: activations[s] is (T, H_s) for sources[s], features[k] is (T)
   * for features[k]. Whole blocks of BLOCK steps go through the moments graph
   * (onnxruntime), the remaining < BLOCK steps through plain loops.
   */
  async observe(activations: readonly Float32Array[], features: readonly FeatureArray[]): Promise<void> {
    const T = this.checkChunk(activations, features);
    if (T === 0) return;
    if (!this.started) this.start(activations, features, T);
    const Tb = this.moments ? Math.floor(T / BLOCK) * BLOCK : 0;
    if (Tb > 0) await this.observeBlocks(activations, features, Tb);
    this.observeSteps(activations, features, Tb, T);
    this.countChanges(features, T);
    this.count += T;
  }

  /** Value changes of each feature over the T new steps, continuing from the last step seen. */
  private countChanges(features: readonly FeatureArray[], T: number): void {
    for (let k = 0; k < features.length; k++) {
      const f = features[k];
      let prev = this.count > 0 ? this.lastValue[k] : f[0];
      let c = 0;
      for (let t = 0; t < T; t++) {
        if (f[t] !== prev) c++;
        prev = f[t];
      }
      this.changes[k] += c;
      this.lastValue[k] = prev;
    }
  }

  /** Releases the onnxruntime session (the scorer can still report its result). */
  async dispose(): Promise<void> {
    await this.moments?.dispose();
  }

  private async observeBlocks(
    activations: readonly Float32Array[],
    features: readonly FeatureArray[],
    Tb: number,
  ): Promise<void> {
    const { cells: N, K, bins } = this;
    const y = new Float32Array(Tb * K); // (T', K)
    for (let k = 0; k < K; k++) {
      const f = features[k];
      for (let t = 0; t < Tb; t++) y[t * K + k] = f[t];
    }
    const out = await this.moments!.run(
      activations.map((a, s) => a.subarray(0, Tb * this.sources[s].size)),
      y,
      this.centre32,
      this.invScale32,
      this.shiftY32,
    );
    const B = Tb / BLOCK;
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < N; j++) {
        this.sx[j] += out.sx[b * N + j];
        this.sxx[j] += out.sxx[b * N + j];
      }
      const base = b * K * N;
      for (let i = 0; i < K * N; i++) this.sxy[i] += out.sxy[base + i];
    }
    for (let k = 0; k < K; k++) {
      const f = features[k];
      const shift = this.shiftY[k];
      const kb = this.binaryIndex[k];
      const hb = kb * N * bins;
      for (let t = 0; t < Tb; t++) {
        const raw = f[t];
        const yv = raw - shift;
        this.sy[k] += yv;
        this.syy[k] += yv * yv;
        if (raw === 0) continue;
        this.positives[k]++;
        if (kb < 0) continue;
        const hist = this.histOn;
        for (let j = 0; j < N; j++) hist[hb + j * bins + out.bin[t * N + j]]++;
      }
    }
    const all = this.histAll;
    for (let t = 0; t < Tb; t++) for (let j = 0; j < N; j++) all[j * bins + out.bin[t * N + j]]++;
  }

  /** Steps [from, to) in plain loops (the tail of a chunk, or everything without onnxruntime). */
  private observeSteps(
    activations: readonly Float32Array[],
    features: readonly FeatureArray[],
    from: number,
    to: number,
  ): void {
    const {
      cells: N,
      K,
      bins,
      row,
      rowBin,
      sx,
      sxx,
      sy,
      syy,
      sxy,
      centre,
      invScale,
      shiftY,
      histAll,
      histOn,
      positives,
    } = this;
    for (let t = from; t < to; t++) {
      // Gather the step's cells into one shifted row and bin each cell.
      let j = 0;
      for (let s = 0; s < this.sources.length; s++) {
        const H = this.sources[s].size;
        const a = activations[s];
        for (let u = 0; u < H; u++, j++) {
          const x = a[t * H + u] - centre[j];
          row[j] = x;
          sx[j] += x;
          sxx[j] += x * x;
          const z = x * invScale[j];
          let b = Math.floor((z / (1 + Math.abs(z)) + 1) * (bins / 2));
          if (b >= bins) b = bins - 1;
          else if (!(b >= 0)) b = 0; // also NaN
          rowBin[j] = b;
          histAll[j * bins + b]++;
        }
      }
      for (let k = 0; k < K; k++) {
        const raw = features[k][t];
        const y = raw - shiftY[k];
        sy[k] += y;
        syy[k] += y * y;
        if (raw !== 0) positives[k]++;
        if (y === 0) continue; // nothing to add to Σxy
        const base = k * N;
        for (let i = 0; i < N; i++) sxy[base + i] += y * row[i];
        const kb = this.binaryIndex[k];
        if (kb >= 0 && raw !== 0) {
          const hb = kb * N * bins;
          for (let i = 0; i < N; i++) histOn[hb + i * bins + rowBin[i]]++;
        }
      }
    }
  }

  /** Scores from everything observed so far. */
  result(): ScoreTable {
    const { cells: N, K, bins, count: n } = this;
    const r = new Float32Array(K * N).fill(NaN);
    const f1 = new Float32Array(K * N).fill(NaN);
    const phi = new Float32Array(K * N).fill(NaN);
    const threshold = new Float32Array(K * N).fill(NaN);
    const above = new Uint8Array(K * N);
    for (let k = 0; k < K; k++) {
      const vy = n * this.syy[k] - this.sy[k] * this.sy[k];
      for (let j = 0; j < N; j++) {
        const vx = n * this.sxx[j] - this.sx[j] * this.sx[j];
        const cov = n * this.sxy[k * N + j] - this.sx[j] * this.sy[k];
        // A side with (numerically) no variance has no correlation.
        if (vx > 1e-9 * n * this.sxx[j] && vy > 1e-9 * n * this.syy[k])
          r[k * N + j] = Math.max(-1, Math.min(1, cov / Math.sqrt(vx * vy)));
      }
      const kb = this.binaryIndex[k];
      const P = this.positives[k];
      if (kb < 0 || P === 0 || P === n) continue;
      for (let j = 0; j < N; j++) {
        const on = this.histOn.subarray((kb * N + j) * bins, (kb * N + j + 1) * bins);
        const all = this.histAll.subarray(j * bins, (j + 1) * bins);
        // Threshold between bins b0-1 and b0: "above" predicts on for bins >= b0.
        let tp = P;
        let predicted = n;
        let best = -1;
        let bestB = 0;
        let bestAbove = 1;
        let bestPhi = 0;
        for (let b0 = 1; b0 < bins; b0++) {
          tp -= on[b0 - 1];
          predicted -= all[b0 - 1];
          // Confusion of "above": TP = tp, FP = predicted - tp, FN = P - tp, TN = n - predicted - (P - tp).
          const denom = predicted * P * (n - predicted) * (n - P);
          if (denom > 0) {
            const m = (tp * (n - predicted - P + tp) - (predicted - tp) * (P - tp)) / Math.sqrt(denom);
            if (Math.abs(m) > Math.abs(bestPhi)) bestPhi = m;
          }
          const fAbove = predicted + P > 0 ? (2 * tp) / (predicted + P) : 0;
          const fBelow = (2 * (P - tp)) / (n - predicted + P);
          if (fAbove > best) {
            best = fAbove;
            bestB = b0;
            bestAbove = 1;
          }
          if (fBelow > best) {
            best = fBelow;
            bestB = b0;
            bestAbove = 0;
          }
        }
        f1[k * N + j] = best;
        phi[k * N + j] = Math.max(-1, Math.min(1, bestPhi));
        threshold[k * N + j] = this.binEdge(j, bestB);
        above[k * N + j] = bestAbove;
      }
    }
    return {
      count: n,
      sources: this.sources.slice(),
      features: this.features.slice(),
      r,
      f1,
      phi,
      threshold,
      above,
      positives: this.positives.slice(),
      changes: this.changes.slice(),
    };
  }

  /** Activation value at the lower edge of bin b of cell j. */
  private binEdge(j: number, b: number): number {
    const s = (2 * b) / this.bins - 1; // in (-1, 1)
    return this.centre[j] + (s / (1 - Math.abs(s))) * this.scale[j];
  }

  private start(activations: readonly Float32Array[], features: readonly FeatureArray[], T: number): void {
    let j = 0;
    for (let s = 0; s < this.sources.length; s++) {
      const H = this.sources[s].size;
      const a = activations[s];
      for (let u = 0; u < H; u++, j++) {
        let m = 0;
        for (let t = 0; t < T; t++) m += a[t * H + u];
        m /= T;
        let v = 0;
        for (let t = 0; t < T; t++) v += (a[t * H + u] - m) ** 2;
        // Shifts and scales go through float32 graph inputs: use the rounded values everywhere.
        this.centre32[j] = m;
        this.centre[j] = this.centre32[j];
        // A first chunk of a few steps says little about the spread: assume at least 0.25 then.
        this.invScale32[j] = 1 / Math.max(Math.sqrt(v / T), T < BLOCK ? 0.25 : 1e-3);
        this.invScale[j] = this.invScale32[j];
        this.scale[j] = 1 / this.invScale[j];
      }
    }
    for (let k = 0; k < this.K; k++) {
      if (this.binaryIndex[k] >= 0) continue;
      let m = 0;
      for (let t = 0; t < T; t++) m += features[k][t];
      this.shiftY32[k] = m / T;
      this.shiftY[k] = this.shiftY32[k];
    }
    this.started = true;
  }

  private checkChunk(activations: readonly Float32Array[], features: readonly FeatureArray[]): number {
    if (activations.length !== this.sources.length)
      throw new Error(`expected ${this.sources.length} activation arrays (one per source), got ${activations.length}`);
    if (features.length !== this.K) throw new Error(`expected ${this.K} feature arrays, got ${features.length}`);
    const T = features.length > 0 ? features[0].length : activations[0].length / this.sources[0].size;
    features.forEach((f, k) => {
      if (f.length !== T)
        throw new Error(`feature ${this.features[k].id}: ${f.length} values, expected ${T} (one per step)`);
    });
    activations.forEach((a, s) => {
      const src = this.sources[s];
      if (a.length !== T * src.size)
        throw new Error(
          `activations of ${src.signal}${src.layer}: ${a.length} values, expected T*H = ${T}*${src.size}`,
        );
    });
    return T;
  }
}
