// The engine against PyTorch: fixtures exported with torch.onnx.export plus
// the activations PyTorch computed (test/fixtures/torch/make_torch_fixtures.py).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { readModelFile } from '../../../../src/core/model/modelFile';
import { signalsOf } from '../../../../src/core/model/types';
import type { RecurrentKind } from '../../../../src/core/model/types';
import { DocumentAnalysis } from '../../../../src/core/inference/documentAnalysis';
import { layerWindow } from '../../../../src/core/inference/windowQueries';
import { checkTensor } from '../../../helpers/tensorCheck';

const DIR = path.resolve(__dirname, '../../../../../test/fixtures/torch');

interface Expected {
  text: string;
  ids: number[];
  layers: ({ kind: RecurrentKind; hidden_size: number } & Record<string, number[][]>)[];
  logits: number[][];
}

const fixtures = fs.existsSync(DIR) ? fs.readdirSync(DIR).filter((f) => f.endsWith('.expected.json')) : [];

describe('engine vs PyTorch fixtures', () => {
  it('has fixtures to check', () => assert.ok(fixtures.length > 0, `no *.expected.json in ${DIR}`));
  for (const file of fixtures) {
    it(file.replace('.expected.json', ''), async () => {
      const exp = JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8')) as Expected;
      const model = await readModelFile(path.join(DIR, file.replace('.expected.json', '.onnx')));
      const doc = new DocumentAnalysis(model, { checkpointEvery: 16 });
      doc.setSelection({ cells: [{ layer: model.layers.length - 1, cell: 0, signals: ['h'] }], surprisal: true });
      doc.setText(exp.text, 1);
      await doc.idle();
      assert.deepStrictEqual(Array.from(doc.ids), exp.ids, 'ids');
      const T = doc.ids.length;
      for (let l = 0; l < model.layers.length; l++) {
        const w = await layerWindow(doc, l, 0, T);
        for (const s of signalsOf(model.layers[l].kind)) {
          checkTensor(w.signals[s]!, exp.layers[l][s].flat(), 1e-4, `${file} layer ${l} ${s}`);
        }
      }
      // surprisal[t] = -log2 softmax(logits[t-1])[ids[t]] for t >= 1.
      for (let t = 1; t < T; t++) {
        const lg = exp.logits[t - 1];
        const max = Math.max(...lg);
        const lse = max + Math.log(lg.reduce((a, v) => a + Math.exp(v - max), 0));
        const bits = -(lg[exp.ids[t]] - lse) / Math.LN2;
        assert.ok(
          Math.abs(doc.store.surprisal![t] - bits) < 1e-4,
          `${file} surprisal at ${t}: ${doc.store.surprisal![t]} vs ${bits}`,
        );
      }
      await doc.dispose();
    });
  }
});
