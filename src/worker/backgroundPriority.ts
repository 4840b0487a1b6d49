// Long background jobs (training, discovery) yield the CPU to the extension
// host and to the editor's analysis worker: on Linux a nice value belongs to
// one thread, so os.setPriority(0, …) from inside a worker lowers only that
// worker's thread, and threads it starts later (onnxruntime's pools) inherit
// it. Elsewhere the call would lower the whole process, extension host
// included, so it is not made.

import * as os from 'os';

/** Nice value of a background worker thread: below normal, not idle-only. */
export const BACKGROUND_NICE = 10;

/**
 * Lowers the calling worker thread's priority on Linux; returns the nice
 * value it now runs at, or undefined where threads are left as they are.
 */
export function lowerThreadPriority(platform: NodeJS.Platform = process.platform): number | undefined {
  if (platform !== 'linux') return undefined;
  try {
    os.setPriority(0, BACKGROUND_NICE);
    return os.getPriority(0);
  } catch {
    return undefined; // a sandbox that forbids setpriority: run at normal priority
  }
}
