/**
 * Splits a byte stream into lines: delimiter found at the byte level (so a multi-byte character
 * split across TCP chunks is reassembled), a trailing `\r` dropped for `\n` delimiters (CRLF),
 * each line decoded as strict UTF-8. Invalid UTF-8 and lines longer than `maxLineBytes` are
 * reported as rejects with the reason, never silently dropped or mangled.
 * @internal
 */
export interface LineSink {
  line(text: string): void;
  reject(raw: string, reason: string): void;
}

export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private overflowing = false;
  private readonly delimiter: Buffer;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  constructor(
    delimiter: string,
    private readonly maxLineBytes: number,
    private readonly sink: LineSink,
  ) {
    if (delimiter.length === 0) throw new RangeError('The line delimiter must not be empty');
    this.delimiter = Buffer.from(delimiter, 'utf8');
  }

  write(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const idx = chunk.indexOf(this.delimiter, start);
      if (idx < 0) break;
      this.append(chunk.subarray(start, idx));
      this.flushLine();
      start = idx + this.delimiter.length;
    }
    if (start < chunk.length) this.append(chunk.subarray(start));
    // A delimiter may straddle two chunks: rejoin pending bytes and rescan when that can happen.
    if (this.delimiter.length > 1 && this.pending.length > 1) {
      const joined = Buffer.concat(this.pending);
      this.pending = [];
      this.pendingBytes = 0;
      if (joined.includes(this.delimiter)) this.write(joined);
      else this.append(joined);
    }
  }

  /** End of stream: a last line without delimiter still counts. */
  end(): void {
    if (this.pendingBytes > 0 || this.overflowing) this.flushLine();
  }

  private append(bytes: Buffer): void {
    if (bytes.length === 0) return;
    if (this.overflowing) return;
    if (this.pendingBytes + bytes.length > this.maxLineBytes) {
      this.overflowing = true;
      // Keep a prefix for the dead letter so a person can see what it was.
      this.pending.push(bytes.subarray(0, Math.max(0, Math.min(bytes.length, 256 - this.pendingBytes))));
      return;
    }
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
  }

  private flushLine(): void {
    let bytes = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    if (this.overflowing) {
      this.overflowing = false;
      this.sink.reject(bytes.toString('utf8', 0, Math.min(bytes.length, 256)), `line longer than ${this.maxLineBytes} bytes`);
      return;
    }
    if (bytes.length > 0 && bytes[bytes.length - 1] === 13 && this.delimiter.length === 1 && this.delimiter[0] === 10) {
      bytes = bytes.subarray(0, bytes.length - 1);
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
