import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startJobWorker } from '../../../../src/extension/workers/jobWorker';

// Plain JavaScript workers written to a temporary folder: on `start` they post
// two steps and, unless told to hang, a result; they exit when asked to stop.
const SCRIPT = `
  const { parentPort, workerData } = require('worker_threads');
  parentPort.on('message', (m) => {
    if (m.kind === 'workerShutdown') {
      parentPort.postMessage({ kind: 'workerStopped', ortInFlight: 0, ortSessions: 0, releasedLeftovers: 0 });
      process.exit(0);
    }
    if (m.kind === 'start') {
      parentPort.postMessage({ kind: 'step', n: 1 });
      parentPort.postMessage({ kind: 'step', n: 2 });
      if (m.mode === 'crash') process.exit(3);
      if (m.mode !== 'hang') parentPort.postMessage({ kind: 'done', total: 3 });
    }
    if (m.kind === 'cancel') parentPort.postMessage({ kind: 'cancelled' });
  });
`;

type Message = { kind: 'step'; n: number } | { kind: 'done'; total: number } | { kind: 'cancelled' };

describe('extension/workers/jobWorker', function () {
  this.timeout(20_000);
  let dir: string;
  let worker: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-jobworker-'));
    worker = path.join(dir, 'jobWorker.js');
    fs.writeFileSync(worker, SCRIPT);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const run = (mode: string, onStep: (n: number) => void = () => undefined) =>
    startJobWorker<Message, number | 'cancelled'>(worker, {
      name: 'test worker',
      start: { kind: 'start', mode },
      cancel: { kind: 'cancel' },
      timeoutMs: 5000,
      onMessage: (m) => {
        if (m.kind === 'step') {
          onStep(m.n);
          return undefined;
        }
        return m.kind === 'done' ? { result: m.total } : { result: 'cancelled' };
      },
    });

  it('hands every message to onMessage in order and resolves with the result', async () => {
    const steps: number[] = [];
    assert.strictEqual(await run('ok', (n) => steps.push(n)).done, 3);
    assert.deepStrictEqual(steps, [1, 2]);
  });

  it('posts the cancel message while the job runs', async () => {
    const job = run('hang');
    job.cancel();
    assert.strictEqual(await job.done, 'cancelled');
  });

  it('rejects with the error a listener throws (and stops the worker)', async () => {
    const job = run('hang', (n) => {
      if (n === 2) throw new Error('listener bug at step 2');
    });
    await assert.rejects(job.done, /listener bug at step 2/);
  });

  it('rejects naming the worker when it exits before the end, and when it gives no answer in time', async () => {
    await assert.rejects(run('crash').done, /test worker .*jobWorker\.js exited with code 3 before finishing/);
    const slow = startJobWorker<Message, number>(worker, {
      name: 'test worker',
      start: { kind: 'start', mode: 'hang' },
      timeoutMs: 200,
      onMessage: () => undefined,
    });
    await assert.rejects(slow.done, /test worker gave no answer in 200 ms/);
  });

  it('rejects naming the file when the worker cannot start', async () => {
    const missing = startJobWorker(path.join(dir, 'missing.js'), { name: 'test worker', onMessage: () => undefined });
    await assert.rejects(missing.done, /test worker .*missing\.js/);
  });
});
