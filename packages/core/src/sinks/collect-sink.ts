/**
 * `collect()`: gathers a stream's output in memory for the caller to read after `execute()`.
 *
 * Without checkpoints every record is visible at once. With checkpoints the sink is
 * transactional like any exactly-once sink: records become visible when the checkpoint that
 * covers them completes (and at the end of the job), so after restarts `items()` holds exactly
 * the output of a run that never failed.
 */
import type { Sink, SinkContext, SinkWriter } from '../contract/sink.js';

interface Batch<T> {
  readonly txn: string;
  readonly items: T[];
}

/**
 * The result handle of `stream.collect()`.
 *
 * @example
 * ```ts
 * const out = env.fromElements(1, 2, 3).map((x) => x * 2).collect();
 * await env.execute();
 * out.items(); // [2, 4, 6]
 * ```
 */
export class CollectHandle<T> {
  private readonly committed: T[] = [];
  private readonly timestamps: number[] = [];
  private readonly committedTxns = new Set<string>();

  /** The collected elements, in arrival order. */
  items(): T[] {
    return this.committed.slice();
  }

  /** The collected elements with their timestamps. */
  records(): Array<{ value: T; timestamp: number }> {
    return this.committed.map((value, i) => ({ value, timestamp: this.timestamps[i]! }));
  }

  /** @internal */
  append(value: T, timestamp: number): void {
    this.committed.push(value);
    this.timestamps.push(timestamp);
  }

  /** @internal Idempotent per transaction id. */
  commit(batch: Batch<T>, timestamps: readonly number[]): void {
    if (this.committedTxns.has(batch.txn)) return;
    this.committedTxns.add(batch.txn);
    batch.items.forEach((v, i) => this.append(v, timestamps[i]!));
  }
}

interface Committable<T> {
  readonly batch: Batch<T>;
  readonly timestamps: number[];
}

let runCounter = 0;

/** The sink behind `collect()`. @internal */
export class CollectSink<T> implements Sink<T, Committable<T>> {
  readonly name = 'Collect Sink';
  constructor(readonly handle: CollectHandle<T>) {}

  createWriter(ctx: SinkContext): SinkWriter<T, Committable<T>> {
    const handle = this.handle;
    if (!ctx.checkpointing) return { write: (v, ts) => handle.append(v, ts) };
    const run = `${process.pid}-${++runCounter}`;
    let items: T[] = [];
    let timestamps: number[] = [];
    return {
      write(v, ts) {
        items.push(v);
        timestamps.push(ts);
      },
      prepareCommit(checkpointId) {
        const c = { batch: { txn: `${run}:${checkpointId}`, items }, timestamps };
        items = [];
        timestamps = [];
        return c;
      },
    };
  }

  commit(committables: readonly Committable<T>[]): void {
    for (const c of committables) this.handle.commit(c.batch, c.timestamps);
  }
}
