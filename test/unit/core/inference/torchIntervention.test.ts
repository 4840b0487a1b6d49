// Interventions and saliency against PyTorch on exported 2-layer models
// (test/fixtures/torch/make_intervention_fixtures.py): clamped surprisal
// within 1e-3 bits at every character, saliency within 1e-3 of autograd.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { readModelFile } from '../../../../src/core/model/modelFile';
import { DocumentAnalysis } from '../../../../src/core/inference/documentAnalysis';
import { InterventionPlan, resolveInterventions } from '../../../../src/core/inference/intervention';
import type { CellIntervention } from '../../../../src/core/inference/intervention';
import { meansForInterventions } from '../../../../src/core/inference/unitMeans';
import { SaliencyEngine } from '../../../../src/core/inference/saliency';

const DIR = path.resolve(__dirname, '../../../../../test/fixtures/torch');

interface Fixture {
  model: string;
  text: string;
  ids: number[];
  plain_surprisal_bits: number[];
  interventions: { intervention: CellIntervention; surprisal_bits: number[] }[];
  saliency: { at: number; target: number; saliency: number[]; gh: number[][]; gc: number[][] | null }[];
}

async function surprisal(model: Awaited<ReturnType<typeof readModelFile>>, text: string, plan?: InterventionPlan) {
  const doc = new DocumentAnalysis(model, { checkpointEvery: 32, intervention: plan });
  doc.setSelection({ cells: [], surprisal: true });
  doc.setText(text, 1);
  await doc.idle();
  const s = doc.store.surprisal!.slice(1); // bits of characters 1..T-1
  await doc.dispose();
  return s;
}

function within(got: ArrayLike<number>, want: number[], tol: (w: number) => number, label: string): void {
  assert.strictEqual(got.length, want.length, `${label}: length`);
  for (let k = 0; k < want.length; k++)
    assert.ok(Math.abs(got[k] - want[k]) <= tol(want[k]), `${label} at ${k}: ${got[k]} vs PyTorch ${want[k]}`);
}

for (const name of ['lstm2_intervene', 'gru2_intervene', 'rnn2_intervene']) {
  describe(`interventions vs PyTorch: ${name}`, () => {
    const fx = JSON.parse(fs.readFileSync(path.join(DIR, `${name}.intervene.json`), 'utf8')) as Fixture;
    it('reads the text as PyTorch did, and the plain surprisal matches', async () => {
      const model = await readModelFile(path.join(DIR, fx.model));
      within(await surprisal(model, fx.text), fx.plain_surprisal_bits, () => 1e-3, 'plain');
    });
    for (const c of fx.interventions) {
      it(`${c.intervention.mode} of L${c.intervention.layer} unit ${c.intervention.unit}: surprisal within 1e-3 bits`, async () => {
        const model = await readModelFile(path.join(DIR, fx.model));
        const means = await meansForInterventions(model, fx.text, [c.intervention]);
        const plan = new InterventionPlan(model, resolveInterventions(model, [c.intervention], means));
        const got = await surprisal(model, fx.text, plan);
        within(got, c.surprisal_bits, () => 1e-3, 'clamped');
        const moved = c.surprisal_bits.some((b, k) => Math.abs(b - fx.plain_surprisal_bits[k]) > 0.01);
        assert.ok(moved, 'the fixture intervention changes the surprisal');
      });
    }
    it('saliency, h and c gradient norms within 1e-3 relative of autograd', async () => {
      const model = await readModelFile(path.join(DIR, fx.model));
      const doc = new DocumentAnalysis(model, { checkpointEvery: 32 });
      doc.setText(fx.text, 1);
      await doc.idle();
      const engine = new SaliencyEngine(model, 50); // chains three windows back to the start
      for (const s of fx.saliency) {
        const res = await engine.explain(doc.ids, s.at, (k) => doc.stateAt(k), { full: true });
        assert.strictEqual(res.target, s.target);
        const tol = (w: number): number => 1e-3 * Math.abs(w) + 1e-7;
        within(res.saliency, s.saliency, tol, `saliency at ${s.at}`);
        res.layers.forEach((layer, l) => {
          within(layer.h, s.gh[l], tol, `h gradient, layer ${l}, at ${s.at}`);
          if (s.gc) within(layer.c!, s.gc[l], tol, `c gradient, layer ${l}, at ${s.at}`);
        });
      }
      await engine.dispose();
      await doc.dispose();
    });
  });
}
