/**
 * A test harness for one operator, after Flink's `KeyedOneInputStreamOperatorTestHarness`: feed
 * elements, watermarks and processing time by hand, read what came out (records with their
 * timestamps, watermarks, side outputs), and snapshot/restore the operator into a fresh instance
 * the way the job runner does (keyed state per key group, operator state, event-time position).
 *
 * Example: `const h = OperatorHarness.open(() => windowOperator(spec)); h.element(x, 1000);
 * h.watermark(2999); h.values()`.
 */
import type { Downstream } from '../contract/downstream.js';
import type { OperatorContext, OperatorCounters, StreamOperator, TimeState } from '../contract/operator.js';
import { StreamRecord } from '../contract/stream-record.js';
import { KeyedStateBackend, type KeyedStateSnapshot } from '../state/keyed-state-backend.js';
import { ManualClock } from '../time/clock.js';

/** One output of the harness: a record (value, timestamp) or a watermark. */
export type HarnessOutput<T> = { readonly value: T; readonly timestamp: number } | { readonly watermark: number };

class Recorder<T> implements Downstream<T> {
  readonly out: HarnessOutput<T>[] = [];
  ended = false;
  processElement(r: StreamRecord<T>): void {
    this.out.push({ value: r.value, timestamp: r.timestamp });
  }
  processWatermark(watermark: number): void {
    this.out.push({ watermark });
  }
  processIdle(): void {}
  endInput(): void {
    this.ended = true;
  }
}

/** Everything a harness hands over at a snapshot. */
export interface HarnessSnapshot {
  readonly keyed: KeyedStateSnapshot;
  readonly operator: unknown;
  readonly time: TimeState | undefined;
  readonly processingTime: number;
}

export interface HarnessOptions {
  /** Processing time at the start (default 0). */
  readonly processingTime?: number;
  readonly perElementWatermarks?: boolean;
}

export class OperatorHarness<IN, OUT> {
  readonly clock: ManualClock;
  readonly main = new Recorder<OUT>();
  private readonly sides = new Map<string, Recorder<unknown>>();
  readonly backend = new KeyedStateBackend('harness');
  readonly counters: OperatorCounters = { recordsIn: 0, recordsOut: 0, lateRecordsDropped: 0, lateRecordsSideOutput: 0, deadLetters: 0 };
  private readonly record = new StreamRecord<IN>();
  private checkpointId = 0;

  private constructor(
    readonly operator: StreamOperator<IN, OUT>,
    options: HarnessOptions,
  ) {
    this.clock = new ManualClock(options.processingTime ?? 0);
  }

  /** A fresh operator from `create`, opened. */
  static open<IN, OUT>(create: () => StreamOperator<IN, OUT>, options: HarnessOptions = {}): OperatorHarness<IN, OUT> {
    const h = new OperatorHarness(create(), options);
    h.operator.open(h.context(options));
    return h;
  }

  /** A fresh operator from `create`, restored from `snapshot` and opened (Flink's initializeState + open). */
  static restore<IN, OUT>(create: () => StreamOperator<IN, OUT>, snapshot: HarnessSnapshot, options: HarnessOptions = {}): OperatorHarness<IN, OUT> {
    const h = new OperatorHarness(create(), { ...options, processingTime: snapshot.processingTime });
    if (snapshot.time !== undefined) h.operator.restoreTime?.(snapshot.time);
    h.backend.restore(snapshot.keyed);
    h.operator.restoreState?.({ keyed: snapshot.keyed, operator: snapshot.operator });
    h.operator.open(h.context(options));
    return h;
  }

  private context(options: HarnessOptions): OperatorContext<OUT> {
    return {
      name: 'harness',
      uid: 'harness',
      clock: this.clock,
      settings: { perElementWatermarks: options.perElementWatermarks ?? true, autoWatermarkIntervalMs: 200, maxParallelism: 128, checkpointing: true },
      output: this.main,
      sideOutput: (tagId) => {
        let r = this.sides.get(tagId);
        if (r === undefined) this.sides.set(tagId, (r = new Recorder()));
        return r as Downstream<unknown>;
      },
      keyed: this.backend,
      counters: this.counters,
    };
  }

  element(value: IN, timestamp: number): this {
    this.record.value = value;
    this.record.timestamp = timestamp;
    this.operator.processElement(this.record);
    return this;
  }

  watermark(watermark: number): this {
    this.operator.processWatermark(watermark);
    return this;
  }

  /** Moves processing time to `t` and fires what is due (Flink's setProcessingTime). */
  processingTime(t: number): this {
    this.clock.set(t);
    const op = this.operator;
    if (op.nextProcessingTime !== undefined && op.nextProcessingTime() <= t) op.onProcessingTime!(t);
    return this;
  }

  endInput(): this {
    this.operator.endInput();
    return this;
  }

  snapshot(): HarnessSnapshot {
    const id = ++this.checkpointId;
    return {
      keyed: this.backend.snapshot(),
      operator: this.operator.snapshotState?.(id)?.operator,
      time: this.operator.snapshotTime?.(),
      processingTime: this.clock.now(),
    };
  }

  /** Records of the main output (timestamps included), in order. */
  records(): Array<{ value: OUT; timestamp: number }> {
    return this.main.out.filter((o): o is { value: OUT; timestamp: number } => 'value' in o);
  }

  /** Values of the main output, in order. */
  values(): OUT[] {
    return this.records().map((r) => r.value);
  }

  /** Watermarks of the main output, in order. */
  watermarks(): number[] {
    return this.main.out.flatMap((o) => ('watermark' in o ? [o.watermark] : []));
  }

  /** Records of a side output, in order. */
  side<T>(tagId: string): Array<{ value: T; timestamp: number }> {
    const r = this.sides.get(tagId);
    return (r?.out ?? []).filter((o): o is { value: T; timestamp: number } => 'value' in o) as Array<{ value: T; timestamp: number }>;
  }

  /** Forgets the outputs recorded so far. */
  clearOutput(): void {
    this.main.out.length = 0;
    for (const r of this.sides.values()) r.out.length = 0;
  }
}
