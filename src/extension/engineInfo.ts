// Starter for dist/engineInfoWorker.js: spawns it, waits for its one message,
// and turns it into an EngineInfo or a thrown Error. The worker stops itself
// after answering; it is never terminated (src/extension/workerHandle.ts).
// No `vscode` import, so the unit tests can run it against the compiled worker in out/.

import * as path from 'path';
import { WorkerHandle } from './workerHandle';
import type { EngineInfo } from '../worker/engineProbe';

type ProbeMessage = { ok: true; info: EngineInfo } | { ok: false; error: string };

/** `workerFile` is the worker script, e.g. path.join(__dirname, 'engineInfoWorker.js'). */
export function runEngineInfoWorker(workerFile: string, timeoutMs = 60_000): Promise<EngineInfo> {
  return new Promise<EngineInfo>((resolve, reject) => {
    const handle = new WorkerHandle(path.resolve(workerFile));
    const worker = handle.worker;
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void handle.stop();
      fn();
    };
    const timer = setTimeout(
      () => finish(() => reject(new Error(`engine probe worker ${workerFile} gave no answer in ${timeoutMs} ms`))),
      timeoutMs,
    );
    worker.once('message', (msg: ProbeMessage) =>
      finish(() => (msg.ok ? resolve(msg.info) : reject(new Error(`onnxruntime-node failed to load: ${msg.error}`)))),
    );
    worker.once('error', (err) => finish(() => reject(err)));
    worker.once('exit', (code) =>
      finish(() => reject(new Error(`engine probe worker ${workerFile} exited with code ${code} before answering`))),
    );
  });
}

export function formatEngineInfo(info: EngineInfo): string {
  return `onnxruntime-node ${info.ortVersion} loaded in a worker (Node ${info.nodeVersion}, ${info.platform}, ${Math.round(info.elapsedMs)} ms) from ${info.ortPath}`;
}
