// `run --json` written as the model goes: the same text as
// JSON.stringify(runModelOverText(...)) (runRows.ts), key for key and digit
// for digit, without holding the document in memory.
//
// The document is a sequence of sections, one per signal of each printed
// layer and one for "next", each with a value per character:
//   {"text":…,"chars":N,"layers":[{"type":"lstm","h":[rows],"c":[rows],…},…],"next":[rows]}
// Every window adds rows to every section. The first section goes straight
// to the output; the others wait in SpillFiles (memory, then a temporary
// file) and follow it, in order, once the last window is in.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { signalsOf } from '../core/model/types';
import type { OpenRun, RunRows } from './runRows';
import { guessP, surprisalBits } from './runRows';
import { SpillFile } from './spillFile';
import type { TextSink } from './textSink';
import { Utf8Builder } from './utf8Builder';

const [COMMA, OPEN, CLOSE] = [0x2c, 0x5b, 0x5d]; // , [ ]

interface Section {
  /** Text before the rows, e.g. `,"c":[`. */
  open: string;
  /** Text after them, e.g. `]` or `]}` (end of a layer). */
  close: string;
  /** Writes the rows of one window, each after a comma unless it is row 0 of the text. */
  rows: (out: Utf8Builder, w: RunRows) => void;
}

export async function writeRunJson(run: OpenRun, sink: TextSink): Promise<void> {
  const encoder = new TextEncoder();
  const chars = Array.from({ length: run.vocab.size }, (_, id) => encoder.encode(JSON.stringify(run.vocab.charOf(id))));
  const sections = layerSections(run);
  sections.push({ open: '],"next":[', close: ']', rows: (out, w) => nextRows(out, run, chars, w) });
  const [first, ...rest] = sections;
  let dir: string | undefined;
  const removeDir = (): void => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  };
  const tempDir = (): string => {
    if (dir) return dir;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-run-'));
    // Also when the process ends mid-run: bin/lstm-lens.js exits at once when the reader stops early (EPIPE).
    process.once('exit', removeDir);
    return dir;
  };
  const waiting = rest.map((_, i) => {
    const file = new SpillFile(() => path.join(tempDir(), `${i}`));
    return { file, out: new Utf8Builder((b) => file.append(b)) };
  });
  const live = new Utf8Builder((b) => sink.write(b));
  try {
    live.text(`{"text":${JSON.stringify(run.text)},"chars":${run.chars},"layers":[` + first.open);
    for await (const w of run.windows()) {
      first.rows(live, w);
      rest.forEach((section, i) => section.rows(waiting[i].out, w));
      live.flush();
      await sink.flush(); // at the reader's pace
    }
    live.ascii(first.close);
    live.flush();
    for (const [i, section] of rest.entries()) {
      waiting[i].out.flush();
      sink.write(section.open);
      await waiting[i].file.drainTo(sink);
      sink.write(section.close);
    }
    const tail = run.interventions ? `,"interventions":${JSON.stringify(run.interventions)}` : '';
    sink.write(tail + '}\n');
    await sink.end();
  } finally {
    for (const w of waiting) w.file.close();
    removeDir();
    process.off('exit', removeDir);
  }
}

/** One section per signal of each printed layer: `{"type":"lstm","h":[` … `]`, `,"c":[` … `]}`. */
function layerSections(run: OpenRun): Section[] {
  return run.kinds.flatMap((kind, a) => {
    const signals = signalsOf(kind);
    return signals.map((s, i) => ({
      open: i === 0 ? `${a === 0 ? '' : ','}{"type":${JSON.stringify(kind)},"${s}":[` : `,"${s}":[`,
      close: i === signals.length - 1 ? ']}' : ']',
      rows: (out: Utf8Builder, w: RunRows) => signalRows(out, w, w.layers[a][s]!),
    }));
  });
}

/** [[v, …] per character] of one signal: (n, k) values. */
function signalRows(out: Utf8Builder, w: RunRows, v: Float32Array): void {
  const n = w.to - w.from;
  const k = v.length / n;
  for (let t = 0; t < n; t++) {
    if (w.from + t > 0) out.byte(COMMA);
    out.byte(OPEN);
    for (let m = 0; m < k; m++) {
      if (m > 0) out.byte(COMMA);
      out.num6(v[t * k + m]);
    }
    out.byte(CLOSE);
  }
}

/** {"top":[["c",p],…],"surprisal_bits":x} per character; chars[id] = the JSON string of vocabulary entry id, as UTF-8. */
function nextRows(out: Utf8Builder, run: OpenRun, chars: Uint8Array[], w: RunRows): void {
  const K = run.K;
  const n = w.to - w.from;
  for (let t = 0; t < n; t++) {
    out.ascii(w.from + t === 0 ? '{"top":[' : ',{"top":[');
    for (let j = 0; j < K; j++) {
      if (j > 0) out.byte(COMMA);
      out.byte(OPEN);
      out.bytes(chars[w.topIds[t * K + j]]);
      out.byte(COMMA);
      out.num6(guessP(w, K, t, j));
      out.byte(CLOSE);
    }
    out.ascii('],"surprisal_bits":');
    const bits = surprisalBits(w, run.chars, t);
    if (bits === null) out.ascii('null');
    else out.num6(bits);
    out.ascii('}');
  }
}
