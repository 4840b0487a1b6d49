// Child-process script of workerStop.test.ts: starts each real compiled worker,
// stops or cancels it in the middle of onnxruntime work, `rounds` times, and
// checks that every worker exits by itself with code 0. Run as its own process
// because a regression (a terminate() during a native onnxruntime call) aborts
// the whole process with exit 134; the test then fails on the exit code
// instead of the abort killing mocha.
//
//   node out/test/unit/worker/workerStopScenarios.js [rounds] [scenario…]
// LSTM_LENS_STOP_BY_TERMINATE=1 stops with Worker.terminate() instead (to see
// the hazard the test guards against: the process aborts).

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { randomCharModel } from '../../../src/core/model/randomModel';
import { writeModelFile } from '../../../src/core/model/modelFile';
import { AnalysisSession } from '../../../src/extension/lens/analysisSession';
import { startDiscovery } from '../../../src/extension/discovery/discoveryStarter';
import { runEngineInfoWorker } from '../../../src/extension/workers/engineInfo';
import { runSaturationWorker } from '../../../src/extension/workers/saturationRunner';
import { startTraining } from '../../../src/extension/training/trainingStarter';
import { WorkerHandle } from '../../../src/worker/workerHandle';
import { AnalysisClient } from '../../../src/extension/workers/analysisClient';
import type { WorkerStoppedMessage } from '../../../src/protocol/workerControl';

const OUT_WORKERS = path.join(__dirname, '../../../src/worker');
const worker = (name: string): string => path.join(OUT_WORKERS, `${name}.js`);
const BY_TERMINATE = process.env.LSTM_LENS_STOP_BY_TERMINATE === '1';

const C =
  'int sum(int *a, int n) {\n  int s = 0; /* total */\n  for (int i = 0; i < n; i++) {\n    if (a[i] > 0) s += a[i];\n  }\n  return s;\n}\n';
const TEXT = C.repeat(120); // ~11 000 characters: several engine runs of the big model
const chars = [...new Set(Array.from(TEXT))].sort();

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Stops `h` the way the code under test does (or by terminate() for the hazard demo); checks it exited with 0 after saying workerStopped. */
async function stopAndCheck(h: WorkerHandle, stopped: Promise<WorkerStoppedMessage>, label: string): Promise<void> {
  if (BY_TERMINATE) {
    await h.worker.terminate();
    return;
  }
  const exited = await h.stop({ waitMs: 30_000 });
  assert.ok(exited, `${label}: the worker did not exit within 30 s of workerShutdown`);
  assert.strictEqual(await h.exited, 0, `${label}: exit code`);
  const s = await stopped;
  assert.strictEqual(s.ortInFlight, 0, `${label}: onnxruntime calls in flight when stopped`);
  assert.strictEqual(s.ortSessions, 0, `${label}: sessions alive when stopped`);
}

function spawn(name: string): {
  h: WorkerHandle;
  stopped: Promise<WorkerStoppedMessage>;
  firstMessage: (pred: (m: { kind?: string }) => boolean) => Promise<void>;
} {
  const h = new WorkerHandle(worker(name));
  const stopped = new Promise<WorkerStoppedMessage>((resolve) =>
    h.worker.on('message', (m: WorkerStoppedMessage) => m?.kind === 'workerStopped' && resolve(m)),
  );
  const firstMessage = (pred: (m: { kind?: string }) => boolean): Promise<void> =>
    new Promise((resolve) => h.worker.on('message', (m: { kind?: string }) => pred(m) && resolve()));
  return { h, stopped, firstMessage };
}

type Scenario = (modelPath: string, dir: string, round: number) => Promise<void>;

const scenarios: Record<string, Scenario> = {
  /** Shutdown while the model is loading (InferenceSession.create in flight) and while the background pass runs. */
  async analysis(modelPath, _dir, round) {
    const { h, stopped, firstMessage } = spawn('analysisWorker');
    const rpc = new AnalysisClient(h.worker);
    const loading = rpc.call('loadModel', { path: modelPath }).catch((e: Error) => e);
    if (round % 2 === 0) {
      await sleep(20 + 30 * round); // somewhere in reading the model / creating the sessions
    } else {
      await loading;
      await rpc.call('select', { selection: { cells: [{ layer: 0, cell: 1, signals: ['c'] }], surprisal: true } });
      const progressed = firstMessage((m) => m.kind === 'progress');
      await rpc.call('setDocument', { text: TEXT, version: 1 });
      await progressed; // the pass is between (or in) engine runs now
    }
    await stopAndCheck(h, stopped, `analysis round ${round}`);
  },

  /** The real starter: AnalysisSession.dispose() during a long sample. */
  async analysisSession(modelPath, _dir, round) {
    const s = new AnalysisSession(worker('analysisWorker'));
    await s.loadModel(modelPath);
    const h = s['handle']!;
    const pending = s.sample(100_000, 1).catch((e: Error) => e);
    await sleep(50 + 50 * round);
    if (BY_TERMINATE) return void (await h.worker.terminate());
    await s.dispose(30_000);
    assert.ok(h.hasExited, 'dispose resolved before the worker exited');
    assert.strictEqual(await h.exited, 0);
    assert.ok((await pending) instanceof Error, 'the pending sample fails');
  },

  /** Shutdown in the middle of training steps (the job is cancelled; the best model stays). */
  async training(_modelPath, dir, round) {
    const { h, stopped, firstMessage } = spawn('trainingWorker');
    const files = Array.from({ length: 3 }, (_, f) => ({ name: `f${f}.c`, text: C.repeat(10 + f) }));
    const outPath = path.join(dir, `t${round}.onnx`);
    const progressed = firstMessage((m) => m.kind === (round % 2 === 0 ? 'started' : 'checkpoint'));
    h.post({
      kind: 'start',
      job: {
        files,
        outPath,
        settings: {
          hiddenSize: 128,
          embeddingSize: 8,
          seqLength: 32,
          batchSize: 8,
          threads: 1,
          maxSteps: 100_000,
          evalEvery: 2,
        },
      },
    });
    await progressed;
    await stopAndCheck(h, stopped, `training round ${round}`);
  },

  /** The real starter: cancel mid-run resolves 'aborted' with the model kept, then the worker exits. */
  async trainingCancel(_modelPath, dir, round) {
    const files = Array.from({ length: 3 }, (_, f) => ({ name: `f${f}.c`, text: C.repeat(10 + f) }));
    const outPath = path.join(dir, `c${round}.onnx`);
    const run: ReturnType<typeof startTraining> = startTraining(
      worker('trainingWorker'),
      {
        files,
        outPath,
        settings: {
          hiddenSize: 128,
          embeddingSize: 8,
          seqLength: 32,
          batchSize: 8,
          threads: 1,
          maxSteps: 100_000,
          evalEvery: 2,
        },
      },
      {
        onCheckpoint: () => run.cancel(),
      },
    );
    const outcome = await run.done;
    assert.strictEqual(outcome.stoppedBy, 'aborted');
    assert.ok(outcome.modelWritten && fs.existsSync(outPath));
  },

  /** Shutdown while saturation runs chunk after chunk; and the starter's timeout (rejects, worker left to stop). */
  async saturation(modelPath, _dir, round) {
    const { h, stopped } = spawn('saturationWorker');
    h.post({ modelPath, text: TEXT });
    await sleep(100 + 150 * round);
    await stopAndCheck(h, stopped, `saturation round ${round}`);
    if (!BY_TERMINATE) {
      await assert.rejects(
        runSaturationWorker(worker('saturationWorker'), { modelPath, text: TEXT }, 200 + 100 * round),
        /gave no answer in \d+ ms/,
      );
    }
  },

  /** Shutdown mid-discovery, and the starter's cancel. */
  async discovery(modelPath, dir, round) {
    const texts = [{ name: 'long.c', text: TEXT, language: 'c' }];
    const { h, stopped, firstMessage } = spawn('discoveryWorker');
    const progressed = firstMessage((m) => m.kind === 'progress');
    h.post({ kind: 'start', job: { modelPath, texts, storeDir: path.join(dir, `d${round}`) } });
    if (round % 2 === 0) await progressed;
    else await sleep(100);
    await stopAndCheck(h, stopped, `discovery round ${round}`);
    if (!BY_TERMINATE) {
      let seen = 0;
      const run = startDiscovery(
        worker('discoveryWorker'),
        { modelPath, texts, storeDir: path.join(dir, `e${round}`) },
        () => {
          if (seen++ === 0) run.cancel();
        },
      );
      assert.strictEqual((await run.done).status, 'cancelled');
    }
  },

  /** Shutdown during the probe's create/run, and the starter (the worker stops itself after answering). */
  async engineInfo(_modelPath, _dir, round) {
    const { h, stopped } = spawn('engineInfoWorker');
    await sleep(round * 15);
    await stopAndCheck(h, stopped, `engine info round ${round}`);
    if (!BY_TERMINATE) assert.ok((await runEngineInfoWorker(worker('engineInfoWorker'))).ortVersion);
  },
};

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 3);
  const names = process.argv.slice(3).length ? process.argv.slice(3) : Object.keys(scenarios);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-stop-'));
  try {
    // Big enough that one engine run of a 2048-character chunk takes a noticeable time.
    const model = randomCharModel({
      vocab: { chars },
      embeddingDim: 16,
      layers: [{ kind: 'lstm', hiddenSize: 384 }],
      seed: 3,
    });
    const modelPath = path.join(dir, 'big.onnx');
    await writeModelFile(model, modelPath);
    for (const name of names) {
      const run = scenarios[name];
      if (!run) throw new Error(`unknown scenario ${name}; known: ${Object.keys(scenarios).join(', ')}`);
      for (let round = 0; round < rounds; round++) {
        const t0 = Date.now();
        await run(modelPath, dir, round);
        console.log(`${name} round ${round}: ok (${Date.now() - t0} ms)`);
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => console.log('all stopped cleanly'),
  (e: unknown) => {
    console.error(e instanceof Error ? e.stack : e);
    process.exitCode = 1;
  },
);
