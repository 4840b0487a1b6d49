import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';

// Each real compiled worker is stopped or cancelled in the middle of
// onnxruntime work, repeatedly, in a child process (workerStopScenarios.ts): a
// terminate() during a native call aborts the process (exit 134), which here
// fails this test with the child's output instead of killing mocha.
const SCRIPT = path.join(__dirname, 'workerStopScenarios.js');

function runScenarios(rounds: number, ...names: string[]): void {
  const r = spawnSync(process.execPath, [SCRIPT, String(rounds), ...names], {
    encoding: 'utf8',
    timeout: 170_000,
    killSignal: 'SIGKILL',
  });
  const output = `\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
  assert.ok(!r.error, `the scenarios did not finish: ${r.error?.message}${output}`);
  assert.strictEqual(r.signal, null, `the scenario process died by ${r.signal} (an abort is SIGABRT)${output}`);
  assert.strictEqual(
    r.status,
    0,
    `the scenario process exited with ${r.status} (134 = aborted by a terminate() during an onnxruntime call)${output}`,
  );
  assert.match(r.stdout, /all stopped cleanly/, output);
}

describe('workers stop cleanly in the middle of onnxruntime work (child process)', function () {
  this.timeout(180_000);

  it('analysis worker: shutdown during model load and during the pass; AnalysisSession.dispose during a sample', () => {
    runScenarios(3, 'analysis', 'analysisSession');
  });

  it("training worker: shutdown mid-run; the starter's cancel keeps the best model", () => {
    runScenarios(2, 'training', 'trainingCancel');
  });

  it("saturation worker: shutdown mid-run; the starter's timeout rejects and the worker exits on its own", () => {
    runScenarios(2, 'saturation');
  });

  it("discovery worker: shutdown mid-run; the starter's cancel", () => {
    runScenarios(2, 'discovery');
  });

  it('engine info worker: shutdown during the probe; the starter', () => {
    runScenarios(3, 'engineInfo');
  });
});
