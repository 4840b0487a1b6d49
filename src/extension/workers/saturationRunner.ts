// Starter for dist/saturationWorker.js: one worker per request, stopped after
// its answer (saturation is computed on demand, rarely), through the shared
// job starter (jobWorker.ts). On a timeout the promise rejects at once and the
// worker is asked to stop (it cancels between chunks and exits on its own).
// No `vscode` import, so the unit tests run it against the compiled worker in out/.

import * as path from 'path';
import { startJobWorker } from './jobWorker';
import type { SaturationData } from '../../protocol/panelProtocol';
import type { SaturationReply, SaturationRequest } from '../../protocol/saturationProtocol';

/** Runs the worker on `request`; resolves with its successful reply or rejects with its error. */
export async function runSaturationWorker(
  workerFile: string,
  request: SaturationRequest,
  timeoutMs = 120_000,
): Promise<Extract<SaturationReply, { ok: true }>> {
  const m = await startJobWorker<SaturationReply, SaturationReply>(path.resolve(workerFile), {
    name: 'saturation worker',
    start: request,
    timeoutMs,
    onMessage: (reply) => ({ result: reply }),
  }).done;
  if (!m.ok) throw new Error(`saturation: ${m.error}`);
  return m;
}

/** The worker's reply as the panel's SaturationData (plain numbers, one point per cell and gate). */
export function toSaturationData(
  uri: string,
  version: number,
  reply: Extract<SaturationReply, { ok: true }>,
): SaturationData {
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
