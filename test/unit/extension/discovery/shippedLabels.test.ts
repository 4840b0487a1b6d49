import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { labelsFileOf, shippedLabels } from '../../../../src/extension/discovery/discoveryLabelRestore';
import { applyLabels } from '../../../../src/extension/discovery/discoveryLabels';
import { LensState } from '../../../../src/extension/lens/lensState';
import { REPO_ROOT } from '../../../helpers/packageManifest';

const MODELS = path.join(REPO_ROOT, 'media', 'models');

describe('labels shipped beside a model', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-labels-'));
    fs.copyFileSync(path.join(MODELS, 'default.onnx'), path.join(dir, 'm.onnx'));
    fs.copyFileSync(path.join(MODELS, 'default.labels.json'), path.join(dir, 'm.labels.json'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('sit at <model>.labels.json', () => {
    assert.strictEqual(labelsFileOf('/a/b/default.onnx'), '/a/b/default.labels.json');
    assert.strictEqual(labelsFileOf('/a/b/M.ONNX'), '/a/b/M.labels.json');
  });

  it('are used for exactly the model file they name, and not for another version of it', async () => {
    const model = path.join(dir, 'm.onnx');
    const found = await shippedLabels(model);
    assert.ok(found && found.discovery.labels.length > 0);
    const bytes = fs.readFileSync(model);
    bytes[bytes.length - 1] ^= 1;
    fs.writeFileSync(model, bytes);
    assert.strictEqual(await shippedLabels(model), undefined, 'a changed model gets no labels');
    fs.rmSync(path.join(dir, 'm.labels.json'));
    assert.strictEqual(await shippedLabels(model), undefined, 'no labels file');
    fs.writeFileSync(path.join(dir, 'm.labels.json'), '{ broken');
    await assert.rejects(shippedLabels(model), /m\.labels\.json: not JSON/);
  });

  it('open the lens on the labelled detector unless the user chose a cell', async () => {
    const found = await shippedLabels(path.join(dir, 'm.onnx'));
    assert.ok(found);
    const state = new LensState();
    state.setModel({
      id: 'bundled',
      name: 'default',
      path: path.join(dir, 'm.onnx'),
      info: {
        layers: [{ kind: 'lstm', hiddenSize: 256, inputSize: 64 }],
        vocabSize: 100,
        vocab: [],
        metadata: {},
        threads: 1,
        draft: { used: false, reason: 'turned off' },
      },
    });
    const opened = applyLabels(state, found.discovery, { open: true, keepSignal: false });
    assert.ok(opened);
    assert.deepStrictEqual(state.primary, { layer: opened.layer, cell: opened.unit });
    assert.strictEqual(state.signal, opened.signal);
    assert.strictEqual(state.labels.length, found.discovery.labels.length);
    assert.ok(state.labelOf(state.primary), 'the opening cell has a label to show');

    state.selectCell({ layer: 0, cell: 3 });
    state.setSignal('h');
    assert.strictEqual(applyLabels(state, found.discovery, { open: !state.chosen, keepSignal: false }), undefined);
    assert.deepStrictEqual([state.primary, state.signal], [{ layer: 0, cell: 3 }, 'h']);

    const keep = new LensState();
    keep.setModel(state.model);
    keep.setSignal('h');
    assert.ok(applyLabels(keep, found.discovery, { open: true, keepSignal: true }));
    assert.strictEqual(keep.signal, 'h', 'a signal the user set is kept');
  });
});
