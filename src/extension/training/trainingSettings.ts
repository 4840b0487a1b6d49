// The `lstmLens.training.*` settings, read through a plain getter so the
// checks are unit-tested without VS Code. A bad value falls back to the
// default and is reported in `problems` (shown to the user by the command).

import { GlobError, globMatcher } from '../../core/corpus/globMatch';

export interface TrainingSettings {
  /** Files to train on (a glob relative to each workspace folder). */
  include: string;
  /** Files larger than this (bytes) are skipped as huge. */
  maxFileBytes: number;
  /** The corpus stops growing at this many bytes. */
  maxTotalBytes: number;
}

export const TRAINING_SETTING_KEYS = {
  include: 'training.include',
  maxFileSizeKB: 'training.maxFileSizeKB',
  maxCorpusMB: 'training.maxCorpusMB',
} as const;

export const DEFAULT_INCLUDE =
  '**/*.{c,h,cc,cpp,cxx,hpp,hh,cs,java,kt,kts,scala,swift,go,rs,dart,js,jsx,mjs,cjs,ts,tsx,mts,cts,vue,svelte,py,pyi,rb,php,pl,lua,r,jl,hs,ml,ex,exs,erl,clj,sh,bash,zsh,ps1,sql,html,css,scss,less,md,yml,yaml,toml}';
export const DEFAULT_MAX_FILE_KB = 512;
export const DEFAULT_MAX_CORPUS_MB = 20;

export function readTrainingSettings(get: (key: string) => unknown): {
  settings: TrainingSettings;
  problems: string[];
} {
  const problems: string[] = [];
  let include = DEFAULT_INCLUDE;
  const inc = get(TRAINING_SETTING_KEYS.include);
  if (inc !== undefined && inc !== null && inc !== '') {
    if (typeof inc !== 'string')
      problems.push(`lstmLens.${TRAINING_SETTING_KEYS.include} must be a glob string; using the default`);
    else {
      try {
        globMatcher(inc);
        include = inc;
      } catch (err) {
        problems.push(
          `lstmLens.${TRAINING_SETTING_KEYS.include}: ${err instanceof GlobError ? err.message : String(err)}; using the default`,
        );
      }
    }
  }
  const num = (key: string, dflt: number, lo: number, hi: number): number => {
    const v = get(key);
    if (v === undefined || v === null) return dflt;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi) {
      problems.push(`lstmLens.${key} must be a number from ${lo} to ${hi}, got ${JSON.stringify(v)}; using ${dflt}`);
      return dflt;
    }
    return v;
  };
  const kb = num(TRAINING_SETTING_KEYS.maxFileSizeKB, DEFAULT_MAX_FILE_KB, 1, 100_000);
  const mb = num(TRAINING_SETTING_KEYS.maxCorpusMB, DEFAULT_MAX_CORPUS_MB, 0.001, 2000);
  return {
    settings: { include, maxFileBytes: Math.round(kb * 1024), maxTotalBytes: Math.round(mb * 1024 * 1024) },
    problems,
  };
}
