/**
 * `assignTimestampsAndWatermarks` (Flink's `TimestampsAndWatermarksOperator`): replaces each
 * element's timestamp with the assigner's, feeds the generator, and emits its watermarks.
 * Watermarks from upstream are ignored (this operator defines event time from here on); only the
 * end of input passes, as Flink lets only `Long.MAX_VALUE` through.
 *
 * When watermarks go out: periodically by default (Flink's `autoWatermarkInterval`, every
 * `autoWatermarkIntervalMs` of the environment clock) and at the end of each round of source
 * batches, so a watermark crosses the chain once per batch instead of once per element; with
 * `perElementWatermarks: true`, after every element (lateness then depends on the input order
 * alone). The end of a batch is seen through `nextProcessingTime()`: while elements have arrived
 * since the last emission it asks the runner for a processing-time call, which the runner makes
 * after each round of polls.
 *
 * The built-in bounded-out-of-orderness generator (and monotonous, its bound-0 case) without
 * idleness is inlined here: tracking the max timestamp in a field avoids a call per element
 * with a double argument (see StreamRecord for why that matters).
 *
 * An element whose assigned timestamp is not a finite number in the range of timestamps goes to the dead-letter side output
 * with the reason, or fails the job with a typed error when nobody consumes that output: bad
 * timestamps are never silently dropped.
 */
import { DEAD_LETTERS, type DeadLetter } from '../contract/output-tag.js';
import { UserFunctionError } from '../errors.js';
import type { Downstream } from '../contract/downstream.js';
import type { OperatorContext, TimeState } from '../contract/operator.js';
import { StreamRecord } from '../contract/stream-record.js';
import type { WatermarkGenerator, WatermarkOutput, WatermarkStrategy } from '../time/watermark-strategy.js';
import { invalidTimestampReason, isValidTimestamp } from '../time/timestamps.js';
import { AbstractOperator } from '../contract/abstract-operator.js';

/**
 * The field an assigner of the form `(e) => e.field` reads, found in its source text, else
 * undefined. Reading the field directly gives the same value (getters included) without a call
 * per element: a call that is not inlined returns a timestamp boxed in a new heap number (epoch
 * milliseconds are doubles), garbage on every element.
 */
function fieldOfAssigner(fn: (...args: never[]) => unknown): string | undefined {
  const source = Function.prototype.toString.call(fn);
  const m = /^\s*(?:\(\s*([A-Za-z_$][\w$]*)\s*\)|([A-Za-z_$][\w$]*))\s*=>\s*([A-Za-z_$][\w$]*)\.([A-Za-z_$][\w$]*)\s*$/.exec(source);
  if (m === null) return undefined;
  return m[3] === (m[1] ?? m[2]) ? m[4] : undefined;
}

export class TimestampsAndWatermarksOperator<T> extends AbstractOperator<T, T> implements WatermarkOutput {
  private generator: WatermarkGenerator<T> | undefined = undefined;
  private lastEmitted = Number.NEGATIVE_INFINITY;
  private idle = false;
  private nextPeriodic = Number.POSITIVE_INFINITY;
  /** Elements arrived since the last emission: emit at the end of the batch. */
  private pending = false;
  private perElement = false;
  private interval = 200;
  private deadLetters: Downstream<unknown> | undefined = undefined;
  private readonly deadLetterRecord = new StreamRecord<DeadLetter>();
  /** Inlined bounded out-of-orderness: the bound, or -1 when a generator object is used. */
  private readonly bound: number;
  private maxTimestamp = Number.NEGATIVE_INFINITY;
  private restoredGenerator: unknown = undefined;

  /** The assigner as a field read (see fieldOfAssigner), when it is one. */
  private readonly timestampField: string | undefined;
  /** Whether the assigner reads the record's own timestamp (its second parameter). */
  private readonly assignerReadsRecordTimestamp: boolean;

  constructor(private readonly strategy: WatermarkStrategy<T>) {
    super();
    const assigner = strategy.timestampAssigner;
    this.timestampField = assigner === undefined ? undefined : fieldOfAssigner(assigner);
    // A one-parameter assigner is not handed the record timestamp: passing a double allocates.
    this.assignerReadsRecordTimestamp = assigner !== undefined && assigner.length !== 1;
    this.bound = strategy.builtInBound !== undefined && strategy.idlenessMs === undefined ? strategy.builtInBound : -1;
  }

  override open(ctx: OperatorContext<T>): void {
    super.open(ctx);
    if (this.bound < 0) {
      this.generator = this.strategy.createWatermarkGenerator({ clock: ctx.clock });
      if (this.restoredGenerator !== undefined) this.generator.restoreState?.(this.restoredGenerator);
    }
    this.perElement = ctx.settings.perElementWatermarks;
    this.interval = ctx.settings.autoWatermarkIntervalMs;
    this.nextPeriodic = this.interval > 0 ? ctx.clock.now() + this.interval : Number.POSITIVE_INFINITY;
    this.deadLetters = ctx.sideOutput(DEAD_LETTERS.id);
  }

  processElement(input: StreamRecord<T>): void {
    this.counters.recordsIn++;
    const value = input.value;
    const assigner = this.strategy.timestampAssigner;
    let ts = input.timestamp;
    if (assigner !== undefined) {
      const field = this.timestampField;
      try {
        if (field !== undefined) ts = (value as Record<string, number>)[field]!;
        else ts = this.assignerReadsRecordTimestamp ? assigner(value, ts) : (assigner as (v: T) => number)(value);
      } catch (e) {
        throw this.userError(e);
      }
    }
    if (!isValidTimestamp(ts)) {
      this.rejectTimestamp(value, ts, input.timestamp);
      return;
    }
    if (this.idle) this.markActive();
    const out = this.record;
    out.value = value;
    out.timestamp = ts;
    this.out.processElement(out);
    if (this.bound >= 0) {
      if (ts > this.maxTimestamp) {
        this.maxTimestamp = ts;
        if (this.perElement) this.emitWatermark(ts - this.bound - 1);
        else this.pending = true;
      }
      return;
    }
    try {
      this.generator!.onEvent(value, ts, this);
      if (this.perElement) this.generator!.onPeriodicEmit(this);
      else this.pending = true;
    } catch (e) {
      throw this.userError(e);
    }
  }

  override snapshotTime(): TimeState | undefined {
    const generator = this.bound >= 0 ? this.maxTimestamp : this.generator?.snapshotState?.();
    return { watermark: this.lastEmitted, generator };
  }

  override restoreTime(time: TimeState): void {
    this.lastEmitted = time.watermark;
    this.currentWatermark = time.watermark;
    if (this.bound >= 0) this.maxTimestamp = (time.generator as number | undefined) ?? Number.NEGATIVE_INFINITY;
    else this.restoredGenerator = time.generator;
  }

  /** Upstream watermarks do not pass: this operator's generator defines event time. */
  override processWatermark(_watermark: number): void {}

  override processIdle(_idle: boolean): void {}

  override endInput(): void {
    this.emitWatermark(Number.POSITIVE_INFINITY);
    this.out.endInput();
  }

  /** Due at once after a batch that brought elements; else at the next period. */
  nextProcessingTime(): number {
    return this.pending ? Number.NEGATIVE_INFINITY : this.nextPeriodic;
  }

  override onProcessingTime(now: number): void {
    if (now === Number.POSITIVE_INFINITY) return;
    if (now >= this.nextPeriodic) this.nextPeriodic = now + this.interval;
    else if (!this.pending) return;
    this.pending = false;
    if (this.bound >= 0) {
      this.emitWatermark(this.maxTimestamp - this.bound - 1);
      return;
    }
    try {
      this.generator!.onPeriodicEmit(this);
    } catch (e) {
      throw this.userError(e);
    }
  }

  emitWatermark(timestamp: number): void {
    if (timestamp > this.lastEmitted) {
      this.lastEmitted = timestamp;
      this.currentWatermark = timestamp;
      if (this.idle) this.markActive();
      this.out.processWatermark(timestamp);
    }
  }

  markIdle(): void {
    if (!this.idle) {
      this.idle = true;
      this.out.processIdle(true);
    }
  }

  markActive(): void {
    if (this.idle) {
      this.idle = false;
      this.out.processIdle(false);
    }
  }

  private rejectTimestamp(value: T, ts: unknown, recordTimestamp: number): void {
    const reason = invalidTimestampReason('timestamp assigner returned', ts);
    this.ctx.counters.deadLetters++;
    if (this.deadLetters) {
      this.deadLetterRecord.value = { input: value, reason, source: this.ctx.name };
      this.deadLetterRecord.timestamp = recordTimestamp;
      this.deadLetters.processElement(this.deadLetterRecord);
      return;
    }
    throw new UserFunctionError(
      this.ctx.name,
      undefined,
      new TypeError(`${reason} (consume stream.getSideOutput(DEAD_LETTERS) to route such elements instead of failing)`),
    );
  }
}
