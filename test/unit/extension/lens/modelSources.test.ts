import * as assert from 'assert';
import * as os from 'os';
import * as path from 'path';
import {
  BUNDLED_MODEL,
  bundledEntry,
  fileEntry,
  isInsideFolders,
  pushRecent,
  resolveSettingPath,
  trustProblem,
} from '../../../../src/extension/lens/modelSources';

describe('model sources', () => {
  it('finds the bundled model in one place under the extension root', () => {
    assert.strictEqual(BUNDLED_MODEL, path.join('media', 'models', 'default.onnx'));
    assert.deepStrictEqual(bundledEntry('/ext'), {
      id: 'bundled',
      source: 'bundled',
      path: path.join('/ext', 'media', 'models', 'default.onnx'),
      name: 'default',
    });
    assert.deepStrictEqual(fileEntry('workspace', '/s/models/mine.onnx'), {
      id: 'workspace:/s/models/mine.onnx',
      source: 'workspace',
      path: '/s/models/mine.onnx',
      name: 'mine',
    });
  });

  it('resolves the model-path setting: empty, ~, absolute, relative to the first folder', () => {
    assert.strictEqual(resolveSettingPath('  ', []), undefined);
    assert.strictEqual(resolveSettingPath('~/m.onnx', []), path.join(os.homedir(), 'm.onnx'));
    assert.strictEqual(resolveSettingPath('/a/../b/m.onnx', []), '/b/m.onnx');
    assert.strictEqual(resolveSettingPath('models/m.onnx', ['/w1', '/w2']), '/w1/models/m.onnx');
    assert.throws(() => resolveSettingPath('m.onnx', []), /relative, but no workspace folder is open/);
  });

  it('refuses models inside an untrusted workspace, and only those', () => {
    const inside = fileEntry('setting', '/w/models/m.onnx');
    const outside = fileEntry('file', '/home/u/m.onnx');
    assert.match(
      trustProblem(inside, false, ['/w'])!,
      /\/w\/models\/m\.onnx is inside this workspace, and models stored in an untrusted workspace are not loaded/,
    );
    assert.strictEqual(trustProblem(inside, true, ['/w']), undefined);
    assert.strictEqual(trustProblem(outside, false, ['/w']), undefined);
    assert.strictEqual(trustProblem(bundledEntry('/w/ext'), false, ['/w']), undefined);
    assert.ok(isInsideFolders('/w', ['/w']));
    assert.ok(!isInsideFolders('/wx/m.onnx', ['/w']));
    assert.ok(!isInsideFolders('/m.onnx', ['/w']));
  });

  it('keeps recent files most recent first, without repeats, capped', () => {
    assert.deepStrictEqual(pushRecent(['/a', '/b', '/c'], '/b', 3), ['/b', '/a', '/c']);
    assert.deepStrictEqual(pushRecent(['/a', '/b', '/c'], '/d', 3), ['/d', '/a', '/b']);
  });
});
