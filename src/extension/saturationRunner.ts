// Starter for dist/saturationWorker.js: one worker per request, stopped after
// its answer (saturation is computed on demand, rarely). On a timeout the
// promise rejects at once and the worker is asked to stop (it cancels between
// chunks and exits on its own; never terminated: src/extension/workerHandle.ts).
// No `vscode` import, so the unit tests run it against the compiled worker in out/.

import * as path from 'path';
import { isWorkerControl } from '../protocol/workerControl';
import { WorkerHandle } from './workerHandle';
import type { SaturationData } from '../protocol/panelProtocol';
import type { SaturationReply, SaturationRequest } from '../protocol/saturationProtocol';

/** Runs the worker on `request`; resolves with its successful reply or rejects with its error. */
export function runSaturationWorker(
  workerFile: string,
  request: SaturationRequest,
  timeoutMs = 120_000,
): Promise<Extract<SaturationReply, { ok: true }>> {
  return new Promise((resolve, reject) => {
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
    const timer = setTimeout(() => finish(() => reject(new Error(`saturation worker gave no answer in ${timeoutMs} ms`))), timeoutMs);
    worker.on('message', (m: SaturationReply) => {
      if (!isWorkerControl(m)) finish(() => (m.ok ? resolve(m) : reject(new Error(`saturation: ${m.error}`))));
    });
    worker.once('error', (e) => finish(() => reject(e)));
    worker.once('exit', (code) => finish(() => reject(new Error(`saturation worker exited with code ${code} before answering`))));
    worker.postMessage(request);
  });
}

/** The worker's reply as the panel's SaturationData (plain numbers, one point per cell and gate). */
export function toSaturationData(uri: string, version: number, reply: Extract<SaturationReply, { ok: true }>): SaturationData {
  return {
    uri,
    version,
    chars: reply.chars,
    layers: reply.layers.map((l) => ({
      layer: l.layer,
      points: Object.entries(l.gates).flatMap(([gate, g]) =>
        Array.from(g.left, (left, cell) => ({ cell, gate, left, right: g.right[cell] })),
      ),
    })),
  };
}
