// CLI benchmark on the bundled model, against references measured in the same run:
//   1. `lstm-lens run --json` end to end (a new process, output to a file),
//      against the engine's own time for the same text: the whole-file pass
//      of a DocumentAnalysis (sessions created beforehand, nothing printed).
//      Goal: run --json within 1.5x of the engine;
//   2. `lstm-lens sample` through a pipe: when the first characters arrive,
//      against when the last do.
// The text is JavaScript and TypeScript from node_modules/typescript/lib,
// concatenated in file-name order. Usage:
//   node out/bench/cliBench.js [--chars=300000] [--cells=0,1,2,3] [--sample=20000]

import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DocumentAnalysis } from '../src/core/inference/documentAnalysis';
import { readModelFile } from '../src/core/model/modelFile';
import { benchHeader } from './benchHeader';

const ROOT = path.resolve(__dirname, '..', '..');
const MODEL = path.join(ROOT, 'media', 'models', 'default.onnx');
const CLI = path.join(ROOT, 'bin', 'lstm-lens.js');
const arg = (name: string, fallback: string): string =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const chars = Number(arg('chars', '300000'));
const cells = arg('cells', '0,1,2,3');
const sampleLength = Number(arg('sample', '20000'));

/** About `n` characters of source code (whole files in name order, the last one cut). */
function sourceText(n: number): string {
  const dir = path.join(ROOT, 'node_modules', 'typescript', 'lib');
  const parts: string[] = [];
  let have = 0;
  for (const f of fs.readdirSync(dir).sort()) {
    if (have >= n) break;
    if (!/\.(js|ts)$/.test(f)) continue;
    const s = fs.readFileSync(path.join(dir, f), 'utf8');
    parts.push(s);
    have += s.length;
  }
  return Array.from(parts.join('\n')).slice(0, n).join(''); // whole code points
}

/** Runs the CLI; resolves with the seconds until the first stdout bytes and until exit. */
function timeCli(args: string[], stdoutFile?: string): Promise<{ first: number; total: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const fd = stdoutFile === undefined ? undefined : fs.openSync(stdoutFile, 'w');
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', fd ?? 'pipe', 'pipe'] });
    let first = NaN;
    child.stdout?.on('data', () => {
      if (Number.isNaN(first)) first = (performance.now() - t0) / 1000;
    });
    const err: Buffer[] = [];
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      if (fd !== undefined) fs.closeSync(fd);
      if (code !== 0) reject(new Error(`lstm-lens ${args[0]} exited with ${code}: ${Buffer.concat(err).toString()}`));
      else resolve({ first, total: (performance.now() - t0) / 1000 });
    });
  });
}

async function engineSeconds(text: string): Promise<number> {
  const model = await readModelFile(MODEL);
  const doc = new DocumentAnalysis(model, { maxChars: chars + 1 });
  await doc.warmUp();
  const t0 = performance.now();
  doc.setText(text, 1);
  await doc.idle();
  const s = (performance.now() - t0) / 1000;
  await doc.dispose();
  return s;
}

async function main(): Promise<void> {
  console.log(benchHeader('cliBench'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-cli-bench-'));
  try {
    const text = sourceText(chars);
    const file = path.join(dir, 'text.ts');
    fs.writeFileSync(file, text);
    const n = Array.from(text).length;
    console.log(`model: media/models/default.onnx; text: ${n} characters of node_modules/typescript/lib`);

    const engine = await engineSeconds(text);
    const out = path.join(dir, 'run.json');
    const runArgs = ['run', '--model', MODEL, '--file', file, '--max-chars', String(n), '--cells', cells, '--json'];
    const run = await timeCli(runArgs, out);
    const bytes = fs.statSync(out).size;
    const parsed = JSON.parse(fs.readFileSync(out, 'utf8')) as { chars: number };
    if (parsed.chars !== n) throw new Error(`run --json printed chars = ${parsed.chars}, expected ${n}`);
    fs.rmSync(out);
    console.log(
      `run --json (--cells ${cells}, ${(bytes / 1e6).toFixed(1)} MB): ${run.total.toFixed(2)} s, engine ${engine.toFixed(2)} s, ` +
        `ratio ${(run.total / engine).toFixed(2)}× (goal ≤ 1.5×)`,
    );

    const sample = await timeCli([
      'sample',
      '--model',
      MODEL,
      '--temperature',
      '0.8',
      '--length',
      String(sampleLength),
      '--seed',
      '1',
    ]);
    console.log(
      `sample --length ${sampleLength}: first characters after ${sample.first.toFixed(2)} s, all after ${sample.total.toFixed(2)} s ` +
        `(${Math.round(sampleLength / sample.total)} chars/s)`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
