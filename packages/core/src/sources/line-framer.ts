/**
 * Frames a byte stream (socket reads, file reads) into delimited text lines, for sources that
 * read lines: `SocketTextSource` here, and the file, line-server and audit-log sources of
 * @weir/connectors.
 *
 * Algorithm: each chunk is searched for the delimiter's bytes; the bytes before it join the
 * bytes pending for the current line, which is then closed: for a `'\n'` delimiter a trailing
 * `\r` is dropped (CRLF), and the bytes are decoded as strict UTF-8. Decoding happens only once a
 * line is complete, so a multi-byte character split across two reads is reassembled for free,
 * and a multi-byte delimiter split across two reads is found by probing the last
 * `delimiter.length - 1` bytes of the line so far together with the start of the next chunk.
 * Example, delimiter `'\r\n'`: chunks `"ab\r"`, `"\ncd"` give the line `"ab"` and leave `"cd"`
 * pending.
 *
 * Every line reports the bytes it took in the stream (its delimiter included), so a replayable
 * reader can keep the byte offset just past the last line it emitted.
 *
 * A line longer than `maxLineBytes` (a CRLF's `\r` not counted) stops being buffered once it is
 * over the limit, so memory stays bounded whatever the peer sends, and is rejected with the
 * reason and a preview (its first 256 bytes) when its end arrives. A line that is not valid
 * UTF-8 is rejected likewise. Nothing is dropped without a reject.
 */
import { ConfigError } from '../errors.js';

/** Bytes of a rejected line kept to show a person what it was. */
const PREVIEW_BYTES = 256;
const LF = 10;
const CR = 13;

/**
 * Options of a {@link LineFramer}.
 *
 * @example
 * ```ts
 * const options: LineFramerOptions = { delimiter: '\r\n', maxLineBytes: 64 * 1024 };
 * ```
 */
export interface LineFramerOptions {
  /** What ends a line, default `'\n'` (then a `\r` before it is dropped, so CRLF works too). */
  readonly delimiter?: string;
  /** Longer lines are rejected (the `\r` of a CRLF is not counted). Default 1 MiB. */
  readonly maxLineBytes?: number;
}

/**
 * A line the framer could not hand over as text, and why.
 *
 * @example
 * ```ts
 * const onReject = (r: RejectedLine) => output.deadLetter({ input: r.preview, reason: r.reason });
 * ```
 */
export interface RejectedLine {
  /** The line's first 256 bytes, decoded leniently (invalid bytes become U+FFFD). */
  readonly preview: string;
  /** `'line longer than N bytes'` or `'invalid UTF-8'`. */
  readonly reason: string;
  /** What was wrong, for callers that word their own reason. */
  readonly kind: 'too long' | 'invalid UTF-8';
  /** Length of the line in bytes, without its delimiter (a CRLF's `\r` included). */
  readonly lineBytes: number;
  /** Bytes it took in the stream, its delimiter included (0 delimiter bytes at the stream's end). */
  readonly bytes: number;
}

/**
 * Receives what a {@link LineFramer} frames, in stream order.
 *
 * @example
 * ```ts
 * const handler: LineHandler = {
 *   line: (text) => queue.push(text),
 *   reject: (r) => console.warn(`${r.reason}: ${r.preview}`),
 * };
 * ```
 */
export interface LineHandler {
  /** A line without its delimiter; `bytes` is what it took in the stream, its delimiter included. */
  line(text: string, bytes: number): void;
  /** A line that is too long or not valid UTF-8. */
  reject(rejected: RejectedLine): void;
}

/**
 * The unterminated rest of a stream, as {@link LineFramer.dropRest} reports it.
 *
 * @example
 * ```ts
 * const rest: UnterminatedRest | undefined = framer.dropRest();
 * if (rest) console.warn(`closed mid-line: ${rest.bytes} bytes (${rest.preview})`);
 * ```
 */
export interface UnterminatedRest {
  /** Its first 256 bytes, decoded leniently. */
  readonly preview: string;
  /** Its length in bytes. */
  readonly bytes: number;
}

/**
 * Splits a byte stream into lines: delimiters and multi-byte characters split across chunks are
 * found, CRLF works with the default delimiter, over-long and invalid UTF-8 lines are rejected
 * with the reason, and every line tells how many bytes it took (for byte offsets).
 *
 * @example
 * ```ts
 * const framer = new LineFramer({ line: (text) => queue.push(text), reject: (r) => queue.push(`! ${r.reason}`) }, { maxLineBytes: 1024 });
 * socket.on('data', (chunk: Buffer) => framer.write(chunk));
 * socket.on('close', () => framer.flushAsLine()); // a last line without delimiter still counts
 * ```
 */
export class LineFramer {
  private readonly delimiter: Buffer;
  /** The delimiter as one byte, or -1 when it has more. */
  private readonly delimiterByte: number;
  private readonly maxLineBytes: number;
  /** Bytes a line may grow past the limit before its end shows whether they count (see append). */
  private readonly slack: number;
  private pending: Buffer[] = [];
  /** Bytes kept in `pending`. */
  private pendingBytes = 0;
  /** Bytes of an over-long line not kept (only its preview is). */
  private droppedBytes = 0;
  private overflowed = false;
  /** The last `delimiter.length - 1` bytes of the current line, to find a delimiter split across chunks. */
  private tail: Buffer = Buffer.alloc(0);
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

  constructor(
    private readonly handler: LineHandler,
    options: LineFramerOptions = {},
  ) {
    checkLineFramerOptions(options, 'LineFramer');
    this.delimiter = Buffer.from(options.delimiter ?? '\n', 'utf8');
    this.delimiterByte = this.delimiter.length === 1 ? this.delimiter[0]! : -1;
    this.maxLineBytes = options.maxLineBytes ?? 1 << 20;
    // A CRLF's `\r`, or the first bytes of a multi-byte delimiter that ends in the next chunk,
    // may sit at the end of a line that is within the limit: only its end tells.
    this.slack = this.delimiterByte === LF ? 1 : this.delimiter.length - 1;
  }

  /** Bytes received of the current, unterminated line. */
  get partialBytes(): number {
    return this.pendingBytes + this.droppedBytes;
  }

  /**
   * Frames the next chunk of the stream (a Buffer, or any Uint8Array: the public type needs no
   * Node typings). The framer may keep a view of it until the line ends.
   */
  write(bytes: Uint8Array): void {
    const chunk = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const d = this.delimiter.length;
    let start = 0;
    if (d > 1 && this.tail.length > 0) start = this.closeStraddlingLine(chunk);
    for (;;) {
      const at = this.delimiterByte >= 0 ? chunk.indexOf(this.delimiterByte, start) : chunk.indexOf(this.delimiter, start);
      if (at < 0) break;
      if (this.partialBytes === 0) this.closeLine(chunk.subarray(start, at), at - start + d);
      else {
        this.append(chunk.subarray(start, at));
        this.closePending(d);
      }
      start = at + d;
    }
    if (start < chunk.length) this.append(chunk.subarray(start));
  }

  /** The stream ended and its unterminated rest is a line: emits (or rejects) it, if there is one. */
  flushAsLine(): void {
    if (this.partialBytes > 0) this.closePending(0);
  }

  /**
   * The stream ended and its unterminated rest is not a line: forgets it and returns what it was
   * (for the caller to report), or undefined when the stream ended where a line did.
   */
  dropRest(): UnterminatedRest | undefined {
    const bytes = this.partialBytes;
    if (bytes === 0) return undefined;
    const preview = previewOf(Buffer.concat(this.pending));
    this.reset();
    return { preview, bytes };
  }

  /**
   * A delimiter that began at the end of the previous chunk may end in this one. Returns where
   * this chunk's own search starts: after the delimiter's last bytes, or 0.
   */
  private closeStraddlingLine(chunk: Buffer): number {
    const d = this.delimiter.length;
    const t = this.tail.length;
    const probe = Buffer.concat([this.tail, chunk.subarray(0, d - 1)]);
    const at = probe.indexOf(this.delimiter);
    if (at < 0 || at >= t) return 0; // none, or one that lies in the chunk: the search finds it
    this.dropLast(t - at);
    this.closePending(d);
    return at + d - t;
  }

  private append(bytes: Buffer): void {
    if (bytes.length === 0) return;
    if (this.delimiter.length > 1) this.rememberTail(bytes);
    if (this.overflowed || this.pendingBytes + bytes.length > this.maxLineBytes + this.slack) {
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

  private rememberTail(bytes: Buffer): void {
    const keep = this.delimiter.length - 1;
    const joined = this.tail.length === 0 ? bytes : Buffer.concat([this.tail, bytes]);
    this.tail = Buffer.from(joined.subarray(Math.max(0, joined.length - keep)));
  }

  /** Removes the last `n` bytes of the current line: the start of a delimiter split across chunks. */
  private dropLast(n: number): void {
    const fromDropped = Math.min(n, this.droppedBytes); // the kept bytes are the line's start
    this.droppedBytes -= fromDropped;
    let remaining = n - fromDropped;
    while (remaining > 0 && this.pending.length > 0) {
      const last = this.pending[this.pending.length - 1]!;
      const cut = Math.min(remaining, last.length);
      if (cut === last.length) this.pending.pop();
      else this.pending[this.pending.length - 1] = last.subarray(0, last.length - cut);
      this.pendingBytes -= cut;
      remaining -= cut;
    }
  }

  /** Ends the pending line; `delimiterBytes` is the delimiter's length, or 0 at the stream's end. */
  private closePending(delimiterBytes: number): void {
    const bytes = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    const overflowed = this.overflowed;
    const lineBytes = this.partialBytes;
    this.reset();
    if (overflowed) this.rejectTooLong(bytes, lineBytes, lineBytes + delimiterBytes);
    else this.closeLine(bytes, lineBytes + delimiterBytes);
  }

  /** Hands over one whole line (`bytes` without its delimiter, all kept). */
  private closeLine(bytes: Buffer, size: number): void {
    const lineBytes = bytes.length;
    let body = bytes;
    if (this.delimiterByte === LF && body.length > 0 && body[body.length - 1] === CR) body = body.subarray(0, body.length - 1);
    if (body.length > this.maxLineBytes) return this.rejectTooLong(bytes, lineBytes, size);
    let text: string;
    try {
      text = this.decoder.decode(body);
    } catch {
      const preview = previewOf(body);
      this.handler.reject({ preview, reason: 'invalid UTF-8', kind: 'invalid UTF-8', lineBytes, bytes: size });
      return;
    }
    this.handler.line(text, size);
  }

  private rejectTooLong(kept: Buffer, lineBytes: number, size: number): void {
    const reason = `line longer than ${this.maxLineBytes} bytes`;
    this.handler.reject({ preview: previewOf(kept), reason, kind: 'too long', lineBytes, bytes: size });
  }

  private reset(): void {
    this.pending = [];
    this.pendingBytes = 0;
    this.droppedBytes = 0;
    this.overflowed = false;
    if (this.tail.length > 0) this.tail = Buffer.alloc(0);
  }
}

/**
 * Throws a ConfigError naming `owner` for options a {@link LineFramer} cannot work with, so a
 * source can refuse them when it is built rather than when it runs.
 * @internal
 */
export function checkLineFramerOptions(options: LineFramerOptions, owner: string): void {
  if (options.delimiter !== undefined && options.delimiter.length === 0) throw new ConfigError(`${owner}: the line delimiter must not be empty`);
  const max = options.maxLineBytes;
  if (max !== undefined && !(Number.isSafeInteger(max) && max >= 1)) throw new ConfigError(`${owner}: maxLineBytes must be a whole number of at least 1 (got ${max})`);
}

function previewOf(bytes: Buffer): string {
  return bytes.toString('utf8', 0, Math.min(bytes.length, PREVIEW_BYTES));
}
