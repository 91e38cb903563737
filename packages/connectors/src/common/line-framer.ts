/**
 * Frames a byte stream into `\n`-terminated lines for the server-side connectors.
 *
 * Algorithm: scan each chunk for the byte 0x0A; bytes before it join the pending bytes of the
 * current line, which is then closed: a trailing `\r` is dropped (CRLF), the bytes are decoded as
 * strict UTF-8 and handed on. Because the scan works on bytes and decoding happens only once a
 * line is complete, a multi-byte character split across TCP chunks is reassembled for free.
 * Example: chunks `"ab"`, `"c\r\nd"` give the line `"abc"` and leave `"d"` pending.
 *
 * A line longer than `maxLineBytes` stops being buffered once over the limit (memory stays
 * bounded whatever the peer sends) and is rejected with the reason and its first 256 bytes when
 * its end arrives. Invalid UTF-8 is rejected likewise. Nothing is dropped without a reject.
 * @internal
 */

/** Bytes of a rejected line kept to show a person what it was. */
export const PREVIEW_BYTES = 256;

/** Receives framed lines. */
export interface LineHandler {
  /** A line; `bytes` is what it took in the stream, its `\n` included (for byte offsets). */
  line(text: string, bytes: number): void;
  reject(preview: string, reason: string, bytes: number): void;
}

export class LineFramer {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Bytes of an over-long line not kept (only a preview is). */
  private droppedBytes = 0;
  private overflowed = false;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  constructor(
    private readonly maxLineBytes: number,
    private readonly handler: LineHandler,
  ) {
    if (!(maxLineBytes > 0)) throw new RangeError(`maxLineBytes must be positive (got ${maxLineBytes})`);
  }

  /** Bytes received of the current, unterminated line. */
  get partialBytes(): number {
    return this.pendingBytes + this.droppedBytes;
  }

  write(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const idx = chunk.indexOf(10, start);
      if (idx < 0) break;
      this.append(chunk.subarray(start, idx));
      this.closeLine();
      start = idx + 1;
    }
    if (start < chunk.length) this.append(chunk.subarray(start));
  }

  /**
   * The stream ended. Returns the unterminated rest (a preview and its size) for the caller to
   * emit or reject, or undefined when the stream ended on a line boundary.
   */
  end(): { preview: string; bytes: number } | undefined {
    const bytes = this.partialBytes;
    if (bytes === 0) return undefined;
    const preview = this.previewOf(Buffer.concat(this.pending));
    this.reset();
    return { preview, bytes };
  }

  /** Closes the pending bytes as a line even though no `\n` came (for callers that emit the rest). */
  flushAsLine(): void {
    if (this.partialBytes > 0) this.closeLine(0);
  }

  private append(bytes: Buffer): void {
    if (bytes.length === 0) return;
    if (this.overflowed || this.pendingBytes + bytes.length > this.maxLineBytes) {
      // Over the limit: keep only what the preview needs, count the rest.
      this.overflowed = true;
      const kept = bytes.subarray(0, Math.max(0, PREVIEW_BYTES - this.pendingBytes));
      if (kept.length > 0) this.pending.push(kept);
      this.pendingBytes += kept.length;
      this.droppedBytes += bytes.length - kept.length;
      return;
    }
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
  }

  /** Ends the current line; `delimiterBytes` is 1 after a `\n`, 0 at the end of the stream. */
  private closeLine(delimiterBytes = 1): void {
    let bytes = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    const overflowed = this.overflowed;
    const size = this.pendingBytes + this.droppedBytes + delimiterBytes;
    this.reset();
    if (overflowed) {
      this.handler.reject(this.previewOf(bytes), `line longer than ${this.maxLineBytes} bytes`, size);
      return;
    }
    if (bytes.length > 0 && bytes[bytes.length - 1] === 13) bytes = bytes.subarray(0, bytes.length - 1);
    let text: string;
    try {
      text = this.decoder.decode(bytes);
    } catch {
      this.handler.reject(this.previewOf(bytes), 'invalid UTF-8', size);
      return;
    }
    this.handler.line(text, size);
  }

  private previewOf(bytes: Buffer): string {
    return bytes.toString('utf8', 0, Math.min(bytes.length, PREVIEW_BYTES));
  }

  private reset(): void {
    this.pending = [];
    this.pendingBytes = 0;
    this.droppedBytes = 0;
    this.overflowed = false;
  }
}
