/**
 * A bounded, replayable weir `Source` over an {@link EventGenerator}: emits the generator's
 * events whose time has come on the pacer, up to `end` (exclusive), and checkpoints the
 * generator's state as its position. After a restore it continues with the next event and moves
 * the market clock to where it left off.
 *
 * With `eventTime` the records carry the events' timestamps; without, the runtime stamps them
 * with the processing-time clock when it polls them (`--processing-time`).
 */
import { PollStatus, type Source, type SourceOutput, type SourceReader } from '@weir/core';
import type { EventGenerator } from '../generators.js';
import type { Pacer } from '../market-clock.js';

/**
 * Options of a {@link GeneratedSource}.
 *
 * @example
 * ```ts
 * const options: GeneratedSourceOptions = { end: MARKET_OPEN + 60_000, pacer: UNPACED, eventTime: true };
 * ```
 */
export interface GeneratedSourceOptions {
  /** Events at or after this market time are not emitted; the source then ends. */
  readonly end: number;
  readonly pacer: Pacer;
  /** Attach event timestamps (true) or leave stamping to the runtime (processing time). */
  readonly eventTime: boolean;
}

interface Position<S> {
  readonly generator: S;
  /** Market time of the last emitted event. */
  readonly last: number;
}

class GeneratedReader<T, S> implements SourceReader<T> {
  private last = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly generator: EventGenerator<T, S>,
    private readonly options: GeneratedSourceOptions,
  ) {}

  pollNext(output: SourceOutput<T>, maxRecords: number): PollStatus {
    const { end, pacer, eventTime } = this.options;
    const now = pacer.now();
    for (let n = 0; n < maxRecords; n++) {
      const t = this.generator.peekTimestamp();
      if (t >= end) return PollStatus.END_OF_INPUT;
      if (t > now) return PollStatus.NOTHING_AVAILABLE;
      const { value, timestamp } = this.generator.next();
      this.last = timestamp;
      if (eventTime) output.collect(value, timestamp);
      else output.collect(value);
    }
    return this.generator.peekTimestamp() >= end ? PollStatus.END_OF_INPUT : PollStatus.MORE_AVAILABLE;
  }

  isAvailable(): Promise<void> {
    return this.options.pacer.waitUntil(this.generator.peekTimestamp());
  }

  snapshotPosition(): Position<S> {
    return { generator: this.generator.snapshot(), last: this.last };
  }

  restorePosition(position: unknown): void {
    const p = position as Position<S>;
    this.generator.restore(p.generator);
    this.last = p.last;
    this.options.pacer.resumeAt(p.last);
  }
}

/**
 * @example
 * ```ts
 * const spx = env.fromSource(
 *   new GeneratedSource('SPX', () => new StockWalk('SPX', 10, seed, MARKET_OPEN), { end, pacer: clock, eventTime: true }));
 * ```
 */
export class GeneratedSource<T, S = unknown> implements Source<T> {
  readonly bounded = true;
  readonly replayable = true;

  constructor(
    readonly name: string,
    private readonly create: () => EventGenerator<T, S>,
    private readonly options: GeneratedSourceOptions,
  ) {}

  createReader(): SourceReader<T> {
    return new GeneratedReader(this.create(), this.options);
  }
}
