// `npm run bench:heldout`: how a model does on code it was never trained on,
// against the bundled model's targets. The held-out projects are fixed and
// offline, from Debian and npm packages outside the bundled model's corpus
// (media/models/default.md): C from the examples of zlib, nettle and xmlsec
// (their -dev packages), Python from PyTorch's torch/nn (python3-torch), and
// npm's own lib/ JavaScript. Each language's files are read in path order up
// to --chars characters (100 000).
// Reports, per language and over all of them:
//   bits/char (the trainer's eval graph, bench/heldOutScore.ts; target ≤ 2.0),
//   and over all of them the best cell, as discovery scores them
//   (src/core/analysis/cellScorer.ts), for: inside a string (|φ| of the best
//   threshold, target ≥ 0.93), inside a comment (|φ|, ≥ 0.90), and
//   indentation or column (|r|, ≥ 0.80); then the same per language, with
//   each quote kind apart.
// Usage: node out/bench/heldOutBench.js [--model M.onnx] [--chars N]

import * as fs from 'fs';
import * as path from 'path';
import { discoverCells } from '../src/core/analysis/discoverCells';
import { cellRefAt } from '../src/core/analysis/cellLabels';
import type { ScoreTable } from '../src/core/analysis/cellScorer';
import type { SampleText } from '../src/core/analysis/cacheKey';
import { readModelFile } from '../src/core/model/modelFile';
import { Vocabulary } from '../src/core/model/vocab';
import { benchHeader } from './benchHeader';
import { filesUnder, npmDir } from './benchFiles';
import { heldOutBitsPerChar } from './heldOutScore';

const argOf = (name: string): string | undefined => {
  const j = process.argv.indexOf(`--${name}`);
  return j >= 0 ? process.argv[j + 1] : undefined;
};
const MODEL = argOf('model') ?? path.join(__dirname, '..', '..', 'media', 'models', 'default.onnx');
const CHARS = Number(argOf('chars') ?? 100_000);

interface Project {
  language: string;
  roots: string[];
  ext: RegExp;
}

const PROJECTS: Project[] = [
  {
    language: 'c',
    roots: ['zlib1g-dev', 'nettle-dev', 'libxmlsec1-dev'].map((p) => `/usr/share/doc/${p}/examples`),
    ext: /\.c$/,
  },
  { language: 'python', roots: ['/usr/lib/python3/dist-packages/torch/nn'], ext: /\.py$/ },
  { language: 'javascript', roots: [path.join(npmDir(), 'lib')], ext: /\.js$/ },
];

/** A project's files in path order, cut to CHARS characters in all. */
function sampleOf(p: Project): SampleText[] {
  const out: SampleText[] = [];
  let left = CHARS;
  for (const f of p.roots.flatMap((r) => filesUnder(r, p.ext))) {
    if (left <= 0) break;
    const text = fs.readFileSync(f, 'utf8').slice(0, left);
    out.push({ name: f, text, language: p.language });
    left -= text.length;
  }
  return out;
}

/** The best cell for a feature by |φ| (binary) or |r|, with its name. */
function best(table: ScoreTable, features: string[], measure: 'phi' | 'r'): { score: number; where: string } {
  const N = table.r.length / table.features.length;
  let top = { score: NaN, where: 'not scored' };
  table.features.forEach((f, k) => {
    if (!features.includes(f.id)) return;
    const values = measure === 'phi' ? table.phi : table.r;
    for (let j = 0; j < N; j++) {
      const v = Math.abs(values[k * N + j]);
      if (Number.isFinite(v) && !(v <= top.score)) {
        const c = cellRefAt(table, j);
        top = { score: v, where: `${f.id}: ${c.signal}${c.layer}[${c.unit}]` };
      }
    }
  });
  return top;
}

async function main(): Promise<void> {
  console.log(benchHeader('held-out bench'));
  const model = await readModelFile(MODEL);
  const vocab = new Vocabulary(model.vocab);
  console.log(`model: ${MODEL} (${model.layers.map((l) => `${l.kind} ${l.hiddenSize}`).join(' + ')})`);
  const samples: SampleText[] = [];
  let bitsSum = 0;
  let charsSum = 0;
  for (const p of PROJECTS) {
    const sample = sampleOf(p);
    const text = sample.map((s) => s.text).join('\n');
    if (text.length < 1000) {
      console.log(`  ${p.language.padEnd(11)} missing: ${p.roots.join(', ')} (install the packages named above)`);
      continue;
    }
    const ids = vocab.encode(text);
    const bpc = await heldOutBitsPerChar(model, ids);
    console.log(
      `  ${p.language.padEnd(11)} ${bpc.toFixed(3)} bits/char over ${ids.length} chars of ${sample.length} files`,
    );
    bitsSum += bpc * ids.length;
    charsSum += ids.length;
    samples.push(...sample);
  }
  if (charsSum === 0) throw new Error('no held-out project is on this machine');
  const r = await discoverCells(model, samples, { maxChars: charsSum + samples.length });
  const t = r.table;
  const str = best(t, ['inString'], 'phi');
  const comment = best(t, ['inComment'], 'phi');
  const indent = best(t, ['indentColumns', 'indentLevels', 'column'], 'r');
  console.log(`  best cells over ${t.count} chars: string ${str.where}, comment ${comment.where}, ${indent.where}`);
  // Per language, the same features and each quote kind: a pooled score is
  // low when different cells track strings in different languages.
  for (const language of new Set(samples.map((s) => s.language))) {
    const own = samples.filter((s) => s.language === language);
    const lt = (await discoverCells(model, own, { maxChars: charsSum + samples.length })).table;
    const parts = [
      best(lt, ['inString'], 'phi'),
      best(lt, ['inDoubleQuote'], 'phi'),
      best(lt, ['inSingleQuote'], 'phi'),
      best(lt, ['inTripleQuote'], 'phi'),
      best(lt, ['inComment'], 'phi'),
      best(lt, ['indentColumns', 'indentLevels', 'column'], 'r'),
    ].filter((b) => Number.isFinite(b.score) && b.score > 0);
    console.log(`    ${language.padEnd(11)} ${parts.map((b) => `${b.where} ${b.score.toFixed(3)}`).join(', ')}`);
  }
  console.log(
    `held-out: ${(bitsSum / charsSum).toFixed(3)} bits/char (target ≤ 2.0); inside string |φ| ${str.score.toFixed(3)} (≥ 0.93); ` +
      `inside comment |φ| ${comment.score.toFixed(3)} (≥ 0.90); indentation or column |r| ${indent.score.toFixed(3)} (≥ 0.80)`,
  );
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
