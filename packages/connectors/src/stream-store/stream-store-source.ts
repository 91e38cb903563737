/**
 * `StreamStoreSource`: reads every segment of an embedded stream as a weir source.
 *
 * Guarantee: exactly-once. The position in each segment (`[frameOffset, eventsRead]`) of the last
 * emitted event is the source's checkpointed state; after a restore the reader continues right
 * after it, so with a transactional sink nothing is lost or repeated. Events keep their stored
 * timestamp as element timestamp (ingestion time when they have none). An event the serializer
 * cannot decode goes to the dead-letter output with the reason and its position.
 *
 * Unbounded by default (it polls the segments for new frames every `pollIntervalMs`); with
 * `bounded: true` it reads what the stream holds when the reader starts and then ends.
 *
 * It reads only committed frames (see `segment-cursor.ts`): a torn frame at the end of a segment
 * is never delivered and does not keep a bounded reader from ending. A corrupt committed frame
 * fails the source with a SourceError caused by a `StreamStoreCorruptError` (segment, offset);
 * with `onCorruptFrame: 'dead-letter'` it goes to the dead-letter output instead (reason, the
 * skipped byte range) and reading goes on at the next good frame.
 */
import { type PollStatus, RecordQueue, SourceError, type Source, type SourceOutput, type SourceReader, type SourceReaderContext } from '@weir/core';
import type { StreamPositions } from './reader-group.js';
import { type CursorRecord, SegmentCursor, type SegmentPosition } from './segment-cursor.js';
import { jsonSerializer, type Serializer } from './serializer.js';
import { readConfig, segmentPath, streamDir } from './stream-config.js';
import { resolve } from 'node:path';
import { StreamStoreCorruptError } from './stream-store-corrupt-error.js';

/**
 * Options of {@link StreamStoreSource}.
 *
 * @example
 * ```ts
 * const options: StreamStoreSourceOptions<Order> = { root: './data/streams', scope: 'shop', stream: 'orders', bounded: true };
 * ```
 */
export interface StreamStoreSourceOptions<T> {
  /** Root directory of the store (as given to `StreamManager`). */
  readonly root: string;
  readonly scope: string;
  readonly stream: string;
  readonly serializer?: Serializer<T>;
  /** Read what is there at start, then end. Default false (follow the stream). */
  readonly bounded?: boolean;
  /** How often an unbounded reader looks for new frames, ms. Default 20. */
  readonly pollIntervalMs?: number;
  /**
   * What a corrupt committed frame does: `'fail'` (default) fails the source with the
   * `StreamStoreCorruptError`; `'dead-letter'` sends it to the dead-letter output (reason, segment,
   * offset, the skipped byte range) and reads on from the next good frame — its events are lost.
   */
  readonly onCorruptFrame?: 'fail' | 'dead-letter';
}

const HIGH_WATER = 16_384;

class StreamStoreReader<T> implements SourceReader<T> {
  private readonly queue = new RecordQueue<CursorRecord>();
  private positions: Record<string, SegmentPosition> = {};
  private cursors: SegmentCursor[] = [];
  private pumping = false;
  private closed = false;
  private timer: NodeJS.Timeout | undefined = undefined;
  private readonly serializer: Serializer<T>;

  constructor(
    private readonly options: StreamStoreSourceOptions<T>,
    private readonly ctx: SourceReaderContext,
  ) {
    this.serializer = options.serializer ?? jsonSerializer<T>();
  }

  restorePosition(position: unknown): void {
    this.positions = { ...(position as StreamPositions) };
  }

  async start(): Promise<void> {
    const { scope, stream } = this.options;
    const root = resolve(this.options.root);
    const config = await readConfig(root, scope, stream);
    const dir = streamDir(root, scope, stream);
    for (let s = 0; s < config.segments; s++) {
      const start = this.positions[s] ?? [0, 0];
      this.positions[s] = start;
      const cursor = new SegmentCursor(segmentPath(dir, s), s, start);
      this.cursors.push(cursor);
      if (this.options.bounded) {
        await cursor.stopAtCommittedEnd().catch((e: unknown) => {
          throw new SourceError(this.ctx.sourceName, (e as Error).message, { cause: e });
        });
      }
    }
    this.pump();
  }

  pollNext(output: SourceOutput<T>, maxRecords: number): PollStatus {
    for (let n = 0; n < maxRecords; n++) {
      const r = this.queue.shift();
      if (r === undefined) break;
      this.positions[r.segment] = r.after;
      if (r.skipped !== undefined) {
        const { error, nextOffset, bytes } = r.skipped;
        output.deadLetter({
          input: bytes,
          reason: `${error.message}; skipped ${nextOffset - error.offset} bytes to offset ${nextOffset} (the frame's events are lost)`,
          position: { segment: r.segment, offset: error.offset, after: r.after },
        });
        continue;
      }
      let value: T;
      try {
        value = this.serializer.deserialize(r.event.data);
      } catch (e) {
        output.deadLetter({
          input: r.event.data.toString('utf8', 0, 256),
          reason: `cannot decode event: ${(e as Error).message}`,
          position: { segment: r.segment, after: r.after },
        });
        continue;
      }
      if (r.event.timestamp === undefined) output.collect(value);
      else output.collect(value, r.event.timestamp);
    }
    this.queue.throwIfFailed(); // before pumping: a failed input is not read again
    if (this.queue.length < HIGH_WATER / 2) this.pump();
    return this.queue.pollStatus();
  }

  isAvailable(): Promise<void> {
    return this.queue.whenAvailable();
  }

  snapshotPosition(): StreamPositions {
    return { ...this.positions };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await Promise.all(this.cursors.map((c) => c.close()));
  }

  /** Reads ahead from every segment until the high-water mark, or waits for new frames. */
  private pump(): void {
    if (this.pumping || this.closed || this.queue.ended || this.timer !== undefined) return;
    this.pumping = true;
    void this.readAhead().finally(() => {
      this.pumping = false;
    });
  }

  private async readAhead(): Promise<void> {
    const batch: CursorRecord[] = [];
    try {
      while (!this.closed && this.queue.length < HIGH_WATER) {
        batch.length = 0;
        for (const c of this.cursors) await this.pollCursor(c, batch);
        for (const e of batch) this.queue.push(e);
        if (batch.length > 0) continue;
        if (this.options.bounded && this.cursors.every((c) => c.atLimit)) {
          this.queue.end();
          return;
        }
        // Nothing new: look again later (a timer, so the pump is not spinning).
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.pump();
        }, this.options.pollIntervalMs ?? 20);
        return;
      }
    } catch (e) {
      for (const r of batch) this.queue.push(r); // what was read before the failure is still delivered
      this.queue.fail(new SourceError(this.ctx.sourceName, (e as Error).message, { cause: e }));
    }
  }

  /** Polls one segment; with `onCorruptFrame: 'dead-letter'`, a corrupt frame becomes a skip record. */
  private async pollCursor(c: SegmentCursor, into: CursorRecord[]): Promise<void> {
    for (;;) {
      try {
        return await c.poll(into);
      } catch (e) {
        if (!(e instanceof StreamStoreCorruptError) || this.options.onCorruptFrame !== 'dead-letter') throw e;
        const skipped = await c.skipCorrupt();
        into.push({ segment: c.segment, skipped, after: [skipped.nextOffset, 0] });
      }
    }
  }
}

/**
 * A replayable (exactly-once) source over an embedded stream.
 *
 * @example
 * ```ts
 * const orders = env.fromSource(new StreamStoreSource<Order>({ root: './data/streams', scope: 'shop', stream: 'orders' }));
 * ```
 */
export class StreamStoreSource<T> implements Source<T> {
  readonly bounded: boolean;
  readonly replayable = true;
  readonly name: string;
  constructor(private readonly options: StreamStoreSourceOptions<T>) {
    this.bounded = options.bounded ?? false;
    this.name = `Stream ${options.scope}/${options.stream}`;
  }
  /** @internal */
  createReader(ctx: SourceReaderContext): SourceReader<T> {
    return new StreamStoreReader(this.options, ctx);
  }
}
