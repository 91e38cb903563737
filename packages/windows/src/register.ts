/**
 * Registers this package with core, so that `window(Time.of(...))` and `countWindow(...)` work
 * on any stream once `@weir/windows` is imported. Modern Flink `countWindow(size)` =
 * global window + PurgingTrigger(CountTrigger(size)); `countWindow(size, slide)` = global window +
 * CountEvictor(size) + CountTrigger(slide).
 */
import { registerWindowingLibrary, type Trigger, type Window } from '@weir/core';
import { GlobalWindows } from './assigners/global-windows.js';
import { CountEvictor } from './evictors/count-evictor.js';
import { TimePolicy } from './policies/time-policy.js';
import { CountTrigger } from './triggers/count-trigger.js';
import { PurgingTrigger } from './triggers/purging-trigger.js';

registerWindowingLibrary({
  timePolicy: (size) => new TimePolicy(size),
  countWindow: (size, slide) =>
    slide === undefined
      ? { assigner: GlobalWindows.create(), trigger: PurgingTrigger.of(CountTrigger.of(size)) as Trigger<unknown, Window> }
      : { assigner: GlobalWindows.create(), evictor: CountEvictor.of(size), trigger: CountTrigger.of(slide) },
});
