/**
 * The reader of {@link LineServerSource}: a `net` (or `tls`) server whose connections are framed
 * into lines (see LineFramer) and queued for the job. Connections beyond `maxConnections`, with a
 * wrong token or a failed TLS handshake are refused: closed, counted and reported on the
 * dead-letter output, never silently. When too many lines wait, every socket is paused until
 * the job has drained half of them (TCP flow control then slows the forwarders down).
 * @internal
 */
import { readFileSync } from 'node:fs';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { timingSafeEqual, createHash } from 'node:crypto';
import { createServer as createTlsServer } from 'node:tls';
import { PollStatus, SourceError, type SourceOutput, type SourceReader, type SourceReaderContext } from '@weir/core';
import { LineFramer } from '../common/line-framer.js';
import { RecordQueue } from '../common/record-queue.js';
import type { ForwardedLine, LineServerSourceOptions, LineServerStats } from './line-server-types.js';

type Item = ForwardedLine | { readonly dead: unknown; readonly reason: string };

/** What the reader shares with its source (counters, the bound address, connection ids). */
export interface LineServerShared {
  readonly stats: LineServerStats;
  nextConnectionId: number;
  bound(address: { host: string; port: number } | undefined): void;
}

const sha = (s: string): Buffer => createHash('sha256').update(s).digest();

export class LineServerReader implements SourceReader<ForwardedLine> {
  private readonly queue = new RecordQueue<Item>();
  private server: Server | undefined = undefined;
  private readonly sockets = new Set<Socket>();
  private paused = false;
  private closedConnections = 0;
  private readonly highWater: number;

  constructor(
    private readonly port: number,
    private readonly options: LineServerSourceOptions,
    private readonly shared: LineServerShared,
    private readonly ctx: SourceReaderContext,
  ) {
    this.highWater = options.highWaterMark ?? 16_384;
  }

  async start(): Promise<void> {
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
      if ('line' in item) output.collect(item);
      else output.deadLetter({ input: item.dead, reason: item.reason });
    }
    if (this.paused && this.queue.length <= this.highWater / 2) this.setPaused(false);
    this.queue.throwIfFailed();
    if (this.queue.length > 0) return PollStatus.MORE_AVAILABLE;
    return this.queue.ended ? PollStatus.END_OF_INPUT : PollStatus.NOTHING_AVAILABLE;
  }

  isAvailable(): Promise<void> {
    return this.queue.whenAvailable();
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
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
      this.refuse(s, remoteOf(s), `TLS handshake failed: ${e.message}`);
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
      this.refuse(socket, remote, `too many connections (maxConnections ${limit})`);
      return;
    }
    stats.open++;
    this.sockets.add(socket);
    if (this.paused) socket.pause();
    const conn = new Connection(socket, remote, this.shared.nextConnectionId++, this.options.token === undefined);
    if (!conn.authorised) {
      const ms = this.options.tokenTimeoutMs ?? 10_000;
      conn.timer = setTimeout(() => this.refuseConnection(conn, `no token within ${ms} ms`), ms);
    }
    const framer = new LineFramer(this.options.maxLineBytes ?? 1 << 20, {
      line: (line) => this.onLine(conn, line),
      reject: (preview, reason) => {
        if (conn.refused) return;
        if (!conn.authorised) this.refuseConnection(conn, `wrong token (${reason})`);
        else this.deadLetter({ remote, connectionId: conn.id, preview }, reason);
      },
    });
    socket.on('data', (chunk: Buffer) => framer.write(chunk));
    socket.once('close', () => this.onClose(conn, framer));
  }

  private onLine(conn: Connection, line: string): void {
    if (conn.refused) return;
    if (conn.authorised) {
      this.shared.stats.lines++;
      this.push({ line, remote: conn.remote, connectionId: conn.id });
    } else if (tokenMatches(line, this.options.token!)) {
      clearTimeout(conn.timer);
      conn.authorised = true; // the token line itself is not emitted
    } else this.refuseConnection(conn, 'wrong token');
  }

  private onClose(conn: Connection, framer: LineFramer): void {
    clearTimeout(conn.timer);
    this.sockets.delete(conn.socket);
    this.shared.stats.open--;
    if (!conn.refused && conn.authorised && framer.partialBytes > 0) {
      if (this.options.unterminatedLastLine === 'emit') framer.flushAsLine();
      else {
        const rest = framer.end()!;
        this.deadLetter({ remote: conn.remote, connectionId: conn.id, preview: rest.preview }, `connection closed mid-line: ${rest.bytes} bytes after the last line end`);
      }
    } else if (!conn.refused && !conn.authorised) {
      this.refuse(undefined, conn.remote, 'closed before sending the token');
    }
    this.connectionClosed();
  }

  private refuseConnection(conn: Connection, reason: string): void {
    clearTimeout(conn.timer);
    conn.refused = true;
    this.refuse(conn.socket, conn.remote, reason);
  }

  /** Refuses a connection: counts it, reports it on the dead-letter output, closes the socket. */
  private refuse(socket: Socket | undefined, remote: string, reason: string): void {
    const stats = this.shared.stats;
    stats.refused++;
    stats.refusedByReason[reason] = (stats.refusedByReason[reason] ?? 0) + 1;
    this.deadLetter({ remote }, `connection refused: ${reason}`);
    if (socket === undefined) return;
    socket.destroy();
    // Sockets never admitted have no close handler of ours: count their end here.
    if (!this.sockets.has(socket)) this.connectionClosed();
  }

  private connectionClosed(): void {
    this.closedConnections++;
    const endAfter = this.options.endAfterConnections;
    if (endAfter !== undefined && this.closedConnections >= endAfter && this.sockets.size === 0) this.queue.end();
  }

  private deadLetter(input: unknown, reason: string): void {
    this.shared.stats.deadLetters++;
    this.push({ dead: input, reason });
  }

  private push(item: Item): void {
    this.queue.push(item);
    if (!this.paused && this.queue.length >= this.highWater) this.setPaused(true);
  }

  private setPaused(paused: boolean): void {
    this.paused = paused;
    for (const s of this.sockets) paused ? s.pause() : s.resume();
  }
}

/** One admitted connection's state. */
class Connection {
  refused = false;
  timer: NodeJS.Timeout | undefined = undefined;
  constructor(
    readonly socket: Socket,
    readonly remote: string,
    readonly id: number,
    public authorised: boolean,
  ) {}
}

function remoteOf(socket: Socket): string {
  const a = socket.remoteAddress ?? 'unknown';
  return `${a.includes(':') ? `[${a}]` : a}:${socket.remotePort ?? 0}`;
}

/** Constant-time comparison (hashing first makes the lengths equal). */
function tokenMatches(given: string, expected: string): boolean {
  return timingSafeEqual(sha(given), sha(expected));
}
