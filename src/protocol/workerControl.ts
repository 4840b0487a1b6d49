// Control messages every worker understands, next to its own protocol
// (analysis / training / discovery / saturation / engine info). They stop a
// worker without Worker.terminate(): see src/worker/workerShutdown.ts (worker
// side) and src/worker/workerHandle.ts (host side) for why.
//
// Flow: host → { kind: 'workerShutdown' } → the worker refuses new
// onnxruntime calls, stops its job cooperatively, waits for the call in flight,
// releases every session → { kind: 'workerStopped', … } → closes its port and
// exits by itself → the host sees 'exit'.
// Plain data only (also type-checked by the webview's tsconfig: no Node types).

export interface WorkerShutdownMessage {
  kind: 'workerShutdown';
  /** Exit code once stopped (default 0). Tests use 1 to simulate a crash at a safe point. */
  exitCode?: number;
}

/** Sent once the worker is quiescent: after it, it never calls onnxruntime again. */
export interface WorkerStoppedMessage {
  kind: 'workerStopped';
  /** onnxruntime calls (create / run) still pending: always 0 when sent, stated for the host's check. */
  ortInFlight: number;
  /** Sessions still alive: always 0 when sent. */
  ortSessions: number;
  /** Sessions the worker's own code had not released and the shutdown released for it. */
  releasedLeftovers: number;
}

export type WorkerControlMessage = WorkerShutdownMessage | WorkerStoppedMessage;

/** True for a control message (each worker and starter skips these in its own protocol handler). */
export function isWorkerControl(m: unknown): m is WorkerControlMessage {
  const kind = typeof m === 'object' && m !== null ? (m as { kind?: unknown }).kind : undefined;
  return kind === 'workerShutdown' || kind === 'workerStopped';
}
