// The next-character guesses of `run` for a whole window of steps in one
// onnxruntime run: logits = Wout h + b, log-softmax, the K most likely ids
// and ln p of the character that follows. nextChar.ts does the same one step
// at a time in JS (a 256 x 100 loop and a sort per character, most of the
// old `run --json` time); here it is one MatMul per window.
//
// In double precision, as nextChar.ts: the rounded probabilities `run` prints
// (6 decimals) then come out as nextChar.ts gives them. In float a quarter of
// them changed in the last decimal; in double the largest difference found
// was 4e-15. Ties keep the lower id first (ONNX TopK's rule, and topK's).
//
// Graph (n = steps of a window, K = min(k, V)):
//   h        float  (n, H)   top layer's h after each step
//   targets  int32  (n, 1)   id of the character after each step (anything for the last)
//   topLp    double (n, K)   ln p of the K most likely ids, most likely first
//   topIds   int32  (n, K)
//   nextLp   double (n, 1)   ln p(targets)
// Without guesses (K = 0) there is no TopK and no topLp / topIds.

import * as ort from 'onnxruntime-node';
import { onnx } from 'onnx-proto';
import { GraphBuilder, attr } from '../core/onnx/graphBuilder';
import { transposeRows } from '../core/inference/passGraph';
import type { CharModel } from '../core/model/types';

export interface NextChars {
  /** (n, K) most likely ids per step, most likely first. */
  topIds: Int32Array;
  /** (n, K) their ln p. */
  topLp: Float64Array;
  /** (n) ln p of the character that follows each step. */
  nextLp: Float64Array;
}

const DOUBLE = onnx.TensorProto.DataType.DOUBLE;

function buildGraph(model: CharModel, K: number): Uint8Array {
  const V = model.output.b.length;
  const H = model.layers[model.layers.length - 1].hiddenSize;
  const g = new GraphBuilder('lstm_lens_next_chars');
  const toDouble = (x: string): string => g.op('Cast', [x], { to: attr.int(DOUBLE) });
  const h = g.input('h', 'float', ['T', H]); // (n, H)
  const targets = g.input('targets', 'int32', ['T', 1]); // (n, 1)
  const WoutTrans = g.initializer('WoutT', transposeRows(model.output.W, 0, V, H), [H, V]); // (H, V)
  const logits = g.op('Add', [
    g.op('MatMul', [toDouble(h), toDouble(WoutTrans)]),
    toDouble(g.initializer('bout', model.output.b, [V])),
  ]); // (n, V) double
  const lp = g.op('LogSoftmax', [logits], { axis: attr.int(1) }); // (n, V)
  if (K > 0) {
    const [, ids] = g.node('TopK', [lp, g.constInt64([K])], ['topLp', g.fresh('ids')], { axis: attr.int(1) });
    g.op('Cast', [ids], { to: attr.int(onnx.TensorProto.DataType.INT32) }, 'topIds'); // int64 -> int32
    g.output('topLp', 'float', ['T', K]);
    g.output('topIds', 'int32', ['T', K]);
  }
  g.op('GatherElements', [lp, targets], { axis: attr.int(1) }, 'nextLp');
  g.output('nextLp', 'float', ['T', 1]);
  // GraphBuilder declares float, int32 and int64 values; these two are double.
  const proto = g.toModelProto();
  for (const out of proto.graph!.output!) if (out.name !== 'topIds') out.type!.tensorType!.elemType = DOUBLE;
  return onnx.ModelProto.encode(onnx.ModelProto.create(proto)).finish();
}

export class NextCharBatch {
  private constructor(
    private readonly session: ort.InferenceSession,
    /** Guesses per step: min(k, V). */
    readonly K: number,
    private readonly H: number,
  ) {}

  /** One session for k guesses per step (one intra-op thread that does not spin, as the runner's background lane). */
  static async create(model: CharModel, k: number): Promise<NextCharBatch> {
    const K = Math.min(k, model.output.b.length);
    const session = await ort.InferenceSession.create(buildGraph(model, K), {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    });
    return new NextCharBatch(session, K, model.layers[model.layers.length - 1].hiddenSize);
  }

  /** Guesses after each of n steps: h (n, H), targets (n) the id that follows each. */
  async run(h: Float32Array, targets: Int32Array): Promise<NextChars> {
    const n = targets.length;
    const out = await this.session.run({
      h: new ort.Tensor('float32', h, [n, this.H]),
      targets: new ort.Tensor('int32', targets, [n, 1]),
    });
    return {
      topIds: this.K > 0 ? (out.topIds.data as Int32Array) : new Int32Array(0),
      topLp: this.K > 0 ? (out.topLp.data as Float64Array) : new Float64Array(0),
      nextLp: out.nextLp.data as Float64Array,
    };
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
