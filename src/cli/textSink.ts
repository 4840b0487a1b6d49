// One long output written in many pieces (a JSON document window by window,
// sampled text character by character), handed to io.write in pieces of
// about 64 kB: a million small pieces become a few hundred writes. flush()
// hands over what is pending and waits until the reader can take more, so a
// slow reader (a pipe into `less`) holds the producer back instead of the
// output piling up in memory. Pieces are text or UTF-8 bytes (a run of
// bytes may end inside a character that the next run of bytes finishes).
// For an io without write (plain line callbacks) the text is split into
// lines for io.out instead.

import type { CliIo } from './cliCommand';

/** Pending characters that trigger a write without waiting for flush(). */
const PIECE_CHARS = 1 << 16;

export class TextSink {
  private pending = '';
  private handed: Promise<void> = Promise.resolve();
  private readonly decoder = new TextDecoder();

  constructor(private readonly io: CliIo) {}

  write(piece: string | Uint8Array): void {
    if (typeof piece !== 'string') {
      this.hand();
      if (this.io.write) this.give(piece);
      else this.lines(this.decoder.decode(piece, { stream: true }));
      return;
    }
    this.pending += piece;
    if (this.pending.length >= PIECE_CHARS) this.hand();
  }

  /** Hands over everything written so far; resolves when the reader has room again. */
  async flush(): Promise<void> {
    this.hand();
    await this.handed;
  }

  /** Flushes, and for a line-only io prints the last line even without its newline. */
  async end(): Promise<void> {
    await this.flush();
    if (!this.io.write && this.pending !== '') {
      this.io.out(this.pending);
      this.pending = '';
    }
  }

  private hand(): void {
    if (!this.io.write) return this.lines('');
    if (this.pending === '') return;
    this.give(this.pending);
    this.pending = '';
  }

  private give(piece: string | Uint8Array): void {
    this.handed = Promise.all([this.handed, this.io.write!(piece)]).then(() => undefined);
  }

  /** Line-only io: prints the complete lines, keeps the unfinished one. */
  private lines(text: string): void {
    const lines = (this.pending + text).split('\n');
    this.pending = lines.pop()!;
    for (const line of lines) this.io.out(line);
  }
}
