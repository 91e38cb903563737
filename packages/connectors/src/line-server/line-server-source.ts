/**
 * `LineServerSource`: a TCP server that many log forwarders connect to at once
 * (`tail -f app.log | nc 127.0.0.1 5170`, Fluentd's or Logstash's TCP output, `socat`), one
 * line an element, each with the connection it came on.
 *
 * Guarantee: at-most-once. TCP cannot be replayed and the forwarders do not wait for a
 * checkpoint, so lines received after the last checkpoint are lost in a crash. Everything else
 * is reported, never dropped silently: oversized lines, invalid UTF-8 and a fragment left by a
 * forwarder that died mid-line go to the dead-letter output with the reason; refused
 * connections (over `maxConnections`, wrong, missing or oversized token, failed TLS handshake)
 * are counted in {@link LineServerSource.stats} and reported on the dead-letter output too.
 *
 * Memory is bounded: a connection that has not sent its token makes the server hold 1 KiB at
 * most, and the bytes held across connections stay near `maxBufferedBytes` (reading pauses
 * there; see {@link LineServerSourceOptions.maxBufferedBytes}).
 */
import { ConfigError, type Source, type SourceReader, type SourceReaderContext } from '@weir/core';
import { LineServerReader, type LineServerShared } from './line-server-reader.js';
import type { ForwardedLine, LineServerSourceOptions, LineServerStats } from './line-server-types.js';
import { TOKEN_LINE_MAX_BYTES } from './token-line.js';

/**
 * A TCP server source of forwarded lines. Binds 127.0.0.1 unless `host` says otherwise.
 *
 * @example
 * ```ts
 * // forwarders: tail -F /var/log/app.log | nc 127.0.0.1 5170
 * const logs = new LineServerSource(5170, { maxConnections: 64, maxLineBytes: 64 * 1024 });
 * const lines = env.fromSource(logs);
 * lines.filter((r) => r.line.includes('ERROR')).map((r) => `${r.remote}: ${r.line}`).print();
 * lines.getSideOutput(DEAD_LETTERS).print('rejected');
 * await env.execute('log intake');
 * ```
 */
export class LineServerSource implements Source<ForwardedLine> {
  readonly bounded: boolean;
  readonly replayable = false;
  readonly name: string;
  private readonly counters: LineServerStats = { accepted: 0, refused: 0, refusedByReason: {}, open: 0, lines: 0, deadLetters: 0, bufferedBytes: 0, peakBufferedBytes: 0 };
  private address: { host: string; port: number } | undefined = undefined;
  private waiters: Array<(a: { host: string; port: number }) => void> = [];
  private readonly shared: LineServerShared;

  /**
   * @param port TCP port; 0 picks a free one (read it with {@link LineServerSource.listening}).
   */
  constructor(
    private readonly port: number,
    private readonly options: LineServerSourceOptions = {},
  ) {
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`LineServerSource: port must be an integer in 0..65535 (got ${port})`);
    if (options.maxConnections !== undefined && !(options.maxConnections >= 1)) throw new ConfigError(`LineServerSource: maxConnections must be at least 1`);
    if (options.maxLineBytes !== undefined && !(options.maxLineBytes >= 1)) throw new ConfigError(`LineServerSource: maxLineBytes must be at least 1`);
    if (options.maxBufferedBytes !== undefined && !(options.maxBufferedBytes >= 1)) throw new ConfigError(`LineServerSource: maxBufferedBytes must be at least 1`);
    if (options.token !== undefined && options.token.length === 0) throw new ConfigError('LineServerSource: token must not be empty');
    if (options.token !== undefined && Buffer.byteLength(options.token) >= TOKEN_LINE_MAX_BYTES) {
      throw new ConfigError(`LineServerSource: the token must be at most ${TOKEN_LINE_MAX_BYTES - 1} bytes (its line is capped at ${TOKEN_LINE_MAX_BYTES} bytes before authentication)`);
    }
    this.bounded = options.endAfterConnections !== undefined;
    this.name = `Line Server ${options.host ?? '127.0.0.1'}:${port}`;
    const self = this;
    this.shared = {
      stats: this.counters,
      nextConnectionId: 1,
      bound(address) {
        self.address = address;
        if (address) for (const w of self.waiters.splice(0)) w(address);
      },
    };
  }

  /**
   * Resolves with the bound address once the server listens (at every run attempt).
   *
   * @example
   * ```ts
   * const src = new LineServerSource(0);
   * env.fromSource(src).print();
   * const job = env.execute();
   * const { port } = await src.listening();
   * ```
   */
  listening(): Promise<{ host: string; port: number }> {
    if (this.address) return Promise.resolve(this.address);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /**
   * Counters over the source's life: accepted, refused (by reason), open connections, lines,
   * dead letters.
   *
   * @example
   * ```ts
   * const { refused, refusedByReason } = src.stats();
   * ```
   */
  stats(): Readonly<LineServerStats> {
    return { ...this.counters, refusedByReason: { ...this.counters.refusedByReason } };
  }

  /** @internal */
  createReader(ctx: SourceReaderContext): SourceReader<ForwardedLine> {
    return new LineServerReader(this.port, this.options, this.shared, ctx);
  }
}
