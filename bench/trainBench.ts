// `npm run bench:train`: characters per second trained by our ONNX training
// graph (forward + hand-written BPTT in one onnxruntime-node run, Adam and
// clipping in JS) against PyTorch's best CPU configuration on this machine
// (OPENBLAS_NUM_THREADS=1, OPENBLAS_CORETYPE=SkylakeX, torch threads 1 and 2),
// same model (1 layer LSTM, H=256, E=64, V=100, B=32, T=100, Adam), measured
// in this one run, alternating so that load from other processes hits both.
// Ours runs as the trainer does by default (the batch split over one worker
// per core, shardedSession.ts, each shard on the native kernel where it is
// built: trainSession.ts) and, for reference, the same shards on the ONNX
// training graph, and the graph as one session with 2 and 1 intra-op
// threads. Model FLOPs per character = 3 × forward (2·(E·4H + H·4H + H·V) for
// a 1-layer LSTM), against the FMA peak measured in this run (fmaPeak.ts).
// The native kernel does less than that for layer 0 (a gathered column of
// W · embedding^T per character instead of W times the embedding), so its
// model FLOP/s counts work the algebra saved.
// Installs nothing: the PyTorch side runs only when /usr/bin/python3 has torch.
// Options: --seconds S per measurement (8), --rounds N (2), --layers L (1), --hidden H (256), --batch B (32; both sides).

import { spawnSync } from 'child_process';
import * as os from 'os';
import * as path from 'path';
import { benchHeader } from './benchHeader';
import { measureFmaPeak } from './fmaPeak';
import { Adam, clipScale, globalNorm } from '../src/core/training/adam';
import { GraphSession } from '../src/core/training/graphSession';
import { initParams, ParamLayout } from '../src/core/training/modelParams';
import type { ModelShape } from '../src/core/training/modelParams';
import { loadNativeKernel } from '../src/core/training/nativeKernel';
import { ShardedSession } from '../src/core/training/shardedSession';
import { Rng } from '../src/core/util/seededRandom';

const PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(__dirname, '..', '..', 'bench', 'torchTrain.py');
const argOf = (name: string, d: number): number => {
  const j = process.argv.indexOf(`--${name}`);
  return j >= 0 ? Number(process.argv[j + 1]) : d;
};
const SECONDS = argOf('seconds', 8);
const ROUNDS = argOf('rounds', 2);
const L = argOf('layers', 1);
const H = argOf('hidden', 256);
const B = argOf('batch', 32);
const V = 100,
  E = 64,
  T = 100;

// threads: one ONNX graph session with that many intra-op threads; shards: that many workers of one thread each.
async function ours(how: { threads: number } | { shards: number; kernel: 'native' | 'onnx' }): Promise<number> {
  const shape: ModelShape = { kind: 'lstm', vocabSize: V, embeddingSize: E, hiddenSize: H, layers: L };
  const layout = new ParamLayout(shape);
  const rng = new Rng(1);
  const params = initParams(layout, rng);
  const session =
    'shards' in how
      ? await ShardedSession.create(shape, T, B, params, { shards: how.shards, kernel: how.kernel })
      : await GraphSession.create(shape, T, B, 'train', params, { threads: how.threads });
  const adam = new Adam(layout.total);
  const data = Int32Array.from({ length: (T + 1) * B }, () => rng.int(V));
  const x = data.subarray(0, T * B);
  const y = data.subarray(B); // next character of each stream (time-major)
  const step = async (): Promise<void> => {
    const r = await session.run(x, y);
    adam.step(params, r.grads!, 2e-3, clipScale(globalNorm(r.grads!), 5));
  };
  for (let k = 0; k < 3; k++) await step();
  const t0 = process.hrtime.bigint();
  let n = 0;
  let dt: number;
  do {
    await step();
    n++;
    dt = Number(process.hrtime.bigint() - t0) / 1e9;
  } while (dt < SECONDS || n < 3);
  await session.release();
  return (n * T * B) / dt;
}

// OPENBLAS_CORETYPE=SkylakeX was PyTorch's fastest setting on an AVX-512 CPU
// (faster than OpenBLAS's Haswell kernels); on a CPU without AVX-512 it dies
// with SIGILL, so fall back to OpenBLAS's own choice.
let coreType: string | undefined = 'SkylakeX';

function torch(threads: number): number | string {
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: String(threads) };
  if (coreType) env.OPENBLAS_CORETYPE = coreType;
  else delete env.OPENBLAS_CORETYPE;
  const r = spawnSync(
    PYTHON,
    [
      SCRIPT,
      '--threads',
      String(threads),
      '--seconds',
      String(SECONDS),
      '--layers',
      String(L),
      '--hidden',
      String(H),
      '--batch',
      String(B),
    ],
    { env, encoding: 'utf8' },
  );
  if (r.error) return `cannot run ${PYTHON}: ${r.error.message}`;
  if (r.signal === 'SIGILL' && coreType) {
    console.log(`  (OPENBLAS_CORETYPE=${coreType} is not supported by this CPU: using OpenBLAS's default core type)`);
    coreType = undefined;
    return torch(threads);
  }
  if (r.status !== 0)
    return r.stderr.includes("No module named 'torch'")
      ? `${PYTHON} has no torch (Debian: apt-get install python3-torch)`
      : `PyTorch run failed (${r.signal ?? `exit ${r.status}`}): ${r.stderr.trim().split('\n').pop()}`;
  return (JSON.parse(r.stdout.trim().split('\n').pop()!) as { charsPerSecond: number }).charsPerSecond;
}

async function main(): Promise<void> {
  console.log(benchHeader('train bench'));
  console.log(
    `${L} layer LSTM, H=${H}, E=${E}, V=${V}, B=${B}, T=${T}, Adam; ${SECONDS} s per measurement, ${ROUNDS} rounds, best of rounds`,
  );
  const cores = os.availableParallelism();
  const native = loadNativeKernel();
  console.log(native.kernel ? `native kernel: ${native.file}` : `native kernel: none (${native.why})`);
  const sharded = `ours, native, ${cores} shards × 1 thread`;
  const shardedOnnx = `ours, ONNX graph, ${cores} shards × 1 thread`;
  const oneSession = (threads: number): string => `ours, ONNX graph, 1 session, ${threads} thr`;
  const best: Record<string, number> = {};
  let torchProblem: string | undefined;
  const keep = (name: string, v: number): void => {
    best[name] = Math.max(best[name] ?? 0, v);
    console.log(`  ${name.padEnd(36)} ${Math.round(v).toString().padStart(7)} chars/s`);
  };
  for (let r = 0; r < ROUNDS; r++) {
    if (cores > 1 && native.kernel) keep(sharded, await ours({ shards: cores, kernel: 'native' }));
    if (cores > 1) keep(shardedOnnx, await ours({ shards: cores, kernel: 'onnx' }));
    for (const threads of [2, 1]) keep(oneSession(threads), await ours({ threads }));
    if (!torchProblem) {
      for (const th of [1, 2]) {
        const v = torch(th);
        if (typeof v === 'string') {
          torchProblem = v;
          break;
        }
        keep(`PyTorch+OpenBLAS, ${th} thread${th > 1 ? 's' : ''}`, v);
      }
    }
  }
  const graphBest = Math.max(best[shardedOnnx] ?? 0, best[oneSession(2)], best[oneSession(1)]);
  const oursBest = Math.max(best[sharded] ?? 0, graphBest);
  console.log(`ours best: ${Math.round(oursBest)} chars/s; the ONNX graph's best ${Math.round(graphBest)}`);
  const flopsPerChar = 3 * 2 * (L * (4 * H * H) + 4 * H * E + (L - 1) * 4 * H * H + H * V);
  const gflops = (oursBest * flopsPerChar) / 1e9;
  const peak = measureFmaPeak();
  if (typeof peak === 'string') console.log(`ours: ${gflops.toFixed(1)} GFLOP/s; FMA peak not measured: ${peak}`);
  else
    console.log(
      `ours: ${gflops.toFixed(1)} model GFLOP/s (${(flopsPerChar / 1e6).toFixed(2)} MFLOP/char) = ${((100 * gflops) / peak.allCores).toFixed(0)}% of the FMA peak ${peak.allCores.toFixed(0)} GFLOP/s (${peak.isa}, ${cores} cores; ${peak.oneCore.toFixed(0)} on one) (goal ≥ 30%)`,
    );
  if (torchProblem) {
    console.log(`PyTorch side skipped: ${torchProblem}`);
    return;
  }
  const torchBest = Math.max(best['PyTorch+OpenBLAS, 1 thread'], best['PyTorch+OpenBLAS, 2 threads']);
  console.log(`PyTorch best: ${Math.round(torchBest)} chars/s`);
  console.log(`ratio ONNX graph / PyTorch best: ${(graphBest / torchBest).toFixed(2)}× (reference)`);
  console.log(`ratio ours / PyTorch best: ${(oursBest / torchBest).toFixed(2)}× (goal ≥ 2.5×)`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
