/**
 * Watermark strategies, as Flink's `WatermarkStrategy`: a timestamp assigner plus a watermark
 * generator. A generator sees every event (`onEvent`, where an emitted watermark takes effect at
 * once: punctuated) and is asked periodically for a watermark (`onPeriodicEmit`).
 *
 * weir calls `onPeriodicEmit` on the processing-time period `autoWatermarkIntervalMs` (default
 * 200 ms, Flink's default), which is also what lets idleness be detected while no element
 * arrives, and at the end of each round of source batches. With `perElementWatermarks: true` on
 * the environment it also calls it after every element, so which elements are late is a function
 * of the input order alone (deterministic runs, testable with a model).
 */
import { ConfigError } from '../errors.js';
import type { Clock } from './clock.js';
import { type Duration, toMillis } from './time.js';

/**
 * Where a {@link WatermarkGenerator} sends watermarks and idleness.
 *
 * @example
 * ```ts
 * onEvent(event, timestamp, output: WatermarkOutput) {
 *   if (event.endOfBatch) output.emitWatermark(timestamp);
 * }
 * ```
 */
export interface WatermarkOutput {
  /** Emits a watermark; lower or equal watermarks than the last one are ignored. */
  emitWatermark(timestamp: number): void;
  /** Marks this input idle: it is left out of the min-watermark of downstream operators. */
  markIdle(): void;
  /** Marks this input active again (also implied by the next emitted watermark). */
  markActive(): void;
}

/**
 * Flink's `WatermarkGenerator`.
 *
 * @example
 * ```ts
 * const punctuated: WatermarkGenerator<{ ts: number; end?: boolean }> = {
 *   onEvent(e, ts, out) { if (e.end) out.emitWatermark(ts); },
 *   onPeriodicEmit() {},
 * };
 * ```
 */
export interface WatermarkGenerator<T> {
  onEvent(event: T, timestamp: number, output: WatermarkOutput): void;
  onPeriodicEmit(output: WatermarkOutput): void;
  /** The generator's state for checkpoints (plain data); without it a restore starts it afresh. */
  snapshotState?(): unknown;
  restoreState?(state: unknown): void;
}

/**
 * Extracts an element's event time (ms since epoch). `recordTimestamp` is the timestamp the
 * element already carries (from its source, or ingestion time).
 *
 * @example
 * ```ts
 * const fromLog: TimestampAssigner<LogLine> = (line) => Date.parse(line.time);
 * WatermarkStrategy.forBoundedOutOfOrderness<LogLine>(5_000).withTimestampAssigner(fromLog);
 * ```
 */
export type TimestampAssigner<T> = (element: T, recordTimestamp: number) => number;

/**
 * What a generator factory can use.
 *
 * @example
 * ```ts
 * WatermarkStrategy.forGenerator<Tick>((ctx) => {
 *   let last = ctx.clock.now();
 *   return { onEvent: () => { last = ctx.clock.now(); }, onPeriodicEmit: (out) => out.emitWatermark(last - 10_000) };
 * });
 * ```
 */
export interface WatermarkGeneratorContext {
  readonly clock: Clock;
}

/**
 * Bounded out-of-orderness (Flink's `BoundedOutOfOrdernessWatermarks`): the watermark trails the
 * largest timestamp seen by `bound + 1` ms, i.e. elements up to `bound` ms late are still on time.
 * Before the first element the watermark is `-Infinity`.
 *
 * @example
 * ```ts
 * const g = new BoundedOutOfOrdernessWatermarks(1000);
 * ```
 */
export class BoundedOutOfOrdernessWatermarks<T> implements WatermarkGenerator<T> {
  private maxTimestamp = Number.NEGATIVE_INFINITY;
  constructor(private readonly bound: number) {}
  onEvent(_event: T, timestamp: number): void {
    if (timestamp > this.maxTimestamp) this.maxTimestamp = timestamp;
  }
  onPeriodicEmit(output: WatermarkOutput): void {
    output.emitWatermark(this.maxTimestamp - this.bound - 1);
  }
  snapshotState(): unknown {
    return this.maxTimestamp;
  }
  restoreState(state: unknown): void {
    this.maxTimestamp = state as number;
  }
}

/**
 * Wraps a generator and marks the input idle when no element arrived for longer than
 * `timeoutMs` of processing time (Flink's `WatermarksWithIdleness`). Idleness is only checked in
 * `onPeriodicEmit`: the timer starts at the first periodic call that saw no new element, and
 * the input becomes idle at the first periodic call strictly more than `timeoutMs` after that.
 *
 * @example
 * ```ts
 * new WatermarksWithIdleness(new BoundedOutOfOrdernessWatermarks(0), 5000, systemClock);
 * ```
 */
export class WatermarksWithIdleness<T> implements WatermarkGenerator<T> {
  private counter = 0;
  private lastCounter = 0;
  private idleSince = Number.NaN;
  constructor(
    private readonly inner: WatermarkGenerator<T>,
    private readonly timeoutMs: number,
    private readonly clock: Clock,
  ) {}
  onEvent(event: T, timestamp: number, output: WatermarkOutput): void {
    this.counter++;
    this.inner.onEvent(event, timestamp, output);
  }
  onPeriodicEmit(output: WatermarkOutput): void {
    if (this.checkIfIdle()) output.markIdle();
    else this.inner.onPeriodicEmit(output);
  }
  snapshotState(): unknown {
    return this.inner.snapshotState?.();
  }
  restoreState(state: unknown): void {
    this.inner.restoreState?.(state);
  }
  private checkIfIdle(): boolean {
    if (this.counter !== this.lastCounter) {
      this.lastCounter = this.counter;
      this.idleSince = Number.NaN;
      return false;
    }
    const now = this.clock.now();
    if (Number.isNaN(this.idleSince)) {
      this.idleSince = now;
      return false;
    }
    return now - this.idleSince > this.timeoutMs;
  }
}

const NO_WATERMARKS: WatermarkGenerator<unknown> = { onEvent() {}, onPeriodicEmit() {} };

/**
 * How a stream gets its event time: the timestamp assigner and the watermark generator.
 *
 * @example
 * ```ts
 * const strategy = WatermarkStrategy.forBoundedOutOfOrderness<Tick>(1000)
 *   .withTimestampAssigner((t) => t.ts)
 *   .withIdleness(Time.seconds(30));
 * stream.assignTimestampsAndWatermarks(strategy);
 * ```
 */
export class WatermarkStrategy<T> {
  private constructor(
    private readonly generatorFactory: (ctx: WatermarkGeneratorContext) => WatermarkGenerator<T>,
    readonly timestampAssigner: TimestampAssigner<T> | undefined,
    readonly idlenessMs: number | undefined,
    /** @internal Set for the built-in bounded/monotonous generators, which the runtime inlines. */
    readonly builtInBound?: number,
  ) {}

  /**
   * Timestamps never decrease: watermark = max timestamp - 1 (an element with the same timestamp
   * may still follow).
   *
   * @example
   * ```ts
   * WatermarkStrategy.forMonotonousTimestamps<Tick>().withTimestampAssigner((t) => t.ts);
   * ```
   */
  static forMonotonousTimestamps<T>(): WatermarkStrategy<T> {
    return new WatermarkStrategy<T>(() => new BoundedOutOfOrdernessWatermarks<T>(0), undefined, undefined, 0);
  }

  /**
   * Elements may arrive up to `maxOutOfOrderness` late: watermark = max timestamp - bound - 1.
   *
   * @example
   * ```ts
   * WatermarkStrategy.forBoundedOutOfOrderness<Tick>(Time.seconds(1));
   * ```
   */
  static forBoundedOutOfOrderness<T>(maxOutOfOrderness: Duration): WatermarkStrategy<T> {
    const bound = toMillis(maxOutOfOrderness);
    if (!(bound >= 0) || !Number.isFinite(bound)) {
      throw new ConfigError(`forBoundedOutOfOrderness: maxOutOfOrderness cannot be negative or infinite (got ${bound})`);
    }
    return new WatermarkStrategy<T>(() => new BoundedOutOfOrdernessWatermarks<T>(bound), undefined, undefined, bound);
  }

  /**
   * Timestamps but no watermarks: event-time windows fire only at the end of bounded input.
   *
   * @example
   * ```ts
   * WatermarkStrategy.noWatermarks<Tick>().withTimestampAssigner((t) => t.ts);
   * ```
   */
  static noWatermarks<T>(): WatermarkStrategy<T> {
    return new WatermarkStrategy<T>(() => NO_WATERMARKS as WatermarkGenerator<T>, undefined, undefined);
  }

  /**
   * A custom generator (Flink's `WatermarkStrategy.forGenerator`).
   *
   * @example
   * ```ts
   * WatermarkStrategy.forGenerator<Ev>(() => ({
   *   onEvent(e, ts, out) { if (e.isEndOfBatch) out.emitWatermark(ts); },
   *   onPeriodicEmit() {},
   * }));
   * ```
   */
  static forGenerator<T>(factory: (ctx: WatermarkGeneratorContext) => WatermarkGenerator<T>): WatermarkStrategy<T> {
    return new WatermarkStrategy<T>(factory, undefined, undefined);
  }

  /**
   * Sets how the event time is read from an element.
   *
   * @example
   * ```ts
   * WatermarkStrategy.forMonotonousTimestamps<Tick>().withTimestampAssigner((t) => t.ts);
   * ```
   */
  withTimestampAssigner(assigner: TimestampAssigner<T>): WatermarkStrategy<T> {
    return new WatermarkStrategy<T>(this.generatorFactory, assigner, this.idlenessMs, this.builtInBound);
  }

  /**
   * Marks the input idle after `timeout` of processing time without elements, so that it does
   * not hold back the watermark of operators that also read other inputs.
   *
   * @example
   * ```ts
   * WatermarkStrategy.forBoundedOutOfOrderness<Tick>(1000).withIdleness(Time.seconds(10));
   * ```
   */
  withIdleness(timeout: Duration): WatermarkStrategy<T> {
    const ms = toMillis(timeout);
    if (!(ms > 0)) throw new ConfigError(`withIdleness: the idle timeout must be greater than 0 (got ${ms})`);
    return new WatermarkStrategy<T>(this.generatorFactory, this.timestampAssigner, ms, this.builtInBound);
  }

  /** Creates a fresh generator (one per operator instance). */
  createWatermarkGenerator(ctx: WatermarkGeneratorContext): WatermarkGenerator<T> {
    const g = this.generatorFactory(ctx);
    return this.idlenessMs === undefined ? g : new WatermarksWithIdleness(g, this.idlenessMs, ctx.clock);
  }
}
