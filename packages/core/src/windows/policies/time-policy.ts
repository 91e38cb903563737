/**
 * `window(Time.of(size))` (tumbling) and `window(Time.of(size)).every(Time.of(slide))` (sliding),
 * event-time windows aligned to the epoch on element timestamps, as modern Flink. As the size of
 * a count- or delta-sliding window it keeps the last `size` of time (TimeEvictor); as the slide
 * of such a window it fires every `slide` of event time.
 */
import type { Evictor } from '../../contract/evictor.js';
import type { Time } from '../../time/time.js';
import type { TimeWindow, Window } from '../../contract/window.js';
import type { Trigger } from '../../contract/trigger.js';
import type { Windowing } from '../../contract/window-definition.js';
import { SlidingEventTimeWindows } from '../assigners/sliding-event-time-windows.js';
import { TumblingEventTimeWindows } from '../assigners/tumbling-event-time-windows.js';
import { TimeEvictor } from '../evictors/time-evictor.js';
import { ContinuousEventTimeTrigger } from '../triggers/continuous-event-time-trigger.js';
import { SeedPolicy } from './seed-policy.js';

/** @internal */
export class TimePolicy extends SeedPolicy<TimeWindow> {
  /** Tells a time policy from the others by shape (see isSeedPolicy). */
  readonly policy = 'time' as const;
  constructor(readonly size: Time) {
    super();
  }
  protected alone(): Windowing<unknown, Window> {
    return { assigner: TumblingEventTimeWindows.of(this.size) };
  }
  protected override combineWith(slide: SeedPolicy): Windowing<unknown, Window> | undefined {
    return (slide as Partial<TimePolicy>).policy === 'time' ? { assigner: SlidingEventTimeWindows.of(this.size, (slide as TimePolicy).size) } : undefined;
  }
  asEvictor(): Evictor<unknown, Window> {
    return TimeEvictor.of(this.size);
  }
  asSlideTrigger(): Trigger<unknown, Window> {
    return ContinuousEventTimeTrigger.of(this.size);
  }
  toString(): string {
    return `Time.of(${this.size.toMilliseconds()} ms)`;
  }
}
