/**
 * Splits a byte stream into lines: the delimiter is found at the byte level, also when it
 * straddles two chunks (`'a\r'` then `'\nb'` with delimiter `'\r\n'`), so multi-byte characters
 * and delimiters split by TCP are reassembled; a trailing `\r` is dropped for `\n` delimiters
 * (CRLF); each line is decoded as strict UTF-8. Invalid UTF-8 and lines longer than
 * `maxLineBytes` (not counting a CRLF's `\r`) are reported as rejects with the reason, never
 * silently dropped or mangled.
 *
 * Bytes are scanned once: a chunk is searched from where the previous search stopped, with the
 * last `delimiter.length - 1` bytes of the line so far kept as a tail to catch a straddling
 * delimiter.
 * @internal
 */
export interface LineSink {
  line(text: string): void;
  reject(raw: string, reason: string): void;
}

/** Bytes of an oversized line kept for its dead letter. */
const REJECT_PREFIX = 256;

export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private overflowing = false;
  /** The last `delimiter.length - 1` bytes of the current line (also while overflowing). */
  private tail: Buffer = Buffer.alloc(0);
  private readonly delimiter: Buffer;
  private readonly isLf: boolean;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  constructor(
    delimiter: string,
    private readonly maxLineBytes: number,
    private readonly sink: LineSink,
  ) {
    if (delimiter.length === 0) throw new RangeError('The line delimiter must not be empty');
    this.delimiter = Buffer.from(delimiter, 'utf8');
    this.isLf = this.delimiter.length === 1 && this.delimiter[0] === 10;
  }

  write(chunk: Buffer): void {
    let start = 0;
    const d = this.delimiter.length;
    const t = this.tail.length;
    if (d > 1 && t > 0) {
      // A delimiter that began in the previous chunk ends in this one.
      const probe = Buffer.concat([this.tail, chunk.subarray(0, d - 1)]);
      const at = probe.indexOf(this.delimiter);
      if (at >= 0 && at < t) {
        this.dropLast(t - at);
        this.flushLine();
        start = at + d - t; // the delimiter's bytes that are in this chunk
      }
    }
    for (;;) {
      const idx = chunk.indexOf(this.delimiter, start);
      if (idx < 0) break;
      this.append(chunk.subarray(start, idx));
      this.flushLine();
      start = idx + d;
    }
    if (start < chunk.length) this.append(chunk.subarray(start));
  }

  /** End of stream: a last line without delimiter still counts. */
  end(): void {
    if (this.pendingBytes > 0 || this.overflowing) this.flushLine();
  }

  private append(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.rememberTail(bytes);
    if (this.overflowing) return;
    // One byte of slack for the `\r` of a CRLF line, checked exactly when the line ends.
    const limit = this.isLf ? this.maxLineBytes + 1 : this.maxLineBytes;
    if (this.pendingBytes + bytes.length > limit) {
      this.overflowing = true;
      const keep = Math.max(0, REJECT_PREFIX - this.pendingBytes);
      if (keep > 0) this.pending.push(bytes.subarray(0, Math.min(bytes.length, keep)));
      return;
    }
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
  }

  private rememberTail(bytes: Buffer): void {
    const d = this.delimiter.length;
    if (d === 1) return;
    const joined = this.tail.length === 0 ? bytes : Buffer.concat([this.tail, bytes]);
    this.tail = Buffer.from(joined.subarray(Math.max(0, joined.length - (d - 1))));
  }

  /** Removes the last `n` bytes of the current line (the start of a straddling delimiter). */
  private dropLast(n: number): void {
    this.tail = Buffer.alloc(0);
    if (this.overflowing) return;
    let remaining = n;
    while (remaining > 0 && this.pending.length > 0) {
      const last = this.pending[this.pending.length - 1]!;
      if (last.length <= remaining) {
        this.pending.pop();
        remaining -= last.length;
        this.pendingBytes -= last.length;
      } else {
        this.pending[this.pending.length - 1] = last.subarray(0, last.length - remaining);
        this.pendingBytes -= remaining;
        remaining = 0;
      }
    }
  }

  private flushLine(): void {
    let bytes = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    this.tail = Buffer.alloc(0);
    if (this.overflowing) {
      this.overflowing = false;
      this.sink.reject(bytes.toString('utf8', 0, Math.min(bytes.length, REJECT_PREFIX)), `line longer than ${this.maxLineBytes} bytes`);
      return;
    }
    if (this.isLf && bytes.length > 0 && bytes[bytes.length - 1] === 13) bytes = bytes.subarray(0, bytes.length - 1);
    if (bytes.length > this.maxLineBytes) {
      this.sink.reject(bytes.toString('utf8', 0, Math.min(bytes.length, REJECT_PREFIX)), `line longer than ${this.maxLineBytes} bytes`);
      return;
    }
    let text: string;
    try {
      text = this.decoder.decode(bytes);
    } catch {
      this.sink.reject(bytes.toString('utf8'), 'invalid UTF-8');
      return;
    }
    this.sink.line(text);
  }
}
