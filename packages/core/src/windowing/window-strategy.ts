/**
 * Which window operator runs a window node, decided from the plan alone (so translation tests can
 * check it without running anything):
 *
 * - `tumbling` / `sliding` (the slicing family): tumbling or sliding windows, event or processing
 *   time, with the assigner's own trigger, no evictor, and an incremental function (a built-in
 *   aggregation, `reduce`, or `aggregate`, optionally with a ProcessWindowFunction over the
 *   result); sliding windows combine slices when the function can merge (built-ins, reduce, an
 *   AggregateFunction with `merge`), and keep an accumulator per window when it cannot. Allowed
 *   lateness and late side output included.
 *   Operators: tumbling-window-operator.ts, sliding-window-operator.ts.
 * - `sessions`: the built-in session assigners (fixed or dynamic gap, event or processing time)
 *   with their own trigger, no evictor, and an incremental function that can merge.
 *   Operator: session-window-operator.ts.
 * - `count-delta`: count and delta windows with an incremental function and no evictor (a global
 *   window with one of weir's count or delta triggers: `countWindow(n)`, `CountTrigger`,
 *   `DeltaTrigger`, purging or not, the seed's `Count.of`, `Delta.of`): a lean form of the
 *   generic operator that keeps the trigger's count or reference next to the accumulator
 *   (count-delta-window-operator.ts).
 * - `generic`: everything else (custom triggers, evictors, global windows with other triggers,
 *   custom assigners, ProcessWindowFunctions over all elements): Flink's WindowOperator
 *   (generic-window-operator.ts).
 *
 * Example: `keyBy(k).window(Time.of(10, 'seconds')).every(Time.of(5, 'seconds')).maxBy('price')`
 * is `sliding`; the same with `.evictor(CountEvictor.of(3))` is `generic`.
 */
import type { WindowNodeSpec } from '../contract/plan.js';
import { slicingOf } from '../contract/slicing.js';
import { countDeltaRuleOf } from './count-delta-window-operator.js';
import { incrementalFunctionOf } from './window-contents.js';

/**
 * The window operator family of a window node.
 *
 * @example
 * ```ts
 * const node = env.explain().nodes.find((n) => n.kind === 'window');
 * if (node?.kind === 'window') chooseWindowStrategy(node.spec); // 'tumbling', 'sliding', 'sessions' or 'generic'
 * ```
 */
export type WindowStrategy = 'tumbling' | 'sliding' | 'sessions' | 'count-delta' | 'generic';

/** True when the window fires with the assigner's own trigger (given or by default). */
function assignersOwnTrigger(spec: WindowNodeSpec): boolean {
  return spec.defaultTrigger || spec.trigger === spec.assigner.getDefaultTrigger();
}

/** @internal The operator family a window node runs on (see the module comment). */
export function chooseWindowStrategy(spec: WindowNodeSpec): WindowStrategy {
  if (countDeltaRuleOf(spec) !== undefined) return 'count-delta';
  if (spec.evictor !== undefined || !assignersOwnTrigger(spec)) return 'generic';
  const fn = incrementalFunctionOf(spec.fn);
  if (fn === undefined) return 'generic';
  const assigner = spec.assigner;
  if (typeof assigner.mergeWindows === 'function') {
    const sessions = (assigner as { mergesByIntersection?: boolean; sessionGap?: unknown }).mergesByIntersection === true && typeof (assigner as { sessionGap?: unknown }).sessionGap === 'function';
    return sessions && fn.accumulator.canMerge ? 'sessions' : 'generic';
  }
  const slicing = slicingOf(assigner);
  if (slicing === undefined) return 'generic';
  if (slicing.slide === slicing.size) return 'tumbling';
  return slicing.slide < slicing.size ? 'sliding' : 'generic';
}
