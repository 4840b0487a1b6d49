// Host side of stopping a worker without Worker.terminate() (worker side and
// the reason: workerShutdown.ts; messages: src/protocol/workerControl.ts).
// No `vscode` import: the extension's workers and the trainer's shards
// (src/core/training/shardedSession.ts) all stop through it.
//
// stop() posts `workerShutdown` and waits for the worker's 'exit': the worker
// stops its job between onnxruntime calls, releases its sessions and exits
// by itself. terminate() is only a last resort, after `terminateAfterMs`, and
// only for a worker that has said `workerStopped` (no onnxruntime call in
// flight, no session alive, and it never calls onnxruntime again) but still
// has not exited, i.e. its thread is stuck in plain JavaScript. A worker that
// has not said so may be inside a native call: it is never terminated, and a
// stuck one is left running (a busy thread costs CPU; a terminate at the wrong
// moment aborts the extension host and every extension in it).

import { Worker } from 'worker_threads';
import type { WorkerOptions } from 'worker_threads';
import { isWorkerControl } from '../protocol/workerControl';
import type { WorkerShutdownMessage } from '../protocol/workerControl';

export interface StopOptions {
  /** How long stop() waits for the exit before resolving false (the worker keeps stopping on its own). */
  waitMs?: number;
  /** After this long without an exit, a worker that reported `workerStopped` is terminated; never one that did not. */
  terminateAfterMs?: number;
}

export class WorkerHandle {
  readonly worker: Worker;
  /** Resolves with the exit code when the worker thread has ended. */
  readonly exited: Promise<number>;
  private exitCode: number | undefined;
  private quiescent = false;
  private stopAsked = false;
  private deadlinePassed = false;
  private deadline: NodeJS.Timeout | undefined;

  constructor(file: string, options?: WorkerOptions) {
    this.worker = new Worker(file, options);
    this.exited = new Promise((resolve) =>
      this.worker.once('exit', (code) => {
        this.exitCode = code;
        clearTimeout(this.deadline);
        resolve(code);
      }),
    );
    this.worker.on('message', (m: unknown) => {
      if (isWorkerControl(m) && m.kind === 'workerStopped' && m.ortInFlight === 0 && m.ortSessions === 0) {
        this.quiescent = true;
        this.maybeTerminate();
      }
    });
    // An 'error' event without a listener would be rethrown in the extension host; starters add their own.
    this.worker.on('error', () => undefined);
  }

  get hasExited(): boolean {
    return this.exitCode !== undefined;
  }

  /** Posts a protocol message (dropped once the worker has exited). */
  post(message: unknown, transfer?: ArrayBuffer[]): void {
    if (!this.hasExited) this.worker.postMessage(message, transfer);
  }

  /**
   * Asks the worker to stop and resolves true once it has exited, or false
   * after `waitMs` while it is still stopping (it goes on in the background).
   * Safe to call more than once and after the exit.
   */
  stop(options: StopOptions = {}): Promise<boolean> {
    if (this.hasExited) return Promise.resolve(true);
    if (!this.stopAsked) {
      this.stopAsked = true;
      const shutdown: WorkerShutdownMessage = { kind: 'workerShutdown' };
      this.worker.postMessage(shutdown);
      this.deadline = setTimeout(() => {
        this.deadlinePassed = true;
        this.maybeTerminate();
      }, options.terminateAfterMs ?? 30_000);
      this.deadline.unref();
    }
    const waitMs = options.waitMs ?? 10_000;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), waitMs);
      timer.unref();
      void this.exited.then(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  private maybeTerminate(): void {
    if (this.deadlinePassed && this.quiescent && !this.hasExited) void this.worker.terminate();
  }
}
