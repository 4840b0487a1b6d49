import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { ALL_COMMANDS, View } from '../../../src/extension/commands';

// out/test/unit/extension -> repository root
const ROOT = path.join(__dirname, '..', '..', '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

describe('extension manifest', () => {
  it('contributes exactly the commands of src/extension/commands.ts, each in the LSTM Lens category', () => {
    const contributed = manifest.contributes.commands as { command: string; title: string; category: string }[];
    assert.deepStrictEqual(contributed.map((c) => c.command).sort(), [...ALL_COMMANDS].sort());
    for (const c of contributed) {
      assert.strictEqual(c.category, 'LSTM Lens', `${c.command} category`);
      assert.ok(c.title.length > 0, `${c.command} has a title`);
    }
  });

  it('declares the activity-bar container and the webview view with existing icons', () => {
    const container = manifest.contributes.viewsContainers.activitybar.find((c: { id: string }) => c.id === View.Container);
    assert.ok(container, 'activity bar container');
    assert.ok(fs.existsSync(path.join(ROOT, container.icon)), container.icon);
    const views = manifest.contributes.views[View.Container] as { id: string; type: string }[];
    assert.deepStrictEqual(views.map((v) => [v.id, v.type]), [[View.Panel, 'webview']]);
    assert.ok(fs.existsSync(path.join(ROOT, manifest.icon)), manifest.icon);
  });

  it('is marketplace-ready and stays within the VS Code we test against (1.139)', () => {
    for (const k of ['publisher', 'displayName', 'description', 'icon', 'license', 'repository', 'categories', 'keywords']) {
      assert.ok(manifest[k], `package.json ${k}`);
    }
    const m = /^\^1\.(\d+)\.\d+$/.exec(manifest.engines.vscode);
    assert.ok(m && Number(m[1]) <= 139, `engines.vscode ${manifest.engines.vscode}`);
    assert.ok(!manifest.activationEvents.includes('*'), 'no * activation');
  });
});
