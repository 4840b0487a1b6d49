import * as assert from 'assert';
import * as ort from 'onnxruntime-node';
import { GraphBuilder, attr } from '../../../../src/core/onnx/graphBuilder';

describe('GraphBuilder', () => {
  it('builds a graph that onnxruntime runs with the expected values', async () => {
    // y = relu(x W + b) with x (2,3), W (3,2): checks initializers, attributes and names.
    const g = new GraphBuilder('t');
    const x = g.input('x', 'float', ['N', 3]);
    const w = g.initializer('W', Float32Array.from([1, -1, 2, 0, 0, 3]), [3, 2]);
    const b = g.constFloat([0.5, -10]);
    const mm = g.op('MatMul', [x, w]);
    const add = g.op('Add', [mm, b]);
    const y = g.op('LeakyRelu', [add], { alpha: attr.float(0.25) }, 'y');
    g.output(y, 'float', ['N', 2]);
    const session = await ort.InferenceSession.create(g.toBytes());
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from([1, 1, 1, 2, 0, 1]), [2, 3]) });
    const got = Array.from(out.y.data as Float32Array);
    // row0: [1+2+0, -1+0+3] + b = [3.5, -8] -> [3.5, -2]; row1: [2+0, -2+3] + b = [2.5, -9] -> [2.5, -2.25]
    assert.deepStrictEqual(got, [3.5, -2, 2.5, -2.25]);
  });

  it('rejects a tensor whose data does not fill its shape', () => {
    const g = new GraphBuilder('t');
    assert.throws(() => g.initializer('W', new Float32Array(5), [2, 3]), /do not fill shape/);
  });
});
