/**
 * Which evaluation a window node gets, decided from the plan alone (so translation tests can check
 * it without running anything):
 *
 * - `panes`: fixed-size event-time windows (tumbling, or sliding with slide <= size) with a
 *   built-in aggregation, the assigner's own trigger, no evictor and no allowed lateness:
 *   per-key accumulators per pane, windows assembled from panes (paned-aggregation.ts).
 * - `generic`: everything else, Flink's WindowOperator semantics (window-operator.ts).
 *
 * Example: `keyBy(k).window(Time.of(10, 'seconds')).every(Time.of(5, 'seconds')).maxBy('price')`
 * takes panes; the same with `.evictor(CountEvictor.of(3))` is generic.
 */
import type { WindowNodeSpec } from '../contract/plan.js';
import { slicingOf } from '../contract/slicing.js';
import { fieldAggregationOf } from './window-contents.js';

/**
 * The evaluation strategy of a window node.
 *
 * @example
 * ```ts
 * const node = env.explain().nodes.find((n) => n.kind === 'window');
 * if (node?.kind === 'window') chooseWindowStrategy(node.spec); // 'panes' or 'generic'
 * ```
 */
export type WindowStrategy = 'panes' | 'generic';

/** @internal The strategy a window node is evaluated with (see the module comment). */
export function chooseWindowStrategy(spec: WindowNodeSpec): WindowStrategy {
  const slicing = slicingOf(spec.assigner);
  const panes =
    slicing !== undefined &&
    slicing.slide <= slicing.size &&
    fieldAggregationOf(spec.fn) !== undefined &&
    spec.defaultTrigger &&
    spec.evictor === undefined &&
    spec.allowedLateness === 0 &&
    spec.assigner.isEventTime() &&
    typeof spec.assigner.mergeWindows !== 'function';
  return panes ? 'panes' : 'generic';
}
