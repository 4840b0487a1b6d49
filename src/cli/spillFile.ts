// Output that has to wait for its turn: `run --json` prints each signal over
// all characters one after the other, but computes them all together,
// window by window. Up to 1 MB waits in memory, the rest in a temporary file;
// drainTo() hands it all to the sink, in order, when its turn comes.

import * as fs from 'fs';
import type { TextSink } from './textSink';

const READ_BYTES = 1 << 20;

export class SpillFile {
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  private fd: number | undefined;

  /** path: where the file goes once more than `memoryBytes` wait (asked once, when needed). */
  constructor(
    private readonly path: () => string,
    private readonly memoryBytes = 1 << 20,
  ) {}

  append(bytes: Uint8Array): void {
    this.held.push(bytes);
    this.heldBytes += bytes.length;
    if (this.heldBytes >= this.memoryBytes) this.spill();
  }

  /** Everything appended, in order, to the sink (waiting for the reader after every read). */
  async drainTo(sink: TextSink): Promise<void> {
    if (this.fd !== undefined) {
      this.spill();
      for (let at = 0; ;) {
        const buf = new Uint8Array(READ_BYTES); // the sink may still hold the last one
        const got = fs.readSync(this.fd, buf, 0, READ_BYTES, at);
        if (got === 0) break;
        sink.write(buf.subarray(0, got)); // may end inside a character: the next read finishes it
        await sink.flush();
        at += got;
      }
    }
    for (const b of this.held) sink.write(b);
    this.held = [];
    this.heldBytes = 0;
  }

  /** Closes and deletes the file, if there is one. */
  close(): void {
    if (this.fd === undefined) return;
    fs.closeSync(this.fd);
    this.fd = undefined;
    fs.rmSync(this.path(), { force: true });
  }

  private spill(): void {
    this.fd ??= fs.openSync(this.path(), 'w+');
    for (const b of this.held) for (let done = 0; done < b.length;) done += fs.writeSync(this.fd, b, done);
    this.held = [];
    this.heldBytes = 0;
  }
}
