/**
 * Which connections of a LineServerSource may read from their sockets (backpressure). Two
 * bounds, each with hysteresis (reading pauses when the bound is reached and resumes at half of
 * it, so sockets are not toggled on every line): the lines waiting for the job
 * (`highWaterMark`) and the bytes held (`maxBufferedBytes`: lines waiting for the job, plus every
 * connection's unfinished line and unfinished token line). A paused socket is not read, so TCP
 * flow control slows its forwarder down; nothing is dropped.
 *
 * Pausing on bytes alone could deadlock: when unfinished lines fill the budget, nothing waits for
 * the job, so nothing drains, and no connection may read the rest of its line. Then one
 * connection, the one holding the most, reads on until one of its lines ends (or it closes), and
 * pauses again; its line goes to the job and frees its bytes. The budget is thus exceeded by at
 * most one line (maxLineBytes) and two socket reads (the one that reached it, and the one that
 * ended the finishing line, which may hold further lines). The catch: if that forwarder stops
 * sending mid-line, the others wait for it (or for it to disconnect).
 *
 * Example: budget 256 KiB, 40 connections each 30 KiB into a line. Reading pauses at about
 * 256 KiB; nothing waits for the job, so the largest holder reads the end of its line, the job
 * takes the line, the next largest holder goes on, ...; at 128 KiB held every connection reads
 * again.
 * @internal
 */

/** A connection as the gate sees it. */
export interface GatedConnection {
  /** Bytes this connection makes the server hold now (its unfinished line or token line). */
  readonly held: number;
  /** Lines (token line included) that ended on this connection so far. */
  readonly linesEnded: number;
  /** Whether its socket reads; changed by the gate only. */
  reading: boolean;
  pause(): void;
  resume(): void;
}

export class ReadGate {
  private overLines = false;
  private overBytes = false;
  private paused = false;
  /** The connection let through to finish its line while unfinished lines fill the budget. */
  private finisher: GatedConnection | undefined = undefined;
  private finisherLinesEnded = 0;

  constructor(
    private readonly maxQueuedLines: number,
    private readonly maxBufferedBytes: number,
    private readonly connections: ReadonlySet<GatedConnection>,
  ) {}

  /** A new connection: it reads unless reading is paused. */
  admit(c: GatedConnection): void {
    c.reading = !this.paused;
    if (!c.reading) c.pause();
  }

  /** Re-decides after anything changed: a read, a poll by the job, a close. */
  update(queuedItems: number, bufferedBytes: number): void {
    this.overLines = this.overLines ? queuedItems > this.maxQueuedLines / 2 : queuedItems >= this.maxQueuedLines;
    this.overBytes = this.overBytes ? bufferedBytes > this.maxBufferedBytes / 2 : bufferedBytes >= this.maxBufferedBytes;
    const paused = this.overLines || this.overBytes;
    let finisher = this.finisher;
    if (finisher !== undefined && (!paused || finisher.linesEnded !== this.finisherLinesEnded || !this.connections.has(finisher))) finisher = undefined;
    // Only when nothing waits for the job can nothing else free bytes.
    if (paused && finisher === undefined && queuedItems === 0) finisher = this.largestHolder();
    if (paused === this.paused && finisher === this.finisher) return;
    this.paused = paused;
    this.finisher = finisher;
    this.finisherLinesEnded = finisher?.linesEnded ?? 0;
    for (const c of this.connections) {
      const read = !paused || c === finisher;
      if (c.reading === read) continue;
      c.reading = read;
      if (read) c.resume();
      else c.pause();
    }
  }

  private largestHolder(): GatedConnection | undefined {
    let best: GatedConnection | undefined = undefined;
    for (const c of this.connections) if (c.held > 0 && (best === undefined || c.held > best.held)) best = c;
    return best;
  }
}
