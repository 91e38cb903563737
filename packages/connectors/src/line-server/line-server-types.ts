/**
 * Types of {@link LineServerSource}: its options, the record it emits, and its counters.
 */

/**
 * One line received by a {@link LineServerSource}, with the connection it came on.
 *
 * @example
 * ```ts
 * lines.map((r: ForwardedLine) => `${r.remote}#${r.connectionId}: ${r.line}`);
 * ```
 */
export interface ForwardedLine {
  /** The line without its `\n` (or `\r\n`). */
  readonly line: string;
  /** The peer, `address:port` (e.g. `127.0.0.1:53122`). */
  readonly remote: string;
  /** Numbers connections of this source in accept order, from 1; unique for the source's life. */
  readonly connectionId: number;
}

/**
 * Options of {@link LineServerSource}.
 *
 * @example
 * ```ts
 * const options: LineServerSourceOptions = { token: process.env.FORWARDER_TOKEN, maxConnections: 64, maxLineBytes: 65_536 };
 * ```
 */
export interface LineServerSourceOptions {
  /** Interface to bind. Default `127.0.0.1` (loopback only); give `0.0.0.0` to accept remote forwarders. */
  readonly host?: string;
  /**
   * Shared secret a forwarder sends as its connection's first line (that line is not emitted).
   * Connections with a wrong or missing token are refused and counted.
   */
  readonly token?: string;
  /** How long a connection may take to send its token, ms. Default 10 000. */
  readonly tokenTimeoutMs?: number;
  /** Serve TLS with this certificate and key (PEM file paths). */
  readonly tls?: { readonly certFile: string; readonly keyFile: string };
  /** Connections open at once; further ones are refused and counted. Default 1024. */
  readonly maxConnections?: number;
  /** Longer lines go to the dead-letter output. Default 1 MiB. */
  readonly maxLineBytes?: number;
  /**
   * What to do with bytes after the last `\n` when a connection closes: `'dead-letter'` (default:
   * a forwarder that dies mid-write leaves a fragment, which is reported, not passed off as a
   * line) or `'emit'` (treat it as a last line, like `socketTextStream`).
   */
  readonly unterminatedLastLine?: 'dead-letter' | 'emit';
  /**
   * End the source once this many connections were accepted and have closed (a one-shot ingest,
   * or a test). Default: never end.
   */
  readonly endAfterConnections?: number;
  /** Pause reading from sockets while this many lines wait for the job. Default 16 384. */
  readonly highWaterMark?: number;
}

/**
 * Counters of a {@link LineServerSource}, over the source's life (all run attempts).
 *
 * @example
 * ```ts
 * const { accepted, refused, refusedByReason } = source.stats();
 * ```
 */
export interface LineServerStats {
  /** Connections accepted (including those refused later for a bad token). */
  accepted: number;
  /** Connections refused, by reason. */
  refused: number;
  readonly refusedByReason: Record<string, number>;
  /** Connections open now. */
  open: number;
  /** Lines emitted. */
  lines: number;
  /** Lines and fragments sent to the dead-letter output. */
  deadLetters: number;
}
