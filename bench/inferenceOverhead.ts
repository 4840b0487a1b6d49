// Where the colouring pass spends time beyond the bare LSTM op: the same
// text and model, bare op at several chunk sizes vs our pass at several
// checkpoint intervals. Usage: node out/bench/inferenceOverhead.js [H] [L]
import { makeBenchModel, bareRunner, benchText, median } from './inferenceBenchKit';
import { DocumentAnalysis } from '../src/core/inference/documentAnalysis';
import { Vocabulary } from '../src/core/model/vocab';
import { indexText } from '../src/core/text/textIndex';

/** Process CPU time (all threads), less sensitive than wall time to other processes on a loaded machine. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function main(): Promise<void> {
  const H = Number(process.argv[2] ?? 128);
  const L = Number(process.argv[3] ?? 1);
  const threads = Number(process.argv[4] ?? (H <= 128 ? 1 : 2));
  const model = makeBenchModel(H, L);
  const text = benchText(Math.round((H === 128 ? 60_000 : H === 256 ? 25_000 : 6_000) / L));
  const vocab = new Vocabulary(model.vocab);
  const ids = Int32Array.from(indexText(text).codePoints, (c) => vocab.idOf(c));
  const bare = await bareRunner(model, threads);
  await bare(ids.subarray(0, 500), 4096);
  const rows: string[] = [];
  for (let rep = 0; rep < 3; rep++) {
    for (const chunk of [512, 4096]) {
      const t0 = cpuMs();
      await bare(ids, chunk);
      rows.push(`bare chunk ${chunk}\t${cpuMs() - t0}`);
    }
    for (const [N, M] of [
      [256, 8],
      [256, 16],
      [512, 8],
    ]) {
      for (const sel of [false, true]) {
        const doc = new DocumentAnalysis(model, { intraOpThreads: threads, checkpointEvery: N, partsPerRun: M });
        if (sel)
          doc.setSelection({
            cells: [{ layer: L - 1, cell: 5, signals: ['h', 'c', 'i', 'f', 'o', 'g'] }],
            surprisal: false,
          });
        await doc.warmUp();
        const t0 = cpuMs();
        doc.setText(text, 1);
        await doc.idle();
        rows.push(`ours N=${N} M=${M} ${sel ? 'one cell' : 'no cells'}\t${cpuMs() - t0}`);
        await doc.dispose();
      }
    }
  }
  const by = new Map<string, number[]>();
  for (const r of rows) {
    const [k, v] = r.split('\t');
    by.set(k, [...(by.get(k) ?? []), Number(v)]);
  }
  const ref = median(by.get('bare chunk 4096')!);
  for (const [k, v] of by)
    console.log(
      `${k.padEnd(30)} ${Math.round((ids.length / median(v)) * 1000)} chars/s  ratio ${(median(v) / ref).toFixed(2)}`,
    );
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
