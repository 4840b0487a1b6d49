import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { saturationGates } from '../../../../src/core/analysis/saturation';
import { textSaturation } from '../../../../src/core/analysis/textSaturation';
import { writeModelFile } from '../../../../src/core/model/modelFile';
import { referenceForward } from '../../../../src/core/model/referenceForward';
import { Vocabulary } from '../../../../src/core/model/vocab';
import { runSaturationWorker, toSaturationData } from '../../../../src/extension/workers/saturationRunner';
import { randomModel, randomText } from '../../../helpers/randomModel';
import { compiledWorker } from '../../../helpers/compiledWorker';

const WORKER = compiledWorker('saturationWorker');

describe('text saturation (panel saturation view)', function () {
  this.timeout(30000);
  // scale 2 saturates many gates, so the counts are far from 0 and 1.
  const model = randomModel({
    layers: [
      { kind: 'lstm', hidden: 10 },
      { kind: 'gru', hidden: 6, linearBeforeReset: true },
    ],
    embedding: 6,
    seed: 9,
    scale: 2,
  });
  const text = randomText(4, 900);

  it('counts gates below 0.1 and above 0.9 per cell like a float64 reference, across chunks', async () => {
    const got = await textSaturation(model, text, { chunkSize: 128 });
    const ids = new Vocabulary(model.vocab).encode(text);
    const ref = referenceForward(model, ids);
    const T = ids.length;
    assert.strictEqual(got.chars, T);
    assert.strictEqual(got.truncated, false);
    model.layers.forEach((layer, l) => {
      const H = layer.hiddenSize;
      const gates = saturationGates(layer.kind);
      assert.deepStrictEqual(Object.keys(got.layers[l].gates), gates);
      for (const g of gates) {
        const all = (ref.layers[l] as unknown as Record<string, Float32Array>)[g];
        for (let j = 0; j < H; j++) {
          let left = 0,
            right = 0,
            near = 0;
          for (let t = 0; t < T; t++) {
            const x = all[t * H + j];
            if (x < 0.1) left++;
            else if (x > 0.9) right++;
            if (Math.abs(x - 0.1) < 1e-4 || Math.abs(x - 0.9) < 1e-4) near++; // float32 may round across the line
          }
          const slack = near / T + 1e-6;
          assert.ok(
            Math.abs(got.layers[l].gates[g].left[j] - left / T) <= slack,
            `layer ${l} ${g}[${j}] left ${got.layers[l].gates[g].left[j]} vs ${left / T}`,
          );
          assert.ok(Math.abs(got.layers[l].gates[g].right[j] - right / T) <= slack, `layer ${l} ${g}[${j}] right`);
        }
      }
    });
    const some = got.layers[0].gates.f;
    assert.ok(
      Array.from(some.left).some((x) => x > 0) && Array.from(some.right).some((x) => x > 0),
      'the test model saturates some gates',
    );
  });

  it('cuts at maxChars and rejects an empty text', async () => {
    const r = await textSaturation(model, text, { maxChars: 100 });
    assert.deepStrictEqual([r.chars, r.truncated], [100, true]);
    await assert.rejects(textSaturation(model, ''), /saturation needs a non-empty text/);
    await assert.rejects(textSaturation(model, 'abc', { chunkSize: 0 }), /chunkSize must be a positive integer, got 0/);
  });

  it('runs in the saturation worker and becomes one panel point per cell and gate', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-sat-'));
    try {
      const file = path.join(dir, 'm.onnx');
      await writeModelFile(model, file);
      const reply = await runSaturationWorker(WORKER, { modelPath: file, text });
      const direct = await textSaturation(model, text);
      assert.deepStrictEqual(
        reply.layers.map((l) => Array.from(l.gates.i?.left ?? l.gates.r.left)),
        direct.layers.map((l) => Array.from(l.gates.i?.left ?? l.gates.r.left)),
      );
      const data = toSaturationData('file:///x', 3, reply);
      assert.deepStrictEqual(
        data.layers.map((l) => l.points.length),
        [10 * 3, 6 * 2],
      );
      const p = data.layers[0].points.find((q) => q.cell === 7 && q.gate === 'o')!;
      assert.strictEqual(p.left, direct.layers[0].gates.o.left[7]);
      assert.strictEqual(p.right, direct.layers[0].gates.o.right[7]);
      await assert.rejects(
        runSaturationWorker(WORKER, { modelPath: path.join(dir, 'missing.onnx'), text }),
        /saturation: .*missing\.onnx/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
