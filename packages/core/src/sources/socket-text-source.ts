/**
 * `socketTextStream(host, port, delimiter)`: a TCP client reading delimited lines (Flink's
 * `SocketTextStreamFunction`). Lines split across TCP chunks are reassembled; a line longer than
 * `maxLineBytes` or not valid UTF-8 goes to the dead-letter side output with the reason.
 *
 * Guarantee: at-most-once. TCP cannot be replayed, so lines received after the last checkpoint
 * are lost in a crash. The source ends when the peer closes the connection, unless a reconnect
 * policy is given, in which case it reconnects (up to `maxRetries` times, `delayMs` apart).
 */
import { Socket } from 'node:net';
import { SourceError } from '../errors.js';
import { checkLineFramerOptions, LineFramer } from './line-framer.js';
import { RecordQueue } from './record-queue.js';
import type { PollStatus, Source, SourceOutput, SourceReader, SourceReaderContext } from '../contract/source.js';

/**
 * Options of {@link SocketTextSource}.
 *
 * @example
 * ```ts
 * new SocketTextSource('127.0.0.1', 9999, { delimiter: '\n', maxLineBytes: 64 * 1024, reconnect: { maxRetries: 10, delayMs: 1000 } });
 * ```
 */
export interface SocketTextSourceOptions {
  /** Line delimiter, default `'\n'` (a trailing `\r` is removed, so CRLF works too). */
  readonly delimiter?: string;
  /** Longer lines go to the dead-letter output (a CRLF's `\r` not counted). Default 1 MiB. */
  readonly maxLineBytes?: number;
  /** Reconnect after the connection closes or fails. Default: none (the source ends). */
  readonly reconnect?: { readonly maxRetries: number; readonly delayMs: number };
}

type Item = { line: string } | { reject: string; reason: string };

class SocketTextReader implements SourceReader<string> {
  private readonly queue = new RecordQueue<Item>();
  private socket: Socket | undefined = undefined;
  private retries = 0;
  private closed = false;
  private connectedOnce = false;
  private reconnectTimer: NodeJS.Timeout | undefined = undefined;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly options: SocketTextSourceOptions,
    private readonly ctx: SourceReaderContext,
  ) {}

  start(): void {
    this.connect();
  }

  pollNext(output: SourceOutput<string>, maxRecords: number): PollStatus {
    for (let n = 0; n < maxRecords; n++) {
      const item = this.queue.shift();
      if (item === undefined) break;
      if ('line' in item) output.collect(item.line);
      else output.deadLetter({ input: item.reject, reason: item.reason });
    }
    return this.queue.pollStatus();
  }

  isAvailable(): Promise<void> {
    return this.queue.whenAvailable();
  }

  close(): void {
    this.closed = true;
    if (this.reconnectTimer !== undefined) clearTimeout(this.reconnectTimer);
    this.socket?.destroy();
  }

  private connect(): void {
    this.reconnectTimer = undefined;
    if (this.closed || this.ctx.signal.aborted) return this.queue.end();
    const socket = new Socket();
    this.socket = socket;
    const framer = new LineFramer(
      { line: (line) => this.queue.push({ line }), reject: (r) => this.queue.push({ reject: r.preview, reason: r.reason }) },
      { delimiter: this.options.delimiter, maxLineBytes: this.options.maxLineBytes },
    );
    socket.on('connect', () => {
      this.connectedOnce = true;
      this.retries = 0;
    });
    socket.on('data', (chunk: Buffer) => framer.write(chunk));
    let ended = false;
    const onGone = (error?: Error) => {
      if (ended) return;
      ended = true;
      framer.flushAsLine(); // Flink emits a last line without delimiter too
      if (this.closed || this.ctx.signal.aborted) return this.queue.end();
      const policy = this.options.reconnect;
      if (policy && this.retries < policy.maxRetries) {
        this.retries++;
        this.reconnectTimer = setTimeout(() => this.connect(), policy.delayMs);
        this.reconnectTimer.unref?.();
        return;
      }
      if (error && !this.connectedOnce) {
        this.queue.fail(new SourceError(this.ctx.sourceName, `cannot connect to ${this.host}:${this.port}: ${error.message}`, { cause: error }));
      } else this.queue.end();
    };
    socket.on('error', (e) => onGone(e));
    socket.on('close', () => onGone());
    socket.connect(this.port, this.host);
  }
}

/**
 * Reads delimited text lines from a TCP server (e.g. `nc -lk 9999`). At-most-once.
 *
 * @example
 * ```ts
 * env.fromSource(new SocketTextSource('localhost', 9999, { reconnect: { maxRetries: 10, delayMs: 1000 } }));
 * ```
 */
export class SocketTextSource implements Source<string> {
  readonly bounded = false;
  readonly replayable = false;
  readonly timestamps = 'ingestion' as const;
  readonly name: string;
  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly options: SocketTextSourceOptions = {},
  ) {
    checkLineFramerOptions(options, 'SocketTextSource');
    this.name = `Socket Stream ${host}:${port}`;
  }
  createReader(ctx: SourceReaderContext): SourceReader<string> {
    return new SocketTextReader(this.host, this.port, this.options, ctx);
  }
}
