import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { ALL_COMMANDS } from '../../../src/extension/commands';
import { allBuckets, colourId } from '../../../src/extension/editor/colourMap';
import { DEFAULTS, SETTING_KEYS } from '../../../src/extension/lens/lensSettings';
import { readPackageManifest, REPO_ROOT as ROOT } from '../../helpers/packageManifest';

const manifest = readPackageManifest();

describe('editor manifest (colours, settings, keybindings, walkthrough, trust)', () => {
  it('declares every colour bucket with light, dark and both high-contrast defaults', () => {
    const colors = manifest.contributes.colors;
    for (const b of allBuckets()) {
      const c = colors.find((x) => x.id === colourId(b));
      assert.ok(c, `contributes.colors lacks ${colourId(b)}`);
      for (const theme of ['light', 'dark', 'highContrast', 'highContrastLight']) {
        assert.match(c.defaults[theme], /^#[0-9a-f]{8}$/i, `${c.id} ${theme}`);
      }
    }
  });

  it('contributes every editor setting with the same default the code uses', () => {
    const props = manifest.contributes.configuration.properties;
    for (const [k, key] of Object.entries(SETTING_KEYS)) {
      const p = props[`lstmLens.${key}`];
      assert.ok(p, `setting lstmLens.${key}`);
      assert.deepStrictEqual(p.default, DEFAULTS[k as keyof typeof DEFAULTS], `default of lstmLens.${key}`);
    }
  });

  it('activates narrowly: on the coloured languages (commands and views activate implicitly), never on *', () => {
    const events = manifest.activationEvents;
    assert.ok(!events.includes('*') && !events.includes('onStartupFinished'));
    for (const lang of DEFAULTS.languages) assert.ok(events.includes(`onLanguage:${lang}`), `onLanguage:${lang}`);
  });

  it('binds next/previous cell in the editor, and the walkthrough has four steps whose buttons run our commands', () => {
    const kb = manifest.contributes.keybindings;
    for (const c of ['lstmLens.nextCell', 'lstmLens.previousCell'])
      assert.ok(
        kb.some((k) => k.command === c && k.when === 'editorTextFocus'),
        c,
      );
    const [walk] = manifest.contributes.walkthroughs;
    assert.strictEqual(walk.steps.length, 4);
    for (const s of walk.steps) {
      const cmd = /\(command:([\w.]+)\)/.exec(s.description)?.[1];
      assert.ok(cmd && ALL_COMMANDS.includes(cmd), `step ${s.id} button runs a command of ours (${cmd})`);
      assert.ok(fs.existsSync(path.join(ROOT, s.media.markdown)), s.media.markdown);
    }
    const ignore = fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8');
    assert.match(ignore, /^!media\/walkthrough\/\*\.md$/m);
    assert.match(ignore, /^!media\/models\/\*\.onnx$/m);
  });

  it('does not read the model path from an untrusted workspace', () => {
    assert.ok(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('lstmLens.model.path'));
  });
});
