/**
 * The user functions of the two-stream operations: Flink's `ProcessJoinFunction` (interval join)
 * and `CoGroupFunction` (windowed coGroup), and the interval join's spec in the plan.
 */
import type { Collector, NotAPromise } from '../functions/functions.js';
import type { OutputTag } from './output-tag.js';

/**
 * What a {@link ProcessJoinFunction} sees about a joined pair (Flink's `ProcessJoinFunction.Context`).
 *
 * @example
 * ```ts
 * const fn: ProcessJoinFunction<Click, View, string> = (click, view, ctx, out) =>
 *   out.collect(`${click.id} ${ctx.rightTimestamp - ctx.leftTimestamp} ms after its view`);
 * ```
 */
export interface ProcessJoinContext {
  /** Timestamp of the left (first) element. */
  readonly leftTimestamp: number;
  /** Timestamp of the right (second) element. */
  readonly rightTimestamp: number;
  /** Timestamp of the pair: the larger of the two (also the timestamp of what is collected). */
  readonly timestamp: number;
  /** Emits to a side output (with the pair's timestamp). */
  output<X>(tag: OutputTag<X>, value: X): void;
}

/**
 * Called for every pair of an interval join (Flink's `ProcessJoinFunction`): a plain function, or
 * an object with `processElement` and optional `open` / `close`.
 *
 * @example
 * ```ts
 * orders.keyBy('id').intervalJoin(payments.keyBy('orderId'))
 *   .between(0, Time.minutes(10))
 *   .process<string>((order, payment, ctx, out) => out.collect(`${order.id} paid at ${ctx.rightTimestamp}`));
 * ```
 */
export type ProcessJoinFunction<IN1, IN2, OUT> =
  | ((left: IN1, right: IN2, ctx: ProcessJoinContext, out: Collector<OUT>) => NotAPromise)
  | {
      open?(): void;
      processElement(left: IN1, right: IN2, ctx: ProcessJoinContext, out: Collector<OUT>): NotAPromise;
      close?(): void;
    };

/**
 * Called once per key and window of a coGroup with all elements of either side (Flink's
 * `CoGroupFunction`); one side may be empty.
 *
 * @example
 * ```ts
 * const leftOuter: CoGroupFunction<Order, Payment, string> = (orders, payments, out) => {
 *   for (const o of orders) out.collect(payments.length === 0 ? `${o.id} unpaid` : `${o.id} paid`);
 * };
 * ```
 */
export type CoGroupFunction<IN1, IN2, OUT> = (first: readonly IN1[], second: readonly IN2[], out: Collector<OUT>) => NotAPromise;

/**
 * The plan's spec of an interval join node.
 *
 * @example
 * ```ts
 * const node = env.explain().nodes.find((n) => n.kind === 'intervalJoin');
 * if (node?.kind === 'intervalJoin') console.log(node.spec.lowerBound, node.spec.upperBound);
 * ```
 */
export interface IntervalJoinNodeSpec {
  readonly keySelector1: (value: unknown) => unknown;
  readonly keySelector2: (value: unknown) => unknown;
  /** Relative bounds as given (ms): right.ts within [left.ts + lowerBound, left.ts + upperBound]. */
  readonly lowerBound: number;
  readonly upperBound: number;
  readonly lowerBoundInclusive: boolean;
  readonly upperBoundInclusive: boolean;
  readonly fn: ProcessJoinFunction<unknown, unknown, unknown>;
  readonly leftLateTag: string | undefined;
  readonly rightLateTag: string | undefined;
}
