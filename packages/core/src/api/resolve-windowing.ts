/**
 * Turns what the fluent API was given into a window definition: `window(assigner)`,
 * `window(policy)` and `window(policy).every(policy)` (the seed's `Time.of`, `Count.of`,
 * `Delta.of`), and modern Flink's `countWindow(size, slide?)`. It lives in the API layer, next
 * to the methods that call it, and constructs the window classes itself: no registry.
 *
 * `countWindow(size)` = global window + PurgingTrigger(CountTrigger(size));
 * `countWindow(size, slide)` = global window + CountEvictor(size) + CountTrigger(slide).
 */
import { ConfigError } from '../errors.js';
import { isTime } from '../time/time.js';
import { isWindowAssigner } from '../contract/window-assigner.js';
import { isWindowPolicy, type Windowing, type WindowPolicy } from '../contract/window-definition.js';
import type { Trigger } from '../contract/trigger.js';
import type { Window } from '../contract/window.js';
import { GlobalWindows } from '../windows/assigners/global-windows.js';
import { CountEvictor } from '../windows/evictors/count-evictor.js';
import { TimePolicy } from '../windows/policies/time-policy.js';
import { CountTrigger } from '../windows/triggers/count-trigger.js';
import { PurgingTrigger } from '../windows/triggers/purging-trigger.js';

/** A policy, or a bare duration (`window(Time.of(10, 'seconds'))` is the seed's time policy). */
function toPolicy(x: unknown): WindowPolicy | undefined {
  if (isWindowPolicy(x)) return x;
  return isTime(x) ? new TimePolicy(x) : undefined;
}

/** @internal Resolves `window(spec)` and an optional `every(slide)`. */
export function resolveWindowing(spec: unknown, slide?: unknown): Windowing<unknown, Window> {
  if (isWindowAssigner(spec)) {
    if (slide !== undefined) {
      throw new ConfigError(`every() applies to the seed's window policies (Time.of, Count.of, Delta.of); with an assigner use e.g. SlidingEventTimeWindows.of(size, slide)`);
    }
    return { assigner: spec };
  }
  const slidePolicy = slide === undefined ? undefined : toPolicy(slide);
  if (slide !== undefined && slidePolicy === undefined) {
    throw new ConfigError(`every() takes a window policy (Time.of, Count.of, Delta.of), got ${String(slide)}`);
  }
  const policy = toPolicy(spec);
  if (policy === undefined) throw new ConfigError(`window() takes a window assigner or a policy (Time.of, Count.of, Delta.of), got ${String(spec)}`);
  return policy.toWindowing(slidePolicy);
}

/** @internal Modern Flink's `countWindow(size, slide?)`. */
export function countWindowing(size: number, slide?: number): Windowing<unknown, Window> {
  return slide === undefined
    ? { assigner: GlobalWindows.create(), trigger: PurgingTrigger.of(CountTrigger.of(size)) as Trigger<unknown, Window> }
    : { assigner: GlobalWindows.create(), evictor: CountEvictor.of(size), trigger: CountTrigger.of(slide) };
}
