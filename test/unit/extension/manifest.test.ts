import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { ALL_COMMANDS, View } from '../../../src/extension/commands';
import { type PackageManifest, readPackageManifest, REPO_ROOT as ROOT } from '../../helpers/packageManifest';

const manifest = readPackageManifest();

describe('extension manifest', () => {
  it('contributes exactly the commands of src/extension/commands.ts, each in the LSTM Lens category', () => {
    const contributed = manifest.contributes.commands;
    assert.deepStrictEqual(contributed.map((c) => c.command).sort(), [...ALL_COMMANDS].sort());
    for (const c of contributed) {
      assert.strictEqual(c.category, 'LSTM Lens', `${c.command} category`);
      assert.ok(c.title.length > 0, `${c.command} has a title`);
    }
  });

  it('declares the activity-bar container and the webview view with existing icons', () => {
    // The manifest's ids are plain strings; View is a string enum.
    const containerId: string = View.Container;
    const container = manifest.contributes.viewsContainers.activitybar.find((c) => c.id === containerId);
    assert.ok(container, 'activity bar container');
    assert.ok(fs.existsSync(path.join(ROOT, container.icon)), container.icon);
    const views = manifest.contributes.views[View.Container];
    assert.deepStrictEqual(
      views.map((v) => [v.id, v.type]),
      [[View.Panel, 'webview']],
    );
    assert.ok(fs.existsSync(path.join(ROOT, manifest.icon)), manifest.icon);
  });

  it('is marketplace-ready and stays within the VS Code we test against (1.139)', () => {
    const keys: (keyof PackageManifest)[] = [
      'publisher',
      'displayName',
      'description',
      'icon',
      'license',
      'repository',
      'categories',
      'keywords',
    ];
    for (const k of keys) {
      assert.ok(manifest[k], `package.json ${k}`);
    }
    const m = /^\^1\.(\d+)\.\d+$/.exec(manifest.engines.vscode);
    assert.ok(m && Number(m[1]) <= 139, `engines.vscode ${manifest.engines.vscode}`);
    assert.ok(!manifest.activationEvents.includes('*'), 'no * activation');
  });
});
