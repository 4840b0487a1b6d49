import * as assert from 'assert';
import { onnx } from 'onnx-proto';
import { GraphBuilder, attr } from '../../../../src/core/onnx/graphBuilder';
import { GraphIndex } from '../../../../src/core/onnx/graphIndex';
import { readTensor } from '../../../../src/core/onnx/tensorRead';
import { ModelFormatError } from '../../../../src/core/model/types';

const DT = onnx.TensorProto.DataType;

describe('tensorRead', () => {
  it('reads raw_data at an unaligned offset inside a decoded Buffer', () => {
    const g = new GraphBuilder('t');
    g.initializer('a', Float32Array.of(1.5, -2, 3.25), [3]);
    g.initializer('b', BigInt64Array.of(7n, -1n), [2]);
    g.op('Identity', ['a'], {}, 'y');
    g.output('y', 'float', [3]);
    // One extra leading byte in a Node Buffer makes every raw_data field move by one.
    const bytes = Buffer.concat([Buffer.of(0), Buffer.from(g.toBytes())]).subarray(1);
    const inits = onnx.ModelProto.decode(bytes).graph!.initializer!;
    assert.deepStrictEqual(Array.from(readTensor(inits[0]).data), [1.5, -2, 3.25]);
    assert.deepStrictEqual(Array.from(readTensor(inits[1]).data), [7, -1]);
  });

  it('reads the typed *_data fields and checks counts', () => {
    assert.deepStrictEqual(
      Array.from(readTensor({ name: 'f', dims: [2], dataType: DT.FLOAT, floatData: [0.5, 2] }).data),
      [0.5, 2],
    );
    assert.deepStrictEqual(
      Array.from(readTensor({ name: 'd', dims: [1], dataType: DT.DOUBLE, doubleData: [0.1] }).data),
      [0.1],
    );
    assert.deepStrictEqual(
      Array.from(readTensor({ name: 'i', dims: [2], dataType: DT.INT64, int64Data: [3, -4] }).data),
      [3, -4],
    );
    assert.throws(
      () => readTensor({ name: 'short', dims: [3], dataType: DT.FLOAT, floatData: [1] }),
      /short: 1 values do not fill shape \[3\]/,
    );
    assert.throws(() => readTensor({ name: 's', dims: [1], dataType: DT.STRING }), /unsupported element type STRING/);
    assert.throws(
      () =>
        readTensor({
          name: 'ext',
          dims: [1],
          dataType: DT.FLOAT,
          dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
        }),
      (e: Error) => e instanceof ModelFormatError && /external data/.test(e.message),
    );
  });
});

describe('GraphIndex constant evaluation (exporter weight plumbing)', () => {
  it('evaluates Slice, Concat, Transpose, Unsqueeze, Squeeze, Gather, Split, Reshape like numpy', () => {
    const g = new GraphBuilder('t');
    const w = g.initializer(
      'w',
      Float32Array.from({ length: 12 }, (_, k) => k),
      [4, 3],
    ); // rows 0..3
    // Swap the two row halves (a gate reorder): Slice + Concat.
    const top = g.op('Slice', [w, g.constInt64([0]), g.constInt64([2]), g.constInt64([0])]);
    const bottom = g.op('Slice', [
      w,
      g.constInt64([2]),
      g.initializer('int64max', BigInt64Array.of(9223372036854775807n), [1]),
      g.constInt64([0]),
    ]);
    g.op('Concat', [bottom, top], { axis: attr.int(0) }, 'swapped');
    g.op('Transpose', [w], { perm: attr.ints([1, 0]) }, 'wt');
    const u = g.op('Unsqueeze', [w, g.constInt64([0])], {}, 'u');
    g.op('Squeeze', [u, g.constInt64([0])], {}, 'sq');
    g.op('Gather', [w, g.constInt64([3, 1])], { axis: attr.int(0) }, 'rows');
    g.node('Split', [w, g.constInt64([1, 2])], ['s0', 's1'], { axis: attr.int(1) });
    g.op('Reshape', [w, g.constInt64([2, -1])], {}, 'r');
    g.op('Shape', ['x'], {}, 'dyn');
    g.input('x', 'float', ['N']);
    const proto = onnx.ModelProto.decode(g.toBytes());
    const ix = new GraphIndex(proto.graph!, 17);
    const vals = (n: string): number[] => Array.from(ix.constant(n).data);
    assert.deepStrictEqual(vals('swapped'), [6, 7, 8, 9, 10, 11, 0, 1, 2, 3, 4, 5]);
    assert.deepStrictEqual(vals('wt'), [0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11]);
    assert.deepStrictEqual(ix.constant('u').dims, [1, 4, 3]);
    assert.deepStrictEqual(ix.constant('sq').dims, [4, 3]);
    assert.deepStrictEqual(vals('rows'), [9, 10, 11, 3, 4, 5]);
    assert.deepStrictEqual(vals('s1'), [1, 2, 4, 5, 7, 8, 10, 11]);
    assert.deepStrictEqual(ix.constant('r').dims, [2, 6]);
    assert.strictEqual(ix.isConstant('dyn'), false);
    assert.throws(() => ix.constant('dyn'), /Shape .* not supported in weight plumbing|graph input/);
  });
});
