/**
 * Sinks of `runPipeline`. `RecordingSink` is transactional like weir's `collect()` (records become
 * visible when the checkpoint covering them completes, or at the end of the job), but its store
 * outlives one StreamEnvironment, so that the output of a crashed run and of the run restored
 * from its checkpoint add up to one exactly-once output; commits are idempotent per transaction.
 * `WatermarkRecorder` writes down every watermark the source's stream carries.
 * @internal
 */
import type { Sink, SinkWriter } from '@weir/core';
import type { TimestampedValue } from './canonical-order.js';
import type { ReplayState } from './replay-source.js';

export class RecordStore<T> {
  readonly records: TimestampedValue<T>[] = [];
  private readonly committed = new Set<string>();
  commit(txn: string, batch: readonly TimestampedValue<T>[]): void {
    if (this.committed.has(txn)) return;
    this.committed.add(txn);
    for (const r of batch) this.records.push(r);
  }
}

interface Committable<T> {
  readonly txn: string;
  readonly batch: TimestampedValue<T>[];
}

let attempts = 0;

export class RecordingSink<T> implements Sink<T, Committable<T>> {
  readonly name: string;
  constructor(
    private readonly store: RecordStore<T>,
    name: string,
  ) {
    this.name = name;
  }
  createWriter(): SinkWriter<T, Committable<T>> {
    const attempt = ++attempts;
    let batch: TimestampedValue<T>[] = [];
    return {
      write(value, timestamp) {
        batch.push({ value, timestamp });
      },
      prepareCommit(checkpointId) {
        const c = { txn: `${attempt}:${checkpointId}`, batch };
        batch = [];
        return c;
      },
    };
  }
  commit(committables: readonly Committable<T>[]): void {
    for (const c of committables) this.store.commit(c.txn, c.batch);
  }
}

/**
 * One step of the watermark trace: the watermark of the events' stream (after the timestamp
 * assigner) and how many events had been emitted when it was issued.
 *
 * @example
 * ```ts
 * const step: WatermarkStep = { watermark: 8999, afterEvents: 3 };
 * ```
 */
export interface WatermarkStep {
  readonly watermark: number;
  readonly afterEvents: number;
}

export class WatermarkRecorder implements Sink<unknown> {
  readonly name = 'runPipeline watermarks';
  constructor(
    private readonly trace: WatermarkStep[],
    private readonly state: ReplayState,
  ) {}
  createWriter(): SinkWriter<unknown> {
    const { trace, state } = this;
    return {
      write() {},
      writeWatermark(watermark) {
        trace.push({ watermark, afterEvents: state.index });
      },
    };
  }
}
