/**
 * The one interface records travel through. Every operator implements it for its (first) input,
 * and holds the `Downstream` of its consumers as its output, so a chain of forward operators is
 * a chain of direct method calls with one reused {@link StreamRecord} per producer: no queues,
 * no per-element allocation.
 *
 * Event order on one channel: elements and watermarks interleaved, watermarks non-decreasing,
 * then exactly one `endInput` (after which nothing arrives).
 */
import type { StreamRecord } from './stream-record.js';

export interface Downstream<T> {
  /** The record belongs to the producer and is reused: copy what you keep. */
  processElement(record: StreamRecord<T>): void;
  processWatermark(watermark: number): void;
  /** Watermark status: an idle input does not hold back the min watermark downstream. */
  processIdle(idle: boolean): void;
  /** The input ended: flush everything (processing-time timers, then the final +Infinity watermark). */
  endInput(): void;
}

/** A Downstream that drops everything (an output nobody consumes). @internal */
export const DISCARD: Downstream<unknown> = {
  processElement() {},
  processWatermark() {},
  processIdle() {},
  endInput() {},
};
