// Shared pieces of the inference benchmarks: a code-like text, random LSTM
// models, and the reference (bare onnxruntime LSTM op stack, state carried
// across chunks, h only).

import * as fs from 'fs';
import * as path from 'path';
import * as ort from 'onnxruntime-node';
import { GraphBuilder, attr } from '../src/core/onnx/graphBuilder';
import { randomCharModel } from '../src/core/model/randomModel';
import type { CharModel } from '../src/core/model/types';
import { filesUnder } from './benchFiles';

export function benchText(chars: number): string {
  const files = filesUnder(path.resolve(__dirname, '../../src'), /\.ts$/);
  const corpus = files.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
  let s = '';
  while (s.length < chars) s += corpus;
  return s.slice(0, chars);
}

export function makeBenchModel(H: number, L: number): CharModel {
  const chars = ['\n', '\t', ...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)), '\uFFFD'];
  return randomCharModel({
    vocab: { chars, unknownId: chars.length - 1 },
    embeddingDim: 64,
    layers: Array.from({ length: L }, () => ({ kind: 'lstm' as const, hiddenSize: H })),
    seed: 1,
  });
}

/**
 * The reference: Gather + the LSTM op(s), state carried across chunks, top
 * layer's Y out. `spinning`: the urgent lane's settings (threads spin while a
 * run lasts, parked when it returns).
 */
export async function bareRunner(
  model: CharModel,
  threads: number,
  spinning = false,
): Promise<(ids: Int32Array, chunk: number) => Promise<void>> {
  const g = new GraphBuilder('bare');
  const V = model.vocab.chars.length;
  const E = model.input.kind === 'embedding' ? model.input.dim : V;
  let x = g.op('Gather', [
    g.initializer('E', (model.input as { table: Float32Array }).table, [V, E]),
    g.input('ids', 'int32', ['T']),
  ]);
  x = g.op('Unsqueeze', [x, g.constInt64([1])]);
  model.layers.forEach((l, k) => {
    const H = l.hiddenSize;
    const [y] = g.node(
      'LSTM',
      [
        x,
        g.initializer(`W${k}`, l.W, [1, 4 * H, l.inputSize]),
        g.initializer(`R${k}`, l.R, [1, 4 * H, H]),
        g.initializer(`B${k}`, l.B, [1, 8 * H]),
        '',
        g.input(`h${k}`, 'float', [1, 1, H]),
        g.input(`c${k}`, 'float', [1, 1, H]),
      ],
      [g.fresh('Y'), `hT${k}`, `cT${k}`],
      { hidden_size: attr.int(H) },
    );
    g.output(`hT${k}`, 'float', [1, 1, H]);
    g.output(`cT${k}`, 'float', [1, 1, H]);
    x = g.op('Reshape', [y, g.constInt64([-1, 1, H])]);
  });
  g.output(g.op('Identity', [x], {}, 'Y'), 'float', ['T', 1, model.layers[model.layers.length - 1].hiddenSize]);
  // Same session settings as ModelRunner, so the ratio compares graphs, not settings.
  const sess = await ort.InferenceSession.create(g.toBytes(), {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    extra: {
      session: {
        intra_op: { allow_spinning: spinning ? '1' : '0' },
        ...(spinning ? { force_spinning_stop: '1' } : {}),
      },
    },
  });
  return async (ids, chunk) => {
    let state = model.layers.map((l) => [new Float32Array(l.hiddenSize), new Float32Array(l.hiddenSize)]);
    for (let a = 0; a < ids.length; a += chunk) {
      const part = ids.subarray(a, Math.min(ids.length, a + chunk));
      const feeds: Record<string, ort.Tensor> = { ids: new ort.Tensor('int32', part, [part.length]) };
      model.layers.forEach((l, k) => {
        feeds[`h${k}`] = new ort.Tensor('float32', state[k][0], [1, 1, l.hiddenSize]);
        feeds[`c${k}`] = new ort.Tensor('float32', state[k][1], [1, 1, l.hiddenSize]);
      });
      const out = await sess.run(feeds);
      state = model.layers.map((_, k) => [
        out[`hT${k}`].data as Float32Array<ArrayBuffer>,
        out[`cT${k}`].data as Float32Array<ArrayBuffer>,
      ]);
    }
  };
}

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
export const pct = (xs: number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
