/**
 * The reader of {@link LineServerSource}: a `net` (or `tls`) server whose connections are framed
 * into lines (see LineFramer) and queued for the job. Connections beyond `maxConnections`, with a
 * wrong or oversized token or a failed TLS handshake are refused: closed, counted and reported
 * on the dead-letter output, never silently.
 *
 * Memory: before it authenticates, a connection may make the server hold its token line only,
 * at most 1 KiB (TokenLine). Every byte held (lines waiting for the job, unfinished lines,
 * unfinished token lines) is counted; ReadGate pauses the sockets when `maxBufferedBytes` or
 * `highWaterMark` lines are reached, and TCP flow control then slows the forwarders down.
 * @internal
 */
import { readFileSync } from 'node:fs';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { timingSafeEqual, createHash } from 'node:crypto';
import { createServer as createTlsServer } from 'node:tls';
import { LineFramer, type PollStatus, RecordQueue, SourceError, type SourceOutput, type SourceReader, type SourceReaderContext } from '@weir/core';
import type { ForwardedLine, LineServerSourceOptions, LineServerStats } from './line-server-types.js';
import { type GatedConnection, ReadGate } from './read-gate.js';
import { TOKEN_LINE_MAX_BYTES, TokenLine } from './token-line.js';

type Item = ForwardedLine | { readonly dead: unknown; readonly reason: string };

/** What the reader shares with its source (counters, the bound address, connection ids). */
export interface LineServerShared {
  readonly stats: LineServerStats;
  nextConnectionId: number;
  bound(address: { host: string; port: number } | undefined): void;
}

/** Default of `maxBufferedBytes`. */
export const DEFAULT_MAX_BUFFERED_BYTES = 64 << 20;

const sha = (s: Buffer): Buffer => createHash('sha256').update(s).digest();

export class LineServerReader implements SourceReader<ForwardedLine> {
  private readonly queue = new RecordQueue<Item>();
  /** Bytes of each queued item, in queue order. */
  private readonly queuedSizes = new RecordQueue<number>();
  private queuedBytes = 0;
  /** Sum of the connections' `held`. */
  private heldBytes = 0;
  private server: Server | undefined = undefined;
  private readonly connections = new Set<Connection>();
  private readonly gate: ReadGate;
  private closedConnections = 0;
  private readonly maxLineBytes: number;
  private readonly expectedTokenHash: Buffer | undefined;

  constructor(
    private readonly port: number,
    private readonly options: LineServerSourceOptions,
    private readonly shared: LineServerShared,
    private readonly ctx: SourceReaderContext,
  ) {
    this.maxLineBytes = options.maxLineBytes ?? 1 << 20;
    this.gate = new ReadGate(options.highWaterMark ?? 16_384, options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES, this.connections);
    this.expectedTokenHash = options.token === undefined ? undefined : sha(Buffer.from(options.token, 'utf8'));
  }

  async start(): Promise<void> {
    this.shared.stats.bufferedBytes = 0; // a restarted reader starts empty
    const host = this.options.host ?? '127.0.0.1';
    const server = this.options.tls ? this.tlsServer() : createServer((s) => this.accept(s));
    this.server = server;
    server.maxConnections = Number.MAX_SAFE_INTEGER; // we refuse ourselves, so refusals are counted
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, host, () => {
        server.off('error', reject);
        resolve();
      });
    }).catch((e: unknown) => {
      throw new SourceError(this.ctx.sourceName, `cannot listen on ${host}:${this.port}: ${(e as Error).message}`, { cause: e });
    });
    server.on('error', (e) => this.queue.fail(new SourceError(this.ctx.sourceName, `server failed: ${e.message}`, { cause: e })));
    const addr = server.address() as AddressInfo;
    this.shared.bound({ host: addr.address, port: addr.port });
  }

  pollNext(output: SourceOutput<ForwardedLine>, maxRecords: number): PollStatus {
    for (let n = 0; n < maxRecords; n++) {
      const item = this.queue.shift();
      if (item === undefined) break;
      this.queuedBytes -= this.queuedSizes.shift()!;
      if ('line' in item) output.collect(item);
      else output.deadLetter({ input: item.dead, reason: item.reason });
    }
    this.bufferChanged();
    return this.queue.pollStatus();
  }

  isAvailable(): Promise<void> {
    return this.queue.whenAvailable();
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.socket.destroy();
    const server = this.server;
    this.server = undefined;
    this.shared.bound(undefined);
    if (server?.listening) await new Promise<void>((r) => server.close(() => r()));
  }

  private tlsServer(): Server {
    const tls = this.options.tls!;
    const server = createTlsServer({ cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) }, (s) => this.accept(s));
    server.on('tlsClientError', (e, s) => {
      this.shared.stats.accepted++;
      this.refuse(s, remoteOf(s), `TLS handshake failed: ${e.message}`, false);
    });
    return server;
  }

  private accept(socket: Socket): void {
    const stats = this.shared.stats;
    stats.accepted++;
    const remote = remoteOf(socket);
    socket.on('error', () => {}); // a reset peer is a close, handled below
    const limit = this.options.maxConnections ?? 1024;
    if (stats.open >= limit) {
      this.refuse(socket, remote, `too many connections (maxConnections ${limit})`, false);
      return;
    }
    stats.open++;
    const conn = new Connection(socket, remote, this.shared.nextConnectionId++, this.options.token === undefined ? undefined : new TokenLine());
    conn.framer = new LineFramer(
      {
        line: (line, bytes) => this.onLine(conn, line, bytes),
        reject: ({ preview, reason }) => {
          conn.linesEnded++;
          this.deadLetter({ remote, connectionId: conn.id, preview }, reason);
        },
      },
      { maxLineBytes: this.maxLineBytes },
    );
    this.connections.add(conn);
    this.gate.admit(conn);
    if (conn.token !== undefined) {
      const ms = this.options.tokenTimeoutMs ?? 10_000;
      conn.timer = setTimeout(() => this.refuseConnection(conn, `no token within ${ms} ms`), ms);
    }
    socket.on('data', (chunk: Buffer) => this.onData(conn, chunk));
    socket.once('close', () => this.onClose(conn));
  }

  private onData(conn: Connection, chunk: Buffer): void {
    if (conn.refused) return;
    let data = chunk;
    if (conn.token !== undefined) {
      const r = conn.token.write(chunk);
      if (r.status === 'too long') return this.refuseConnection(conn, `token line longer than ${TOKEN_LINE_MAX_BYTES} bytes`);
      if (r.status === 'incomplete') return this.setHeld(conn, conn.token.held);
      if (!timingSafeEqual(sha(r.token), this.expectedTokenHash!)) return this.refuseConnection(conn, 'wrong token');
      clearTimeout(conn.timer);
      conn.token = undefined; // authorised; the token line itself is not emitted
      conn.linesEnded++;
      data = r.rest;
    }
    this.frame(conn, data);
    this.setHeld(conn, Math.min(conn.framer.partialBytes, this.maxLineBytes));
  }

  /**
   * Frames a chunk. The bytes after its last `\n` are copied before the framer keeps them: a
   * subarray would keep the whole socket read (up to 64 KiB) alive for a few bytes of a line.
   */
  private frame(conn: Connection, data: Buffer): void {
    const lastNl = data.lastIndexOf(10);
    if (lastNl < 0 || lastNl === data.length - 1) conn.framer.write(data);
    else {
      conn.framer.write(data.subarray(0, lastNl + 1));
      conn.framer.write(Buffer.from(data.subarray(lastNl + 1)));
    }
  }

  private onLine(conn: Connection, line: string, bytes: number): void {
    conn.linesEnded++;
    this.shared.stats.lines++;
    this.push({ line, remote: conn.remote, connectionId: conn.id }, bytes);
  }

  private onClose(conn: Connection): void {
    clearTimeout(conn.timer);
    this.connections.delete(conn);
    this.shared.stats.open--;
    this.setHeld(conn, 0);
    if (!conn.refused && conn.token === undefined && conn.framer.partialBytes > 0) {
      if (this.options.unterminatedLastLine === 'emit') conn.framer.flushAsLine();
      else {
        const rest = conn.framer.dropRest()!;
        this.deadLetter({ remote: conn.remote, connectionId: conn.id, preview: rest.preview }, `connection closed mid-line: ${rest.bytes} bytes after the last line end`);
      }
    } else if (!conn.refused && conn.token !== undefined) {
      this.refuse(undefined, conn.remote, 'closed before sending the token', true);
    }
    this.bufferChanged();
    this.connectionClosed();
  }

  private refuseConnection(conn: Connection, reason: string): void {
    clearTimeout(conn.timer);
    conn.refused = true;
    conn.token?.drop();
    this.setHeld(conn, 0);
    this.refuse(conn.socket, conn.remote, reason, true);
  }

  /**
   * Refuses a connection: counts it, reports it on the dead-letter output, closes the socket.
   * `admitted`: it has a Connection, whose close handler counts its end.
   */
  private refuse(socket: Socket | undefined, remote: string, reason: string, admitted: boolean): void {
    const stats = this.shared.stats;
    stats.refused++;
    stats.refusedByReason[reason] = (stats.refusedByReason[reason] ?? 0) + 1;
    this.deadLetter({ remote }, `connection refused: ${reason}`);
    this.bufferChanged();
    if (socket === undefined) return;
    socket.destroy();
    if (!admitted) this.connectionClosed();
  }

  private connectionClosed(): void {
    this.closedConnections++;
    const endAfter = this.options.endAfterConnections;
    if (endAfter !== undefined && this.closedConnections >= endAfter && this.connections.size === 0) this.queue.end();
  }

  private deadLetter(input: Readonly<Record<string, unknown>>, reason: string): void {
    this.shared.stats.deadLetters++;
    // A dead letter holds no more than a preview (up to 256 bytes) of what was received.
    this.push({ dead: input, reason }, typeof input.preview === 'string' ? input.preview.length : 0);
  }

  private push(item: Item, bytes: number): void {
    this.queue.push(item);
    this.queuedSizes.push(bytes);
    this.queuedBytes += bytes;
  }

  private setHeld(conn: Connection, held: number): void {
    this.heldBytes += held - conn.held;
    conn.held = held;
    this.bufferChanged();
  }

  /** Publishes the bytes held and lets the gate pause or resume sockets. */
  private bufferChanged(): void {
    const stats = this.shared.stats;
    const buffered = this.queuedBytes + this.heldBytes;
    stats.bufferedBytes = buffered;
    if (buffered > stats.peakBufferedBytes) stats.peakBufferedBytes = buffered;
    this.gate.update(this.queue.length, buffered);
  }
}

/** One admitted connection's state. */
class Connection implements GatedConnection {
  refused = false;
  timer: NodeJS.Timeout | undefined = undefined;
  held = 0;
  linesEnded = 0;
  reading = true;
  framer!: LineFramer;
  constructor(
    readonly socket: Socket,
    readonly remote: string,
    readonly id: number,
    /** The token line being read; undefined once authorised (or when no token is required). */
    public token: TokenLine | undefined,
  ) {}

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }
}

function remoteOf(socket: Socket): string {
  const a = socket.remoteAddress ?? 'unknown';
  return `${a.includes(':') ? `[${a}]` : a}:${socket.remotePort ?? 0}`;
}
