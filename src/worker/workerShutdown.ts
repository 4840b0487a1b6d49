// Worker side of stopping a worker without Worker.terminate(). Every worker
// entry calls serveShutdown() first thing; the host side is
// src/worker/workerHandle.ts, the messages src/protocol/workerControl.ts.
//
// Why: onnxruntime-node 1.30 runs InferenceSession.create and session.run as
// *synchronous* native calls on the worker's own thread (inside a
// setImmediate, see node_modules/onnxruntime-node/dist/backend.js). If the
// worker is terminated while one of them runs, the binding's next N-API call
// fails, node-addon-api throws a C++ Napi::Error nobody catches, and
// std::terminate aborts the whole process (exit 134) — in VS Code, the
// extension host with every extension in it. Terminating a worker that merely
// holds sessions was seen to abort too (finalisers during teardown, under
// load). So the only safe way out is from inside, at a point the worker
// chooses: no native call running, no session alive.
//
// How: a guard wraps onnxruntime-node's InferenceSession (create, run,
// release — the class is shared by every core module in this worker) and
// counts the calls in flight and the sessions alive. On `workerShutdown`:
//   1. the guard refuses every new create/run (they reject with
//      WorkerStoppingError): each job stops at its next onnxruntime call, which
//      is also the cooperative cancellation point of jobs without a signal;
//   2. the worker's own `stop` hook cancels its job and awaits it (the job's
//      own finally blocks release its sessions);
//   3. the guard waits for the call in flight, then releases any session the
//      job's code left alive;
//   4. the worker posts `workerStopped` (0 in flight, 0 alive — from here on it
//      never touches onnxruntime again), closes its port and lets its event
//      loop drain; if some other handle keeps the loop alive, it exits with
//      process.exit() after `drainMs`, at this safe point.

import type { MessagePort } from 'worker_threads';
import type * as ort from 'onnxruntime-node';
import type { WorkerShutdownMessage, WorkerStoppedMessage } from '../protocol/workerControl';

/** The rejection of an onnxruntime call made after the worker was asked to stop. */
export class WorkerStoppingError extends Error {
  constructor() {
    super('onnxruntime call refused: the worker is shutting down');
    this.name = 'WorkerStoppingError';
  }
}

type Session = ort.InferenceSession;

/** Counts of onnxruntime activity in this worker (one guard per worker: each worker has its own module registry). */
export class OrtGuard {
  inFlight = 0;
  readonly live = new Set<Session>();
  refusing = false;
  private readonly released = new WeakSet<Session>();
  private idleWaiters: (() => void)[] = [];

  /** `cls` is onnxruntime-node's InferenceSession class (typed as a factory by onnxruntime-common). */
  constructor(cls: typeof ort.InferenceSession) {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the patched methods below need both their own `this` (the session or class) and the guard
    const guard = this;
    const statics = cls as unknown as { create: (...args: unknown[]) => Promise<Session> };
    const proto = (cls as unknown as { prototype: unknown }).prototype as {
      run: (...args: unknown[]) => Promise<unknown>;
      release: () => Promise<void>;
    };
    const create = statics.create;
    const run = proto.run;
    const release = proto.release;
    statics.create = async function (this: unknown, ...args: unknown[]): Promise<Session> {
      if (guard.refusing) throw new WorkerStoppingError();
      guard.inFlight++;
      try {
        const s = await create.apply(this, args);
        guard.live.add(s); // also when refusing began meanwhile: released by the shutdown
        return s;
      } finally {
        guard.done();
      }
    };
    proto.run = function (this: Session, ...args: unknown[]): Promise<unknown> {
      if (guard.refusing) return Promise.reject(new WorkerStoppingError());
      guard.inFlight++;
      return run.apply(this, args).finally(() => guard.done());
    };
    proto.release = async function (this: Session): Promise<void> {
      if (guard.released.has(this)) return; // twice would reach the native dispose twice
      guard.released.add(this);
      guard.live.delete(this);
      await release.apply(this);
    };
  }

  /** Resolves when no create/run is pending. */
  whenIdle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Releases the sessions still alive; returns how many. */
  async releaseAll(): Promise<number> {
    const all = [...this.live];
    for (const s of all) {
      try {
        await s.release();
      } catch {
        // Already unusable: nothing left to free.
      }
    }
    return all.length;
  }

  private done(): void {
    this.inFlight--;
    if (this.inFlight === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }
}

let guard: OrtGuard | undefined;

/** The guard of this worker, installed on first use (call it before any session is made). */
export function ortGuard(): OrtGuard {
  // Required here, not imported, so that loading this module does not load the native binding.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- synchronous and lazy: an import would load the binding with this module
  guard ??= new OrtGuard((require('onnxruntime-node') as typeof ort).InferenceSession);
  return guard;
}

export interface ShutdownOptions {
  /** Cancels the worker's job and resolves when it has ended; onnxruntime calls are already refused. */
  stop?: () => Promise<void> | void;
  /** ms after closing the port before the worker exits explicitly if its event loop is still alive. */
  drainMs?: number;
}

export interface WorkerShutdown {
  readonly stopping: boolean;
  /** Stops this worker from inside (as on `workerShutdown`); the same promise on every call. */
  shutdown(exitCode?: number): Promise<void>;
}

/** Installs the onnxruntime guard and answers `workerShutdown` on `port` (the worker's parentPort). */
export function serveShutdown(port: MessagePort, options: ShutdownOptions = {}): WorkerShutdown {
  const g = ortGuard();
  let stopping: Promise<void> | undefined;
  const shutdown = (exitCode = 0): Promise<void> => {
    stopping ??= (async () => {
      g.refusing = true;
      try {
        await options.stop?.();
      } catch {
        // The job ended with an error while stopping: nothing to report to a host that asked it to stop.
      }
      await g.whenIdle();
      const releasedLeftovers = await g.releaseAll();
      const stopped: WorkerStoppedMessage = {
        kind: 'workerStopped',
        ortInFlight: g.inFlight,
        ortSessions: g.live.size,
        releasedLeftovers,
      };
      port.postMessage(stopped);
      // Closed on the next turn so the message above is delivered first.
      setImmediate(() => {
        port.close();
        if (exitCode !== 0) process.exit(exitCode);
        setTimeout(() => process.exit(0), options.drainMs ?? 2000).unref();
      });
    })();
    return stopping;
  };
  port.on('message', (m: WorkerShutdownMessage) => {
    if (m?.kind === 'workerShutdown') void shutdown(Number.isInteger(m.exitCode) ? m.exitCode : 0);
  });
  return {
    get stopping() {
      return stopping !== undefined;
    },
    shutdown,
  };
}
