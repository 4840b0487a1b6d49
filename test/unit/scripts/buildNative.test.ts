// scripts/buildNative.js: the native training kernel is optional. Where it
// cannot be built the script says why and exits 0 (training runs the ONNX
// graph), and it leaves the addon it built before as it was.

import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..', '..', '..');
const SCRIPT = path.join(ROOT, 'scripts', 'buildNative.js');
const ADDON = path.join(ROOT, 'out', 'native', 'lstm_lens_native.node');

describe('the native kernel build (scripts/buildNative.js)', () => {
  it('without a C compiler: says so, exits 0 and leaves the built addon alone', function () {
    if (process.arch !== 'x64' || process.platform === 'win32') this.skip();
    const before = fs.existsSync(ADDON) ? fs.statSync(ADDON).mtimeMs : undefined;
    const r = spawnSync(process.execPath, [SCRIPT, '--force'], {
      env: { ...process.env, CC: path.join(ROOT, 'no-such-compiler') },
      encoding: 'utf8',
    });
    assert.strictEqual(r.status, 0, r.stderr);
    assert.match(
      r.stdout,
      /native training kernel not built: no C compiler \(.*no-such-compiler\); training uses the ONNX graph/,
    );
    assert.strictEqual(fs.existsSync(ADDON) ? fs.statSync(ADDON).mtimeMs : undefined, before);
  });
});
