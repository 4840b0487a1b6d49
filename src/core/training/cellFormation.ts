// How interpretable cells form during training: at each validation the
// weights are scored against the code features on a fixed sample of the
// held-out text (the best cell's score per feature, as discovery scores
// them), and a bounded set of snapshots is kept on disk so that any of them
// can be opened as a model.

import * as fs from 'fs';
import * as path from 'path';
import type { CharModel } from '../model/types';
import { writeModelFile } from '../model/modelFile';
import { discoverCells } from '../analysis/discoverCells';
import type { SampleText } from '../analysis/cacheKey';
import { languageFromPath } from '../analysis/languages';

/** Characters of the held-out text the scores are taken on (the same ones every time). */
export const FORMATION_SAMPLE_CHARS = 8000;
/** Snapshots kept on disk at most; older ones are thinned to keep the spread over training. */
export const MAX_SNAPSHOTS = 8;

export interface FeatureBest {
  feature: string;
  name: string;
  /** The best cell's score (|r|, or max(|r|, |φ|) for on/off features); null when not scored on this sample. */
  score: number | null;
}

/** The fixed sample: the held-out files in order, cut to FORMATION_SAMPLE_CHARS in all. */
export function formationSample(files: readonly { name: string; text: string }[]): SampleText[] {
  const out: SampleText[] = [];
  let left = FORMATION_SAMPLE_CHARS;
  for (const f of files) {
    if (left <= 0) break;
    const text = f.text.slice(0, left);
    out.push({ name: f.name, text, language: languageFromPath(f.name).name });
    left -= text.length;
  }
  return out;
}

/** Each feature's best cell score for `model` on `sample`. */
export async function featureBests(model: CharModel, sample: readonly SampleText[]): Promise<FeatureBest[]> {
  const r = await discoverCells(model, sample, { maxChars: FORMATION_SAMPLE_CHARS });
  return r.discovery.features.map((f) => ({
    feature: f.feature,
    name: f.name,
    score: f.skipped || f.top.length === 0 ? null : f.top[0].score,
  }));
}

/**
 * Snapshots of one run in their own folder, `<run>.snapshots/<run>-step-<n>.onnx`. When a new one
 * makes more than MAX_SNAPSHOTS, every other of the older ones goes (the first
 * and the newest stay), so the kept ones stay spread over the run.
 */
export class SnapshotKeeper {
  private readonly kept: { step: number; path: string }[] = [];

  constructor(readonly dir: string) {}

  get snapshots(): readonly { step: number; path: string }[] {
    return this.kept;
  }

  /** Writes the snapshot; returns the steps removed to stay within the bound. */
  async add(step: number, model: CharModel): Promise<number[]> {
    fs.mkdirSync(this.dir, { recursive: true });
    const file = path.join(this.dir, `${path.basename(this.dir, '.snapshots')}-step-${step}.onnx`);
    await writeModelFile(model, file);
    this.kept.push({ step, path: file });
    const removed: number[] = [];
    if (this.kept.length > MAX_SNAPSHOTS) {
      for (let k = this.kept.length - 2; k >= 1; k -= 2) {
        const [gone] = this.kept.splice(k, 1);
        fs.rmSync(gone.path, { force: true });
        removed.push(gone.step);
      }
    }
    return removed.sort((a, b) => a - b);
  }
}
