// Starter for dist/engineInfoWorker.js: spawns it, waits for its one message
// (through the shared job starter, jobWorker.ts), and turns it into an
// EngineInfo or a thrown Error.
// No `vscode` import, so the unit tests can run it against the compiled worker in out/.

import * as path from 'path';
import { startJobWorker } from './jobWorker';
import type { EngineInfo } from '../../worker/engineProbe';

type ProbeMessage = { ok: true; info: EngineInfo } | { ok: false; error: string };

/** `workerFile` is the worker script, e.g. path.join(__dirname, 'engineInfoWorker.js'). */
export async function runEngineInfoWorker(workerFile: string, timeoutMs = 60_000): Promise<EngineInfo> {
  const msg = await startJobWorker<ProbeMessage, ProbeMessage>(path.resolve(workerFile), {
    name: 'engine probe worker',
    timeoutMs,
    onMessage: (m) => ({ result: m }),
  }).done;
  if (!msg.ok) throw new Error(`onnxruntime-node failed to load: ${msg.error}`);
  return msg.info;
}

export function formatEngineInfo(info: EngineInfo): string {
  return `onnxruntime-node ${info.ortVersion} loaded in a worker (Node ${info.nodeVersion}, ${info.platform}, ${Math.round(info.elapsedMs)} ms) from ${info.ortPath}`;
}
