// Host side of the analysis worker's channel (src/protocol/analysisProtocol.ts):
// typed request/response calls with ids, and the worker's events. No `vscode`
// import: the extension's AnalysisSession, the worker tests and the edit
// latency benchmark all drive the worker through it.

import { isWorkerControl } from '../../protocol/workerControl';
import type {
  ErrorMessage,
  FromAnalysisWorker,
  ProgressMessage,
  RequestMap,
  RequestType,
  ResultMap,
  VisibleValuesMessage,
} from '../../protocol/analysisProtocol';

/** The two ends of a worker channel, as worker_threads gives them (no `vscode`). */
export interface MessagePortLike {
  postMessage(message: unknown, transfer?: ArrayBuffer[]): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
}

/**
 * Typed requests over a port: `call('getWindow', {...})` resolves with the
 * matching result type; events go to `onEvent`.
 */
export class AnalysisClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  onEvent?: (message: ProgressMessage | VisibleValuesMessage | ErrorMessage) => void;

  constructor(private readonly port: MessagePortLike) {
    port.on('message', (m) => this.receive(m as FromAnalysisWorker));
  }

  call<K extends RequestType>(type: K, args: RequestMap[K]): Promise<ResultMap[K]> {
    const id = this.nextId++;
    return new Promise<ResultMap[K]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.port.postMessage({ kind: 'request', id, type, ...args });
    });
  }

  /** Rejects every pending call (e.g. when the worker exits). */
  failAll(error: Error): void {
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }

  private receive(m: FromAnalysisWorker): void {
    if (isWorkerControl(m)) return; // src/protocol/workerControl.ts, seen by the worker's handle
    if (m.kind !== 'response') {
      this.onEvent?.(m);
      return;
    }
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.ok) p.resolve(m.result);
    else p.reject(Object.assign(new Error(m.error), { cancelled: m.cancelled, notReady: m.notReady }));
  }
}
