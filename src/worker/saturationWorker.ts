// Worker entry (worker_threads): gate saturation of every cell over one text,
// off the extension host thread. Speaks src/protocol/saturationProtocol.ts:
// answers one SaturationRequest, then idles until the host stops it with
// `workerShutdown` (src/worker/workerShutdown.ts; a job still running is
// cancelled between chunks). No `vscode`.

import { parentPort } from 'worker_threads';
import { readModelFile } from '../core/model/modelFile';
import { textSaturation } from '../core/analysis/textSaturation';
import { transferablesOf } from './transferables';
import type { SaturationReply, SaturationRequest } from '../protocol/saturationProtocol';
import { isWorkerControl } from '../protocol/workerControl';
import { serveShutdown } from './workerShutdown';
import { errorMessage } from '../core/util/errors';

if (!parentPort) throw new Error('saturationWorker must run in a worker_threads Worker');
const port = parentPort;
const abort = new AbortController();
let running: Promise<void> = Promise.resolve();
serveShutdown(port, {
  stop: async () => {
    abort.abort();
    await running;
  },
});

port.on('message', (req: SaturationRequest) => {
  if (isWorkerControl(req)) return;
  running = (async (): Promise<SaturationReply> => {
    try {
      if (typeof req?.modelPath !== 'string' || typeof req.text !== 'string') {
        throw new Error('saturation request needs { modelPath: string, text: string }');
      }
      const model = await readModelFile(req.modelPath);
      const r = await textSaturation(model, req.text, { maxChars: req.maxChars }, abort.signal);
      return { ok: true, chars: r.chars, truncated: r.truncated, layers: r.layers };
    } catch (e) {
      return { ok: false, error: errorMessage(e) };
    }
  })().then((reply) => port.postMessage(reply, transferablesOf(reply)));
});
