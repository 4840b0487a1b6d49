import * as assert from 'assert';
import { profileCell } from '../../../../src/core/analysis/cellProfile';
import { toPanelCellPage, utf16Column } from '../../../../src/extension/panel/cellPageView';
import { thresholdBucketOf, bucketOf } from '../../../../src/extension/editor/colourMap';
import { randomModel } from '../../../helpers/randomModel';

describe('cell page view (panel)', function () {
  this.timeout(30_000);
  const model = randomModel({ layers: [{ kind: 'lstm', hidden: 8 }], embedding: 5, seed: 2, scale: 1.5 });
  const texts = [{ name: 'a.c', text: 'f("ab", x);\n\tg(y); // z\n'.repeat(20), language: 'c' }];

  it('splits excerpts into code points with the editor’s colour of each, threshold labels drawn on/off', async () => {
    const profile = await profileCell(model, texts, { layer: 0, unit: 4, signal: 'c' }, { top: 5 });
    const diverging = toPanelCellPage(profile, { style: 'auto', sampleName: 'workspace', seconds: 1.25 });
    assert.match(diverging.summary, /^\d{3} characters of 1 workspace file in 1\.3 s$/);
    const p = diverging.top[0];
    assert.strictEqual(p.chars.join(''), profile.top[0].excerpt);
    assert.strictEqual(
      p.chars[p.at],
      Array.from(profile.top[0].excerpt)[profile.top[0].offset - profile.top[0].excerptStart],
    );
    profile.top[0].values.forEach((v, i) =>
      assert.strictEqual(p.buckets[i], p.chars[i] === '\n' ? '' : bucketOf('c', v), `char ${i}`),
    );

    const label = {
      layer: 0,
      cell: 4,
      signal: 'c',
      text: 'quote detector (r = 0.5)',
      score: 0.7,
      threshold: 0.1,
      above: true,
    };
    const detector = toPanelCellPage(profile, { label, style: 'auto', sampleName: 'workspace', seconds: 1 });
    assert.strictEqual(detector.label, 'quote detector (r = 0.5)');
    profile.top[0].values.forEach((v, i) =>
      assert.strictEqual(detector.top[0].buckets[i], p.chars[i] === '\n' ? '' : thresholdBucketOf('c', v, 0.1, true)),
    );
    assert.ok(
      detector.scores.every(
        (s, i) => i === 0 || Math.abs(s.phi ?? s.r) <= Math.abs(detector.scores[i - 1].phi ?? detector.scores[i - 1].r),
      ),
    );
  });

  it('lists the probes of the cell’s layer with its own score and its place among the probe’s weights', async () => {
    const profile = await profileCell(model, texts, { layer: 0, unit: 4, signal: 'c' }, { top: 3 });
    const probe = (
      feature: string,
      score: number,
      top: { signal: string; unit: number; weight: number }[],
      layer = 0,
    ) => ({
      feature,
      name: feature,
      kind: 'binary' as const,
      layer,
      cells: 16,
      trainRows: 100,
      testRows: 100,
      score,
      cellsForMass: 3,
      mass: 0.9,
      top,
      control: 0.5,
      selectivity: score - 0.5,
      floor: 0.2,
    });
    const page = toPanelCellPage(profile, {
      style: 'auto',
      sampleName: 'workspace',
      seconds: 1,
      probes: [
        probe('inString', 0.8, [
          { signal: 'h', unit: 1, weight: 2 },
          { signal: 'c', unit: 4, weight: -1 },
        ]),
        probe('inComment', 0.9, [{ signal: 'h', unit: 4, weight: 1 }]),
        probe('inString', 0.7, [], 1),
      ],
    });
    assert.deepStrictEqual(
      page.probes.map((p) => [p.name, p.probe, p.rank]),
      [
        ['inComment', 0.9, null],
        ['inString', 0.8, 2],
      ],
      'layer 0 only, best probe first; h[4] is not c[4]',
    );
    const own = profile.scores.find((x) => x.feature === 'inString');
    assert.strictEqual(page.probes[1].alone, own ? (own.phi ?? own.r) : null);
  });

  it('turns a code-point column into a UTF-16 index', () => {
    assert.strictEqual(utf16Column('abc', 1), 0);
    assert.strictEqual(utf16Column('abc', 3), 2);
    assert.strictEqual(utf16Column('😀x', 2), 2);
    assert.strictEqual(utf16Column('ab', 9), 2, 'past the end: the end');
  });
});
