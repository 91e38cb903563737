/**
 * Shared plumbing of one-input operators: output wiring, watermark forwarding, end of input,
 * and turning a user function's exception into a {@link UserFunctionError}. Concrete operators
 * only write `processElement` (RxJS's `operate()` idea: no operator hand-writes the plumbing).
 */
import { ConfigError, UserFunctionError } from '../errors.js';
import type { Downstream } from './downstream.js';
import { StreamRecord } from './stream-record.js';
import type { OperatorContext, OperatorCounters, StreamOperator, TimeState } from './operator.js';

export abstract class AbstractOperator<IN, OUT> implements StreamOperator<IN, OUT> {
  // Initialised in one order in every subclass: one hidden class per operator kind.
  protected out: Downstream<OUT> = undefined as unknown as Downstream<OUT>;
  protected ctx: OperatorContext<OUT> = undefined as unknown as OperatorContext<OUT>;
  /** This operator's output record, reused for everything it emits. */
  protected readonly record = new StreamRecord<OUT>();
  /** Metrics counters; `recordsIn` is bumped once per element (records out are derived per edge). */
  protected counters: OperatorCounters = undefined as unknown as OperatorCounters;
  /** The operator's event time. Read by contexts as a field (see TimerQueue.next for why). */
  currentWatermark = Number.NEGATIVE_INFINITY;

  open(ctx: OperatorContext<OUT>): void {
    this.ctx = ctx;
    this.out = ctx.output;
    this.counters = ctx.counters;
  }

  abstract processElement(record: StreamRecord<IN>): void;

  processWatermark(watermark: number): void {
    if (watermark > this.currentWatermark) {
      this.currentWatermark = watermark;
      this.onWatermark(watermark);
      this.out.processWatermark(watermark);
    }
  }

  snapshotTime(): TimeState | undefined {
    return this.currentWatermark === Number.NEGATIVE_INFINITY ? undefined : { watermark: this.currentWatermark };
  }

  restoreTime(time: TimeState): void {
    this.currentWatermark = time.watermark;
  }

  processIdle(idle: boolean): void {
    this.out.processIdle(idle);
  }

  endInput(): void {
    this.onProcessingTime?.(Number.POSITIVE_INFINITY);
    this.processWatermark(Number.POSITIVE_INFINITY);
    this.out.endInput();
  }

  onProcessingTime?(now: number): void;

  /** Hook: the operator's watermark advanced (before it is forwarded). */
  protected onWatermark(_watermark: number): void {}

  /** Wraps an exception thrown by user code; rethrows weir's own errors unchanged. */
  protected userError(e: unknown, key?: unknown): Error {
    return e instanceof UserFunctionError || e instanceof ConfigError ? e : new UserFunctionError(this.ctx.name, key, e);
  }
}
