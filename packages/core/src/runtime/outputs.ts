/**
 * The Downstream plumbing between operators: fan-out to several consumers, side outputs that
 * also receive watermarks and end of input, the second input of two-input operators, and the
 * channel inputs of operators that read several edges (through a {@link WatermarkValve}).
 * A single forward consumer needs none of these: its operator is the Downstream itself.
 * @internal
 */
import type { Downstream } from '../contract/downstream.js';
import type { StreamOperator } from '../contract/operator.js';
import type { StreamRecord } from '../contract/stream-record.js';
import type { WatermarkValve } from './watermark-valve.js';

export class BroadcastOutput<T> implements Downstream<T> {
  constructor(private readonly targets: readonly Downstream<T>[]) {}
  processElement(record: StreamRecord<T>): void {
    const t = this.targets;
    for (let i = 0; i < t.length; i++) t[i]!.processElement(record);
  }
  processWatermark(watermark: number): void {
    for (const t of this.targets) t.processWatermark(watermark);
  }
  processIdle(idle: boolean): void {
    for (const t of this.targets) t.processIdle(idle);
  }
  endInput(): void {
    for (const t of this.targets) t.endInput();
  }
}

/** Main output whose watermarks, idleness and end also go to the side outputs. */
export class OutputWithSides<T> implements Downstream<T> {
  constructor(
    private readonly main: Downstream<T>,
    private readonly sides: readonly Downstream<unknown>[],
  ) {}
  processElement(record: StreamRecord<T>): void {
    this.main.processElement(record);
  }
  processWatermark(watermark: number): void {
    this.main.processWatermark(watermark);
    for (const s of this.sides) s.processWatermark(watermark);
  }
  processIdle(idle: boolean): void {
    this.main.processIdle(idle);
    for (const s of this.sides) s.processIdle(idle);
  }
  endInput(): void {
    this.main.endInput();
    for (const s of this.sides) s.endInput();
  }
}

/** One incoming edge of an operator with several: elements straight in, watermarks via the valve. */
export class ChannelInput<T> implements Downstream<T> {
  /** Records that arrived on this edge (metrics: the producer's output on this edge). */
  count = 0;
  constructor(
    private readonly operator: StreamOperator<unknown, unknown>,
    private readonly valve: WatermarkValve,
    private readonly channel: number,
    private readonly second: boolean,
  ) {}
  processElement(record: StreamRecord<T>): void {
    this.count++;
    if (this.second) this.operator.processElement2!(record as StreamRecord<unknown>);
    else this.operator.processElement(record as StreamRecord<unknown>);
  }
  processWatermark(watermark: number): void {
    this.valve.watermark(this.channel, watermark);
  }
  processIdle(idle: boolean): void {
    this.valve.idle(this.channel, idle);
  }
  endInput(): void {
    if (this.valve.end(this.channel)) this.operator.endInput();
  }
}
