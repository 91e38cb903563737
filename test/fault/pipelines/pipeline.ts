/**
 * A pipeline of the fault-injection suite: how the job is built (run in the child process) and
 * an independent model of its output computed in plain code (run by the driver).
 */
import { type DataStream, WatermarkStrategy } from '@weir/core';
import { BOUND_MS, type Ev, parseLine } from './events.js';

export interface FaultPipeline {
  readonly name: string;
  /** From the stream of input lines to the stream of output lines. Output lines start with `key|`. */
  build(lines: DataStream<string>): DataStream<string>;
  /** The expected output lines, each key's lines in the order the job emits them. */
  model(events: readonly Ev[]): string[];
}

/** Parsed events with event time (bounded out-of-orderness BOUND_MS). */
export function eventTime(lines: DataStream<string>): DataStream<Ev> {
  return lines.map(parseLine).assignTimestampsAndWatermarks(WatermarkStrategy.forBoundedOutOfOrderness<Ev>(BOUND_MS).withTimestampAssigner((e) => e.ts));
}

/** Floor-mod window start, as Flink's getWindowStartWithOffset (offset 0). */
export const windowStart = (ts: number, size: number): number => ts - (((ts % size) + size) % size);

export const sumOf = (xs: readonly Ev[]): number => xs.reduce((n, e) => n + e.v, 0);
