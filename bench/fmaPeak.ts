// The machine's FMA peak, measured by bench/fmaPeak.c: compiled here with the
// system C compiler for the widest vectors /proc/cpuinfo lists (AVX-512 or
// AVX2 + FMA), then run on 1 and on all cores. Without a compiler or those
// instructions the peak is unknown and the caller says so.

import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const SOURCE = path.join(__dirname, '..', '..', 'bench', 'fmaPeak.c');

export interface FmaPeak {
  isa: string;
  oneCore: number; // GFLOP/s
  allCores: number; // GFLOP/s over os.availableParallelism() threads
}

function cpuFlags(): Set<string> {
  try {
    const line = fs
      .readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('flags'));
    return new Set((line ?? '').split(':')[1]?.trim().split(/\s+/) ?? []);
  } catch {
    return new Set();
  }
}

/** The measured peak, or a sentence saying why it could not be measured. */
export function measureFmaPeak(): FmaPeak | string {
  const flags = cpuFlags();
  const isa = flags.has('avx512f') ? 'AVX-512' : flags.has('avx2') && flags.has('fma') ? 'AVX2+FMA' : undefined;
  if (!isa) return 'the CPU lists neither AVX-512 nor AVX2+FMA (or /proc/cpuinfo is unreadable)';
  const exe = path.join(os.tmpdir(), `lstm-lens-fma-peak-${process.pid}`);
  const arch = isa === 'AVX-512' ? ['-mavx512f'] : ['-mavx2', '-mfma'];
  const cc = spawnSync('cc', ['-O2', ...arch, '-pthread', SOURCE, '-o', exe], { encoding: 'utf8' });
  if (cc.error || cc.status !== 0)
    return `no C compiler built ${SOURCE} (${cc.error?.message ?? cc.stderr.trim().split('\n').pop()})`;
  try {
    const run = (threads: number): number => {
      const r = spawnSync(exe, [String(threads)], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`fma peak run failed: ${r.stderr || r.signal}`);
      return (JSON.parse(r.stdout) as { gflops: number }).gflops;
    };
    return { isa, oneCore: run(1), allCores: run(os.availableParallelism()) };
  } finally {
    fs.rmSync(exe, { force: true });
  }
}
