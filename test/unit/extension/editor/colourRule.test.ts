import * as assert from 'assert';
import { thresholdBucketOf } from '../../../../src/extension/editor/colourMap';
import { drawRuleOf, legendMarkdown, manifestColours } from '../../../../src/extension/editor/colourRule';
import type { CellLabelInfo } from '../../../../src/extension/lens/lensState';
import { readPackageManifest } from '../../../helpers/packageManifest';

const detector: CellLabelInfo = {
  layer: 0,
  cell: 19,
  signal: 'c',
  text: 'quote detector (r = 0.50, φ = 0.74, F1 = 0.76)',
  score: 0.74,
  feature: 'inString',
  threshold: 0.3,
  above: true,
};

describe('colour rule and legend', () => {
  it('draws a detector by its threshold: off plain, on deeper the further past it', () => {
    // c is drawn through tanh: tanh(0.3) = 0.29 is the edge; room above it 0.71.
    assert.strictEqual(thresholdBucketOf('c', 0.29, 0.3, true), '');
    assert.strictEqual(thresholdBucketOf('c', -3, 0.3, true), '', 'far below: off, not blue');
    assert.strictEqual(thresholdBucketOf('c', 0.35, 0.3, true), 'pos1');
    assert.strictEqual(thresholdBucketOf('c', 5, 0.3, true), 'pos4');
    assert.strictEqual(thresholdBucketOf('c', -1.2, -0.5, false), 'pos3', 'below a threshold when above is false');
    assert.strictEqual(thresholdBucketOf('c', 0, -0.5, false), '');
    assert.strictEqual(thresholdBucketOf('h', Number.NaN, 0.3, true), '');
  });

  it('uses the threshold only for the labelled signal, in activation mode, with style auto', () => {
    assert.strictEqual(drawRuleOf('activation', 'c', detector, 'auto').kind, 'threshold');
    assert.strictEqual(drawRuleOf('activation', 'h', detector, 'auto').kind, 'diverging', 'the label is of c');
    assert.strictEqual(drawRuleOf('activation', 'c', detector, 'diverging').kind, 'diverging');
    assert.strictEqual(drawRuleOf('surprisal', 'c', detector, 'auto').kind, 'surprisal');
    const continuous = { ...detector, threshold: undefined, above: undefined };
    assert.strictEqual(drawRuleOf('activation', 'c', continuous, 'auto').kind, 'diverging');
    assert.strictEqual(drawRuleOf('activation', 'c', undefined, 'auto').kind, 'diverging');
    const r = drawRuleOf('activation', 'c', detector, 'auto');
    assert.ok(typeof r.rule === 'function');
    assert.strictEqual(r.rule(5), 'pos4');
    assert.strictEqual(r.rule(-5), '');
  });

  it('says what the colours mean, with swatches in the theme’s colours', () => {
    const m = readPackageManifest() as unknown as { contributes: { colors: unknown } };
    const dark = manifestColours(m.contributes.colors, 'dark');
    assert.match(dark.pos4, /^#[0-9a-f]{8}$/);
    assert.strictEqual(Object.keys(dark).length, 12);
    const hcLight = manifestColours(m.contributes.colors, 'highContrastLight');
    assert.strictEqual(Object.keys(hcLight).length, 12);

    const t = legendMarkdown(drawRuleOf('activation', 'c', detector, 'auto'), dark);
    assert.match(t, /on, c > 0\.30 .*no colour: off — drawn as a detector \(quote detector\)/);
    assert.strictEqual((t.match(/<span style="background-color:#[0-9a-f]{8};">/g) ?? []).length, 4);
    assert.match(
      legendMarkdown(drawRuleOf('activation', 'c', undefined, 'auto'), dark),
      /negative .* positive \(c through tanh\)/,
    );
    assert.match(legendMarkdown(drawRuleOf('activation', 'f', undefined, 'auto'), dark), /\(f around 0\.5\)/);
    assert.match(legendMarkdown(drawRuleOf('surprisal', 'c', undefined, 'auto'), dark), /surprisal 0 → 8\+ bits/);
    assert.doesNotMatch(
      legendMarkdown(drawRuleOf('activation', 'c', undefined, 'auto'), { pos4: 'red;x' }),
      /span/,
      'only hex colours reach the HTML',
    );
  });

  it('tints: no default colour is more than half opaque in light and dark themes, so syntax colours stay readable', () => {
    const m = readPackageManifest() as unknown as { contributes: { colors: unknown } };
    for (const kind of ['light', 'dark'] as const) {
      for (const [id, hex] of Object.entries(manifestColours(m.contributes.colors, kind))) {
        const alpha = parseInt(hex.slice(7, 9), 16) / 255;
        assert.ok(alpha <= 128 / 255, `${kind} ${id} ${hex}: alpha ${alpha.toFixed(2)}`);
      }
    }
  });
});
