/**
 * The Nexmark generator as a weir source: bounded at `events` events, replayable (the position is
 * the event number, and any event is computable from it), each event emitted with its own
 * `dateTime` as its timestamp (as a Kafka source would stamp record timestamps).
 */
import { PollStatus, type Source, type SourceOutput, type SourceReader, WatermarkStrategy } from '@weir/core';
import { type NexmarkConfig, NexmarkGenerator } from './generator.js';
import type { NexmarkEvent } from './model.js';

class NexmarkReader implements SourceReader<NexmarkEvent> {
  private readonly gen: NexmarkGenerator;
  constructor(
    config: NexmarkConfig,
    private readonly total: number,
  ) {
    this.gen = new NexmarkGenerator(config);
  }
  pollNext(output: SourceOutput<NexmarkEvent>, maxRecords: number): PollStatus {
    const gen = this.gen;
    const end = Math.min(this.total, gen.position + maxRecords);
    while (gen.position < end) {
      const e = gen.next();
      output.collect(e, e.dateTime);
    }
    return gen.position < this.total ? PollStatus.MORE_AVAILABLE : PollStatus.END_OF_INPUT;
  }
  isAvailable(): Promise<void> {
    return Promise.resolve();
  }
  snapshotPosition(): number {
    return this.gen.position;
  }
  restorePosition(position: unknown): void {
    this.gen.position = position as number;
  }
}

/**
 * A bounded, replayable source of `events` Nexmark events.
 *
 * @example
 * ```ts
 * env.fromSource(new NexmarkSource({ firstEventRate: 100_000 }, 1_000_000)).filter(isBid);
 * ```
 */
export class NexmarkSource implements Source<NexmarkEvent> {
  readonly name = 'Nexmark';
  readonly bounded = true;
  readonly replayable = true;
  constructor(
    private readonly config: NexmarkConfig,
    private readonly events: number,
  ) {}
  createReader(): SourceReader<NexmarkEvent> {
    return new NexmarkReader(this.config, this.events);
  }
}

/** The Flink suite's watermark delay: `WATERMARK FOR dateTime AS dateTime - INTERVAL '4' SECOND`. */
export const WATERMARK_DELAY_MS = 4000;

/**
 * The watermark strategy of the Flink suite's source table (bounded out-of-orderness of 4 s; the
 * timestamp is the one the source stamped, `dateTime`).
 *
 * @example
 * ```ts
 * env.fromSource(new NexmarkSource(config, n)).assignTimestampsAndWatermarks(nexmarkWatermarks());
 * ```
 */
export function nexmarkWatermarks(): WatermarkStrategy<NexmarkEvent> {
  return WatermarkStrategy.forBoundedOutOfOrderness<NexmarkEvent>(WATERMARK_DELAY_MS);
}

/**
 * The hand-written versions' watermark: the same rule, tracked inline.
 *
 * @example
 * ```ts
 * const wm = new InlineWatermark();
 * if (wm.advance(e.dateTime)) fireDueWindows(wm.value);
 * ```
 */
export class InlineWatermark {
  value = Number.NEGATIVE_INFINITY;
  private maxTs = Number.NEGATIVE_INFINITY;
  /** Sees an event time; true when the watermark moved. */
  advance(ts: number): boolean {
    if (ts <= this.maxTs) return false;
    this.maxTs = ts;
    this.value = ts - WATERMARK_DELAY_MS - 1;
    return true;
  }
}
