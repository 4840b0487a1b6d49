// Short excerpts of the sample, one per feature, where the feature visibly
// changes: the report draws each top cell's activation under its excerpt as a
// sparkline. Windows start at line starts so that they read naturally.

import type { CodeFeatures, FeatureId } from './codeFeatures';
import { FEATURES } from './codeFeatures';

export interface ExcerptWindow {
  feature: FeatureId;
  textIndex: number; // which sample text
  start: number; // first step (code point) in that text
  length: number; // E steps
}

/**
 * Per feature, the window of `length` steps (starting at a line start) where
 * a binary feature is most balanced between on and off, or a continuous one
 * varies most. Features that never change get no window.
 */
export function chooseExcerpts(
  texts: readonly { chars: readonly string[]; features: CodeFeatures }[],
  length: number,
  maxStarts = 4000,
): ExcerptWindow[] {
  const out: ExcerptWindow[] = [];
  FEATURES.forEach((spec, k) => {
    let best: ExcerptWindow | undefined;
    let bestScore = 0;
    let starts = 0;
    texts.forEach(({ chars, features }, textIndex) => {
      const v = features.values[k];
      const T = features.length;
      for (let s = 0; s + 1 < T && starts < maxStarts; s++) {
        if (s > 0 && chars[s - 1] !== '\n') continue;
        starts++;
        const e = Math.min(T, s + length);
        let score: number;
        if (spec.kind === 'binary') {
          let on = 0;
          for (let t = s; t < e; t++) on += v[t];
          score = Math.min(on, e - s - on);
        } else {
          let lo = Infinity;
          let hi = -Infinity;
          for (let t = s; t < e; t++) {
            lo = Math.min(lo, v[t]);
            hi = Math.max(hi, v[t]);
          }
          score = hi - lo;
        }
        if (score > bestScore) {
          bestScore = score;
          best = { feature: spec.id, textIndex, start: s, length: e - s };
        }
      }
    });
    if (best) out.push(best);
  });
  return out;
}

/** Copies rows of a chunk that fall in a window: chunk covers steps [t0, t0 + T) of the window's text. */
export function copyIntoWindow(
  win: ExcerptWindow,
  dest: Float32Array,
  N: number,
  offset: number,
  width: number,
  chunk: Float32Array,
  t0: number,
  T: number,
): void {
  const from = Math.max(win.start, t0);
  const to = Math.min(win.start + win.length, t0 + T);
  for (let t = from; t < to; t++) {
    // dest is (E, N); this source fills columns [offset, offset + width).
    dest.set(chunk.subarray((t - t0) * width, (t - t0 + 1) * width), (t - win.start) * N + offset);
  }
}
