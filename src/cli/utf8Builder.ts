// Output text built directly as UTF-8 bytes, in chunks: `run --json` writes
// about 100 bytes per character of the file, and building that out of
// strings (digits, rows, windows, then one encoding) made more garbage to
// collect than the model did work. A full chunk goes to `emit`, which owns it
// from then on; chunks end between characters, never inside one.

import { JSON6_MAX_BYTES, json6Into } from './jsonNumber';

const encoder = new TextEncoder();

export class Utf8Builder {
  private buf: Uint8Array;
  private at = 0;

  constructor(
    private readonly emit: (bytes: Uint8Array) => void,
    private readonly chunkBytes = 1 << 16,
  ) {
    this.buf = new Uint8Array(chunkBytes);
  }

  /** One ASCII character, by its code. */
  byte(c: number): void {
    this.room(1);
    this.buf[this.at++] = c;
  }

  /** Text of ASCII characters only (keys, punctuation). */
  ascii(s: string): void {
    this.room(s.length);
    const buf = this.buf;
    let at = this.at;
    for (let i = 0; i < s.length; i++) buf[at++] = s.charCodeAt(i);
    this.at = at;
  }

  /** Any text. */
  text(s: string): void {
    if (3 * s.length > this.chunkBytes) {
      this.flush();
      this.emit(encoder.encode(s));
      return;
    }
    this.room(3 * s.length); // UTF-8 takes at most 3 bytes per UTF-16 unit
    this.at += encoder.encodeInto(s, this.buf.subarray(this.at)).written;
  }

  /** Bytes already encoded (a few: copied one by one). */
  bytes(b: Uint8Array): void {
    this.room(b.length);
    const buf = this.buf;
    let at = this.at;
    for (let i = 0; i < b.length; i++) buf[at++] = b[i];
    this.at = at;
  }

  /** JSON.stringify(round6(x)) (jsonNumber.ts). */
  num6(x: number): void {
    this.room(JSON6_MAX_BYTES);
    this.at = json6Into(this.buf, this.at, x);
  }

  /** Emits what is built so far (nothing when empty). */
  flush(): void {
    if (this.at === 0) return;
    this.emit(this.buf.subarray(0, this.at));
    this.buf = new Uint8Array(this.chunkBytes);
    this.at = 0;
  }

  private room(n: number): void {
    if (this.at + n > this.buf.length) {
      this.flush();
      if (n > this.buf.length) this.buf = new Uint8Array(n);
    }
  }
}
