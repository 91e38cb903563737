/**
 * @weir/windows: the window assigners, triggers and evictors (Flink's) and the seed's policies
 * (`Time.of`, `Count.of`, `Delta.of`, `every`), under the package name the seed's programs
 * import them from. They live in `@weir/core` (its `countWindow` and `window(Time.of(...))`
 * build them), and this package re-exports the very same classes: importing from either package
 * gives the same objects, and nothing is registered at import time.
 *
 * @example
 * ```ts
 * import { Time, TumblingEventTimeWindows } from '@weir/windows';
 * ticks.keyBy('symbol').window(TumblingEventTimeWindows.of(Time.seconds(10))).maxBy('price');
 * ```
 * @packageDocumentation
 */
export {
  Time,
  TimeUnit,
  type Duration,
  TimeWindow,
  GlobalWindow,
  TriggerResult,
  TumblingEventTimeWindows,
  SlidingEventTimeWindows,
  TumblingProcessingTimeWindows,
  SlidingProcessingTimeWindows,
  CumulativeEventTimeWindows,
  CumulativeProcessingTimeWindows,
  EventTimeSessionWindows,
  ProcessingTimeSessionWindows,
  GlobalWindows,
  WindowStagger,
  EventTimeTrigger,
  ProcessingTimeTrigger,
  CountTrigger,
  PurgingTrigger,
  DeltaTrigger,
  type DeltaFunction,
  ContinuousEventTimeTrigger,
  ContinuousProcessingTimeTrigger,
  ProcessingTimeoutTrigger,
  NeverTrigger,
  EndOfStreamTrigger,
  CountEvictor,
  TimeEvictor,
  DeltaEvictor,
  Count,
  Delta,
} from '@weir/core';
