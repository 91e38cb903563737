/**
 * The error for damage in a segment's committed data: a frame that fails its checks, a segment
 * shorter than what was committed, a commit record that cannot be read. Names the segment file,
 * the segment number and the byte offset, so a person can find the bytes.
 */
import { WeirError } from '@weir/core';

/**
 * Committed data of a stream segment is damaged. Readers stop at the bad frame (and can skip it
 * only when asked: `ReaderGroup.skipCorruptFrame`, or `onCorruptFrame: 'dead-letter'` on
 * `StreamStoreSource`); writers refuse to append to the segment. Nothing is cut off.
 *
 * @example
 * ```ts
 * try {
 *   await group.readNext();
 * } catch (e) {
 *   if (e instanceof StreamStoreCorruptError) {
 *     console.error(`segment ${e.segment} damaged at byte ${e.offset}: ${e.reason}`);
 *     await group.skipCorruptFrame(e.segment); // explicit: the frame's events are lost to this reader
 *   }
 * }
 * ```
 */
export class StreamStoreCorruptError extends WeirError {
  /** Path of the segment file. */
  readonly path: string;
  /** Segment number within its stream. */
  readonly segment: number;
  /** Byte offset of the bad frame (or where the damage starts). */
  readonly offset: number;
  /** What is wrong there. */
  readonly reason: string;

  constructor(path: string, segment: number, offset: number, reason: string, options?: { cause?: unknown }) {
    super('STREAM_STORE_CORRUPT', `segment ${path} is corrupt at offset ${offset}: ${reason}`, options);
    this.path = path;
    this.segment = segment;
    this.offset = offset;
    this.reason = reason;
  }
}
