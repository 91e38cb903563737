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
   * Connections with a wrong or missing token are refused and counted. At most 1023 bytes: the
   * token line (a `\r` included) is capped at 1 KiB, and a connection whose first line is longer
   * is refused as soon as it is over, so that a peer that has not authenticated can make the
   * server hold 1 KiB at most.
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
  /**
   * Bound on the bytes held across all connections: lines waiting for the job, unfinished lines
   * and unfinished token lines. When it is reached, sockets stop being read (backpressure: TCP
   * flow control slows the forwarders down, nothing is dropped) until half of it is left. It
   * can be exceeded by the socket read that reached it (up to 64 KiB) and, when unfinished lines
   * alone fill it, by one line (`maxLineBytes`) and one more read: the connection holding the
   * most is then let through until its line ends, so that the buffer can drain.
   * Default 64 MiB.
   */
  readonly maxBufferedBytes?: number;
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
  /** Bytes held now (lines waiting for the job, unfinished lines and token lines); see `maxBufferedBytes`. */
  bufferedBytes: number;
  /** The most bytes held at once over the source's life. */
  peakBufferedBytes: number;
}
