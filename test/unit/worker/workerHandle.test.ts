import * as assert from 'assert';
import { WorkerHandle } from '../../../src/worker/workerHandle';

// Workers in plain JavaScript (no onnxruntime): they act out the cases of the
// host's last resort. Real workers stopping mid-onnxruntime: test/unit/worker/workerStop.test.ts.
const spinner = (reportStopped: boolean, spinMs: number): string => `
  const { parentPort } = require('worker_threads');
  parentPort.on('message', (m) => {
    if (m.kind !== 'workerShutdown') return;
    ${reportStopped ? "parentPort.postMessage({ kind: 'workerStopped', ortInFlight: 0, ortSessions: 0, releasedLeftovers: 0 });" : ''}
    // Stuck in plain JavaScript, as a bug would be; then exits by itself.
    setTimeout(() => { const end = Date.now() + ${spinMs}; while (Date.now() < end); process.exit(0); }, 20);
  });
`;

describe('worker/workerHandle', function () {
  this.timeout(20_000);

  it('terminates, as a last resort, a worker that said workerStopped but does not exit', async () => {
    const h = new WorkerHandle(spinner(true, 10_000), { eval: true });
    const t0 = Date.now();
    assert.strictEqual(await h.stop({ waitMs: 5000, terminateAfterMs: 200 }), true);
    assert.ok(Date.now() - t0 < 4000, `stopped after ${Date.now() - t0} ms`);
    assert.strictEqual(await h.exited, 1, 'terminate() gives exit code 1');
  });

  it('never terminates a worker that did not say workerStopped (it may be inside onnxruntime): it is left to exit on its own', async () => {
    const h = new WorkerHandle(spinner(false, 1500), { eval: true });
    assert.strictEqual(await h.stop({ waitMs: 300, terminateAfterMs: 100 }), false, 'still running after waitMs');
    assert.ok(!h.hasExited);
    assert.strictEqual(await h.exited, 0, 'exited by itself, not terminated');
    assert.strictEqual(await h.stop(), true, 'stop() after the exit resolves at once');
  });
});
