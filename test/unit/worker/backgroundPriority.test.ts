import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import { Worker } from 'worker_threads';
import { BACKGROUND_NICE, lowerThreadPriority } from '../../../src/worker/backgroundPriority';
import { compiledWorker } from '../../helpers/compiledWorker';
import { WorkerHandle } from '../../../src/worker/workerHandle';

/** Thread id and nice value of every live thread of this process, from /proc (Linux); a thread that ends while it is read is left out. */
function threads(): { tid: string; nice: number }[] {
  return fs.readdirSync('/proc/self/task').flatMap((tid) => {
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    return [{ tid, nice: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]) }];
  });
}

const threadNices = (): number[] => threads().map((t) => t.nice);

const linux = process.platform === 'linux';

describe('lowerThreadPriority', () => {
  it('leaves threads alone off Linux (there it would lower the whole process)', () => {
    const before = os.getPriority(0);
    assert.strictEqual(lowerThreadPriority('darwin'), undefined);
    assert.strictEqual(lowerThreadPriority('win32'), undefined);
    assert.strictEqual(os.getPriority(0), before);
  });

  (linux ? it : it.skip)('on Linux lowers only the worker thread that calls it', async () => {
    const mainBefore = os.getPriority(0);
    const modulePath = require.resolve('../../../src/worker/backgroundPriority');
    const w = new Worker(
      `const { parentPort } = require('worker_threads');
       const r = require(${JSON.stringify(modulePath)}).lowerThreadPriority();
       parentPort.postMessage(r);
       setTimeout(() => {}, 500);`,
      { eval: true },
    );
    try {
      const reported = await new Promise((resolve, reject) => {
        w.once('message', resolve);
        w.once('error', reject);
      });
      assert.strictEqual(reported, BACKGROUND_NICE);
      assert.ok(
        threadNices().includes(BACKGROUND_NICE),
        `a thread at nice ${BACKGROUND_NICE}: ${threadNices().join(' ')}`,
      );
      assert.strictEqual(os.getPriority(0), mainBefore, 'the main thread keeps its priority');
    } finally {
      await w.terminate();
    }
  });

  (linux ? it : it.skip)('the training and discovery workers run below normal priority', async () => {
    for (const name of ['trainingWorker', 'discoveryWorker']) {
      // Threads already lowered (the previous worker's may still be ending) do not count.
      const before = new Set(threads().map((t) => t.tid));
      const lowered = (): boolean => threads().some((t) => t.nice === BACKGROUND_NICE && !before.has(t.tid));
      const h = new WorkerHandle(compiledWorker(name));
      const w = h.worker;
      try {
        await new Promise((resolve, reject) => {
          w.once('online', resolve);
          w.once('error', reject);
        });
        const t0 = Date.now();
        while (!lowered() && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 20));
        assert.ok(lowered(), `${name}: a new thread at nice ${BACKGROUND_NICE}; threads: ${threadNices().join(' ')}`);
      } finally {
        assert.ok(await h.stop(), `${name} exits when asked`);
      }
    }
  });
});
