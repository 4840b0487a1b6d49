// Our training graph against PyTorch's float64 autograd on the same weights,
// batch and carried state (fixture: test/fixtures/training/makeTorchGrads.py).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { GraphSession } from '../../../../src/core/training/graphSession';
import { ParamLayout } from '../../../../src/core/training/modelParams';
import type { ModelShape } from '../../../../src/core/training/modelParams';

interface TorchCase {
  shape: ModelShape;
  T: number;
  B: number;
  x: number[];
  y: number[];
  h0: number[][];
  c0: number[][];
  params: Record<string, number[]>;
  loss: number;
  grads: Record<string, number[]>;
}

const FIXTURE = path.join(__dirname, '../../../../../test/fixtures/training/torchGrads.json');

/** Error relative to max |want| (at least 1e-3) per element; fails with the label, index and both values. */
function checkScaled(got: ArrayLike<number>, want: ArrayLike<number>, tol: number, label: string): void {
  assert.strictEqual(got.length, want.length, `${label}: length ${got.length} vs ${want.length}`);
  let scale = 1e-3;
  for (let j = 0; j < want.length; j++) scale = Math.max(scale, Math.abs(want[j]));
  for (let j = 0; j < want.length; j++) {
    const err = Math.abs(got[j] - want[j]) / scale;
    assert.ok(
      err <= tol,
      `${label}[${j}]: ours ${got[j]} vs PyTorch ${want[j]} (error ${err.toExponential(2)} of max |value| ${scale.toExponential(2)})`,
    );
  }
}

describe('training graph vs PyTorch autograd', () => {
  const fixture = JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as { cases: TorchCase[] };
  for (const c of fixture.cases) {
    it(`${c.shape.kind}, ${c.shape.layers} layers: same loss and gradients`, async () => {
      const layout = new ParamLayout(c.shape);
      const params = new Float32Array(layout.total);
      for (const s of layout.specs) layout.view(params, s.name).set(c.params[s.name]);
      const session = await GraphSession.create(c.shape, c.T, c.B, 'train', params, { threads: 1 });
      c.h0.forEach((h, k) => session.h[k].set(h));
      c.c0.forEach((v, k) => session.c[k].set(v));
      const r = await session.run(Int32Array.from(c.x), Int32Array.from(c.y));
      await session.release();
      assert.ok(Math.abs(r.loss - c.loss) < 1e-5 * c.loss, `loss ${r.loss} vs PyTorch ${c.loss}`);
      for (const s of layout.specs) checkScaled(layout.view(r.grads!, s.name), c.grads[s.name], 2e-5, `d ${s.name}`);
    });
  }
});
