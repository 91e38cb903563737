/**
 * `ReaderGroup`: reads every segment of a stream and keeps a position per segment, so a reader
 * can stop and continue where it was (positions can be committed to the store, or kept
 * elsewhere — the weir source keeps them in checkpoints). Order is kept per segment, hence per
 * routing key; across segments events interleave.
 *
 * A corrupt frame in a segment is an error (`StreamStoreCorruptError`), thrown once the events
 * read before it were returned; the group stays at the frame until `skipCorruptFrame` is called.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, SerializationError } from '@weir/core';
import { type CursorRecord, SegmentCursor, type SegmentPosition } from './segment-cursor.js';
import type { Serializer } from './serializer.js';
import { segmentPath, type StreamConfig, writeAtomic } from './stream-config.js';

/**
 * A position per segment (segment number -> `[frameOffset, eventsRead]`).
 *
 * @example
 * ```ts
 * const positions: StreamPositions = { 0: [4096, 0], 1: [0, 3] };
 * ```
 */
export type StreamPositions = Readonly<Record<string, SegmentPosition>>;

/**
 * One event read, with where it came from and the group's position in that segment after it.
 *
 * @example
 * ```ts
 * for (const e of await group.readNext()) console.log(e.segment, e.routingKey, e.value);
 * ```
 */
export interface EventRead<T> {
  readonly value: T;
  readonly routingKey: string;
  readonly timestamp: number | undefined;
  readonly segment: number;
  readonly position: SegmentPosition;
}

/**
 * Reads all segments of a stream with positions.
 *
 * @example
 * ```ts
 * const group = await manager.createReaderGroup<Order>('billing', 'shop', 'orders');
 * for (const e of await group.readNext(100)) bill(e.value);
 * await group.commitPositions(); // the next createReaderGroup('billing', ...) continues here
 * ```
 */
export class ReaderGroup<T> {
  private cursors: SegmentCursor[] = [];
  private readonly current: Record<string, SegmentPosition> = {};
  private buffered: CursorRecord[] = [];
  /** A corruption found while reading ahead, thrown once the `before` records ahead of it are returned. */
  private failure: { error: unknown; segment: number; before: number } | undefined = undefined;

  /** @internal Use {@link StreamManager.createReaderGroup}. */
  constructor(
    readonly name: string,
    private readonly dir: string,
    readonly config: StreamConfig,
    private readonly serializer: Serializer<T>,
    start: StreamPositions,
  ) {
    this.reset(start);
  }

  /** @internal */
  static async storedPositions(dir: string, name: string): Promise<StreamPositions> {
    try {
      return JSON.parse(await readFile(ReaderGroup.file(dir, name), 'utf8')) as StreamPositions;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw e;
    }
  }

  private static file(dir: string, name: string): string {
    return join(dir, 'readergroups', `${name}.json`);
  }

  /**
   * The position in every segment after the last event returned.
   *
   * @example
   * ```ts
   * const saved = group.positions();
   * ```
   */
  positions(): StreamPositions {
    return { ...this.current };
  }

  /**
   * Up to `max` events available now (possibly none), round robin over segments.
   * Throws a SerializationError naming the segment and position for an event that cannot be
   * decoded (its position is then already past it, so a retry continues after it), and a
   * {@link StreamStoreCorruptError} naming the segment and offset for a corrupt frame (after the
   * events before it; the group stays there until {@link ReaderGroup.skipCorruptFrame}).
   *
   * @example
   * ```ts
   * const events = await group.readNext(500);
   * ```
   */
  async readNext(max = 1000): Promise<EventRead<T>[]> {
    if (this.failure === undefined && this.buffered.length < max) {
      for (const c of this.cursors) {
        try {
          await c.poll(this.buffered);
        } catch (e) {
          this.failure = { error: e, segment: c.segment, before: this.buffered.length };
          break;
        }
      }
    }
    if (this.failure !== undefined) {
      if (this.failure.before === 0) {
        const { error } = this.failure;
        this.failure = undefined; // the next call reads again (and finds the frame again unless skipped)
        throw error;
      }
      max = Math.min(max, this.failure.before);
      this.failure.before -= max;
    }
    const take = this.buffered.splice(0, max);
    const out: EventRead<T>[] = [];
    for (let i = 0; i < take.length; i++) {
      const r = take[i]!;
      this.current[r.segment] = r.after;
      if (r.skipped !== undefined) continue;
      let value: T;
      try {
        value = this.serializer.deserialize(r.event.data);
      } catch (e) {
        this.buffered = [...take.slice(i + 1), ...this.buffered];
        if (this.failure !== undefined) this.failure.before += take.length - i - 1;
        throw new SerializationError(`reader group ${this.name}: event in segment ${r.segment} before position ${r.after.join(':')} cannot be decoded: ${(e as Error).message}`, { cause: e });
      }
      out.push({ value, routingKey: r.event.routingKey, timestamp: r.event.timestamp, segment: r.segment, position: r.after });
    }
    return out;
  }

  /**
   * Moves the group past the corrupt frame that `readNext` reported in `segment`, to the next
   * frame with a good header. Explicit on purpose: the frame's events are lost to this reader.
   * Resolves with the byte range skipped. A ConfigError when the segment is not at a corrupt frame.
   *
   * @example
   * ```ts
   * try {
   *   await group.readNext();
   * } catch (e) {
   *   if (!(e instanceof StreamStoreCorruptError)) throw e;
   *   const { offset, nextOffset } = await group.skipCorruptFrame(e.segment);
   *   console.warn(`lost the frame at ${offset} (${nextOffset - offset} bytes) of segment ${e.segment}`);
   * }
   * ```
   */
  async skipCorruptFrame(segment: number): Promise<{ offset: number; nextOffset: number }> {
    const cursor = this.cursors[segment];
    if (cursor === undefined) throw new ConfigError(`reader group ${this.name}: stream ${this.config.scope}/${this.config.stream} has no segment ${segment}`);
    const skipped = await cursor.skipCorrupt();
    if (this.failure?.segment === segment) this.failure = undefined;
    this.buffered.push({ segment, skipped, after: [skipped.nextOffset, 0] });
    return { offset: skipped.offset, nextOffset: skipped.nextOffset };
  }

  /**
   * Stores the current positions durably in the stream's directory; a reader group of the same
   * name created later starts there.
   *
   * @example
   * ```ts
   * await group.commitPositions();
   * ```
   */
  async commitPositions(): Promise<void> {
    await writeAtomic(ReaderGroup.file(this.dir, this.name), JSON.stringify(this.current));
  }

  /**
   * Moves the group to the given positions (e.g. from a checkpoint).
   *
   * @example
   * ```ts
   * group.reset(saved);
   * ```
   */
  reset(positions: StreamPositions): void {
    void Promise.all(this.cursors.map((c) => c.close()));
    this.buffered = [];
    this.failure = undefined;
    this.cursors = [];
    for (let s = 0; s < this.config.segments; s++) {
      const p = positions[s] ?? [0, 0];
      this.current[s] = p;
      this.cursors.push(new SegmentCursor(segmentPath(this.dir, s), s, p));
    }
  }

  /**
   * Releases the segment files.
   *
   * @example
   * ```ts
   * await group.close();
   * ```
   */
  async close(): Promise<void> {
    await Promise.all(this.cursors.map((c) => c.close()));
  }
}
