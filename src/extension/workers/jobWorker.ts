// One job in a fresh worker thread: the shape shared by training, discovery,
// saturation and the engine probe. Posts the start message (if any), hands
// every message that is not a worker-control message to `onMessage` until it
// says the job ended, and then asks the worker to stop; the worker exits on
// its own (never terminated: workerHandle.ts). A crash, a failed start, a
// timeout or an exception in `onMessage` rejects, naming the worker.
// No `vscode` import: unit-tested against the compiled workers in out/.

import { isWorkerControl } from '../../protocol/workerControl';
import { WorkerHandle } from '../../worker/workerHandle';

/** What `onMessage` returns when a message ends the job; `undefined` while it goes on. */
export type JobEnd<Result> = { result: Result } | { error: Error };

export interface JobSpec<Message, Result> {
  /** Names the worker in errors, e.g. "training worker". */
  name: string;
  /** Posted once the worker is created; none when the worker starts on its own. */
  start?: unknown;
  /** Posted by cancel(); none when the job cannot be cancelled. */
  cancel?: unknown;
  /** Rejects after this many ms without an end; none = no limit. */
  timeoutMs?: number;
  onMessage(m: Message): JobEnd<Result> | undefined;
}

export interface JobRun<Result> {
  /** Resolves with the job's result; rejects with its error or the worker's. */
  readonly done: Promise<Result>;
  /** Posts the spec's cancel message; nothing once the job has ended. */
  cancel(): void;
}

export function startJobWorker<Message, Result>(workerPath: string, spec: JobSpec<Message, Result>): JobRun<Result> {
  const handle = new WorkerHandle(workerPath);
  const worker = handle.worker;
  let ended = false;
  const done = new Promise<Result>((resolve, reject) => {
    const end = (e: JobEnd<Result>): void => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      void handle.stop();
      if ('error' in e) reject(e.error);
      else resolve(e.result);
    };
    const timer =
      spec.timeoutMs === undefined
        ? undefined
        : setTimeout(
            () => end({ error: new Error(`${spec.name} gave no answer in ${spec.timeoutMs} ms`) }),
            spec.timeoutMs,
          );
    worker.on('message', (m: unknown) => {
      if (ended || isWorkerControl(m)) return;
      let e: JobEnd<Result> | undefined;
      try {
        e = spec.onMessage(m as Message);
      } catch (err) {
        // A listener's bug must not leave the worker running unseen.
        e = { error: err instanceof Error ? err : new Error(String(err)) };
      }
      if (e) end(e);
    });
    worker.on('error', (err) => end({ error: new Error(`${spec.name} ${workerPath} failed: ${err.message}`) }));
    worker.on('exit', (code) =>
      end({ error: new Error(`${spec.name} ${workerPath} exited with code ${code} before finishing`) }),
    );
  });
  if (spec.start !== undefined) worker.postMessage(spec.start);
  return {
    done,
    cancel: () => {
      if (!ended && spec.cancel !== undefined) worker.postMessage(spec.cancel);
    },
  };
}
