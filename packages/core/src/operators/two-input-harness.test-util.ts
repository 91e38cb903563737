/**
 * Drives one keyed two-input operator by hand, after Flink's
 * `KeyedTwoInputStreamOperatorTestHarness`: elements and watermarks per input (the operator sees
 * the min of the two watermarks, as the runtime's valve gives it), output and side outputs
 * recorded, and snapshot/restore into a fresh instance the way the job runner does.
 */
import type { Downstream } from '../contract/downstream.js';
import type { OperatorContext, OperatorCounters, StreamOperator, TimeState } from '../contract/operator.js';
import { StreamRecord } from '../contract/stream-record.js';
import { KeyedStateBackend, type KeyedStateSnapshot } from '../state/keyed-state-backend.js';
import { ManualClock } from '../time/clock.js';

export type Out<T> = { readonly value: T; readonly timestamp: number } | { readonly watermark: number };

class Recorder<T> implements Downstream<T> {
  readonly out: Out<T>[] = [];
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

export interface TwoInputSnapshot {
  readonly keyed: KeyedStateSnapshot;
  readonly operator: unknown;
  readonly time: TimeState | undefined;
}

export class TwoInputHarness<OUT> {
  readonly clock = new ManualClock(0);
  readonly main = new Recorder<OUT>();
  readonly backend = new KeyedStateBackend('harness');
  readonly counters: OperatorCounters = { recordsIn: 0, recordsOut: 0, lateRecordsDropped: 0, lateRecordsSideOutput: 0, deadLetters: 0 };
  private readonly sides = new Map<string, Recorder<unknown>>();
  private readonly record = new StreamRecord<unknown>();
  private readonly wm: [number, number] = [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY];

  private constructor(readonly operator: StreamOperator<unknown, OUT>) {}

  static open<OUT>(operator: StreamOperator<unknown, OUT>, restored?: TwoInputSnapshot): TwoInputHarness<OUT> {
    const h = new TwoInputHarness(operator);
    if (restored) {
      if (restored.time !== undefined) operator.restoreTime?.(restored.time);
      h.backend.restore(restored.keyed);
      operator.restoreState?.({ keyed: restored.keyed, operator: restored.operator });
      if (restored.time !== undefined) h.wm[0] = h.wm[1] = restored.time.watermark;
    }
    operator.open(h.context());
    return h;
  }

  private context(): OperatorContext<OUT> {
    return {
      name: 'harness',
      uid: 'harness',
      clock: this.clock,
      settings: { perElementWatermarks: true, autoWatermarkIntervalMs: 200, maxParallelism: 128, checkpointing: true },
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

  element1(value: unknown, timestamp: number): this {
    this.record.value = value;
    this.record.timestamp = timestamp;
    this.operator.processElement(this.record);
    return this;
  }

  element2(value: unknown, timestamp: number): this {
    this.record.value = value;
    this.record.timestamp = timestamp;
    this.operator.processElement2!(this.record);
    return this;
  }

  watermark1(w: number): this {
    return this.watermark(0, w);
  }

  watermark2(w: number): this {
    return this.watermark(1, w);
  }

  private watermark(i: 0 | 1, w: number): this {
    if (w > this.wm[i]) this.wm[i] = w;
    this.operator.processWatermark(Math.min(this.wm[0], this.wm[1]));
    return this;
  }

  snapshot(): TwoInputSnapshot {
    return { keyed: this.backend.snapshot(), operator: this.operator.snapshotState?.(1)?.operator, time: this.operator.snapshotTime?.() };
  }

  records(): Array<{ value: OUT; timestamp: number }> {
    return this.main.out.filter((o): o is { value: OUT; timestamp: number } => 'value' in o);
  }

  side<T>(tagId: string): Array<{ value: T; timestamp: number }> {
    return (this.sides.get(tagId)?.out ?? []).filter((o): o is { value: T; timestamp: number } => 'value' in o);
  }
}
