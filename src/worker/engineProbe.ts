// Proves that onnxruntime-node loads and computes in this process: requires it
// (which loads the native binding from node_modules/onnxruntime-node/bin/...),
// builds a one-node ONNX graph, runs it and checks the answer. Plain Node, no
// `vscode`; the extension runs it in a worker thread (engineInfoWorker.ts),
// the CLI's `info` command and the unit tests can call it directly.

import { createRequire } from 'module';
import { GraphBuilder } from '../core/onnx/graphBuilder';

export interface EngineInfo {
  /** onnxruntime-node package version, e.g. "1.30.0". */
  ortVersion: string;
  /** Absolute path of the onnxruntime-node package that was loaded. */
  ortPath: string;
  /** Node.js version running the probe. */
  nodeVersion: string;
  /** process.platform-process.arch, e.g. "linux-x64". */
  platform: string;
  /** Milliseconds to require onnxruntime-node, create the session and run it once. */
  elapsedMs: number;
}

export async function probeEngine(): Promise<EngineInfo> {
  const t0 = performance.now();
  // Loaded lazily so that importing this module costs nothing.
  const ort = await import('onnxruntime-node');
  // Node's own resolver (not webpack's): the package that the require above loaded.
  const ortPath = createRequire(__filename)
    .resolve('onnxruntime-node/package.json')
    .replace(/[\\/]package\.json$/, '');

  // y = x + x on a (3) float vector.
  const g = new GraphBuilder('probe');
  const x = g.input('x', 'float', [3]);
  g.output(g.op('Add', [x, x], {}, 'y'), 'float', [3]);
  const session = await ort.InferenceSession.create(g.toBytes(), { intraOpNumThreads: 1 });
  try {
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from([1, 2, -3.5]), [3]) });
    const y = Array.from(out.y.data as Float32Array);
    if (y.join(',') !== '2,4,-7') {
      throw new Error(`onnxruntime-node computed x + x = [${y.join(', ')}] for x = [1, 2, -3.5]`);
    }
  } finally {
    await session.release();
  }
  const ortVersion = ort.env.versions.node;
  if (!ortVersion) throw new Error(`onnxruntime-node at ${ortPath} reports no version`);
  return {
    ortVersion,
    ortPath,
    nodeVersion: process.versions.node,
    platform: `${process.platform}-${process.arch}`,
    elapsedMs: performance.now() - t0,
  };
}
