// Starter for dist/engineInfoWorker.js: spawns it, waits for its one message,
// and turns it into an EngineInfo or a thrown Error. The worker stops itself
// after answering; it is never terminated (src/extension/workers/workerHandle.ts).
// No `vscode` import, so the unit tests can run it against the compiled worker in out/.

import * as path from 'path';
import { askWorkerOnce } from './workerHandle';
import type { EngineInfo } from '../../worker/engineProbe';

type ProbeMessage = { ok: true; info: EngineInfo } | { ok: false; error: string };

/** `workerFile` is the worker script, e.g. path.join(__dirname, 'engineInfoWorker.js'). */
export async function runEngineInfoWorker(workerFile: string, timeoutMs = 60_000): Promise<EngineInfo> {
  const msg = await askWorkerOnce<ProbeMessage>(
    path.resolve(workerFile),
    undefined,
    timeoutMs,
    `engine probe worker ${workerFile}`,
  );
  if (!msg.ok) throw new Error(`onnxruntime-node failed to load: ${msg.error}`);
  return msg.info;
}

export function formatEngineInfo(info: EngineInfo): string {
  return `onnxruntime-node ${info.ortVersion} loaded in a worker (Node ${info.nodeVersion}, ${info.platform}, ${Math.round(info.elapsedMs)} ms) from ${info.ortPath}`;
}
