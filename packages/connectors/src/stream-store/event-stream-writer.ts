/**
 * `EventStreamWriter`: appends events to a stream, each to the segment of its routing key, so
 * events of one key stay in order. Writes are group-committed: every event written in the same
 * tick goes into one frame per segment; the segment's appender writes the frames queued so far,
 * syncs them, then syncs the new committed length in the segment's commit record; each
 * `writeEvent` promise resolves when its event is durable and committed (visible to readers).
 * Example: 1 000 `writeEvent` calls in a loop cost one group commit per segment, not 1 000.
 */
import { ConfigError } from '@weir/core';
import { encodeFrame, type StoredEvent } from './frame-codec.js';
import { SegmentAppender } from './segment-appender.js';
import type { Serializer } from './serializer.js';
import { segmentOf, segmentPath, type StreamConfig } from './stream-config.js';

interface Pending {
  events: StoredEvent[];
  done: Array<{ resolve: () => void; reject: (e: unknown) => void }>;
}

/** Events in one frame at most (a larger batch is split). */
const MAX_BATCH = 8192;

/**
 * Writes events of type `T` to one stream of a {@link StreamManager}.
 *
 * @example
 * ```ts
 * const writer = await manager.createWriter<Order>('shop', 'orders');
 * await writer.writeEvent(order.customerId, order); // durable when the promise resolves
 * await writer.close();
 * ```
 */
export class EventStreamWriter<T> {
  private readonly pending = new Map<number, Pending>();
  private scheduled = false;
  private inFlight = new Set<Promise<void>>();
  private closed = false;
  private roundRobin = 0;

  /** @internal Use {@link StreamManager.createWriter}. */
  constructor(
    private readonly dir: string,
    private readonly config: StreamConfig,
    private readonly serializer: Serializer<T>,
  ) {}

  /**
   * Appends an event to the segment of `routingKey` (`''`: any segment, round robin), with an
   * optional event timestamp (ms); resolves once it is on disk and committed. Rejects with a
   * {@link StreamStoreCorruptError} (segment, offset) when that segment's committed data is
   * damaged: the writer does not append behind corruption, and cuts nothing off.
   *
   * @example
   * ```ts
   * await writer.writeEvent('sensor-7', { celsius: 21.5 }, Date.now());
   * ```
   */
  writeEvent(routingKey: string, event: T, timestamp?: number): Promise<void> {
    if (this.closed) return Promise.reject(new ConfigError(`writer of ${this.config.scope}/${this.config.stream} is closed`));
    const segment = routingKey === '' ? this.roundRobin++ % this.config.segments : segmentOf(routingKey, this.config.segments);
    let data: Buffer;
    try {
      data = this.serializer.serialize(event);
    } catch (e) {
      return Promise.reject(e);
    }
    let p = this.pending.get(segment);
    if (p === undefined) {
      p = { events: [], done: [] };
      this.pending.set(segment, p);
    }
    p.events.push({ routingKey, timestamp, data });
    const promise = new Promise<void>((resolve, reject) => p.done.push({ resolve, reject }));
    if (p.events.length >= MAX_BATCH) this.flushSegment(segment);
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flushAll());
    }
    return promise;
  }

  /**
   * Resolves when every event written so far is durable.
   *
   * @example
   * ```ts
   * for (const o of orders) void writer.writeEvent(o.id, o);
   * await writer.flush();
   * ```
   */
  async flush(): Promise<void> {
    this.flushAll();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /**
   * Flushes and closes the writer.
   *
   * @example
   * ```ts
   * await writer.close();
   * ```
   */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }

  private flushAll(): void {
    this.scheduled = false;
    for (const segment of [...this.pending.keys()]) this.flushSegment(segment);
  }

  private flushSegment(segment: number): void {
    const p = this.pending.get(segment);
    if (p === undefined || p.events.length === 0) return;
    this.pending.delete(segment);
    const frame = encodeFrame('', p.events);
    const write = SegmentAppender.for(segmentPath(this.dir, segment))
      .then((a) => a.append(frame))
      .then(
        () => {
          for (const d of p.done) d.resolve();
        },
        (e: unknown) => {
          for (const d of p.done) d.reject(e);
        },
      );
    this.inFlight.add(write);
    void write.finally(() => this.inFlight.delete(write));
  }
}
