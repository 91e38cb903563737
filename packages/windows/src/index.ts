/**
 * @weir/windows: window assigners, triggers and evictors (Flink's), and the seed's policies
 * (`Time.of`, `Count.of`, `Delta.of`, `every`). Importing it registers the policies with core.
 *
 * @example
 * ```ts
 * import { Time, TumblingEventTimeWindows } from '@weir/windows';
 * ticks.keyBy('symbol').window(TumblingEventTimeWindows.of(Time.seconds(10))).maxBy('price');
 * ```
 * @packageDocumentation
 */
import './register.js';

export { Time, TimeUnit, type Duration, TimeWindow, GlobalWindow, TriggerResult } from '@weir/core';
export { TumblingEventTimeWindows } from './assigners/tumbling-event-time-windows.js';
export { SlidingEventTimeWindows } from './assigners/sliding-event-time-windows.js';
export { TumblingProcessingTimeWindows } from './assigners/tumbling-processing-time-windows.js';
export { SlidingProcessingTimeWindows } from './assigners/sliding-processing-time-windows.js';
export { EventTimeSessionWindows, ProcessingTimeSessionWindows } from './assigners/session-windows.js';
export { GlobalWindows } from './assigners/global-windows.js';
export { EventTimeTrigger } from './triggers/event-time-trigger.js';
export { ProcessingTimeTrigger } from './triggers/processing-time-trigger.js';
export { CountTrigger } from './triggers/count-trigger.js';
export { PurgingTrigger } from './triggers/purging-trigger.js';
export { DeltaTrigger, type DeltaFunction } from './triggers/delta-trigger.js';
export { ContinuousEventTimeTrigger } from './triggers/continuous-event-time-trigger.js';
export { NeverTrigger, EndOfStreamTrigger } from './triggers/never-trigger.js';
export { CountEvictor } from './evictors/count-evictor.js';
export { TimeEvictor } from './evictors/time-evictor.js';
export { DeltaEvictor } from './evictors/delta-evictor.js';
export { Count } from './policies/count-policy.js';
export { Delta } from './policies/delta-policy.js';
