/**
 * Interval joins (Flink's `KeyedStream.IntervalJoin` and `IntervalJoined`):
 * `a.keyBy(k).intervalJoin(b.keyBy(k)).between(lower, upper).process(fn)` pairs every `a` element
 * with every `b` element of the same key whose timestamp lies in
 * `[a.ts + lower, a.ts + upper]`; `lowerBoundExclusive()` / `upperBoundExclusive()` open either
 * end. Event time only: the watermark decides when buffered elements can no longer match.
 */
import { ConfigError } from '../errors.js';
import type { ProcessJoinFunction } from '../contract/join-functions.js';
import type { OutputTag } from '../contract/output-tag.js';
import { erased } from '../contract/plan.js';
import { type Duration, toMillis } from '../time/time.js';
import { DataStream } from './data-stream.js';
import type { KeyedStream } from './keyed-stream.js';

/**
 * Two keyed streams to be joined on time intervals; choose the interval with `between`.
 *
 * @example
 * ```ts
 * clicks.keyBy('user').intervalJoin(views.keyBy('user')).between(Time.seconds(-5), 0);
 * ```
 */
export class IntervalJoin<T1, T2, K> {
  /** @internal */
  constructor(
    private readonly left: KeyedStream<T1, K>,
    private readonly right: KeyedStream<T2, K>,
  ) {}

  /**
   * Pairs left elements at `t` with right elements in `[t + lower, t + upper]` (both inclusive
   * until made exclusive). Bounds may be negative; `lower <= upper`.
   *
   * @example
   * ```ts
   * orders.keyBy('id').intervalJoin(payments.keyBy('orderId')).between(0, Time.minutes(15));
   * ```
   */
  between(lower: Duration, upper: Duration): IntervalJoined<T1, T2, K> {
    const lo = toMillis(lower);
    const up = toMillis(upper);
    if (!Number.isFinite(lo) || !Number.isFinite(up)) throw new ConfigError(`intervalJoin().between(${lo}, ${up}): bounds must be finite`);
    if (lo > up) throw new ConfigError(`intervalJoin().between(${lo}, ${up}): the lower bound must not be greater than the upper bound`);
    return new IntervalJoined(this.left, this.right, lo, up);
  }
}

/**
 * An interval join with its bounds; `process` builds it.
 *
 * @example
 * ```ts
 * const late = new OutputTag<Click>('late-clicks');
 * clicks.keyBy('user').intervalJoin(views.keyBy('user'))
 *   .between(-5_000, 0).upperBoundExclusive().sideOutputLeftLateData(late)
 *   .process<string>((click, view, ctx, out) => out.collect(`${click.id} after ${view.page}`));
 * ```
 */
export class IntervalJoined<T1, T2, K> {
  private lowerInclusive = true;
  private upperInclusive = true;
  private leftLate: string | undefined;
  private rightLate: string | undefined;

  /** @internal */
  constructor(
    private readonly left: KeyedStream<T1, K>,
    private readonly right: KeyedStream<T2, K>,
    private readonly lower: number,
    private readonly upper: number,
  ) {}

  /**
   * Excludes `t + lower` itself.
   *
   * @example
   * ```ts
   * joined.lowerBoundExclusive();
   * ```
   */
  lowerBoundExclusive(): this {
    this.lowerInclusive = false;
    return this;
  }

  /**
   * Excludes `t + upper` itself.
   *
   * @example
   * ```ts
   * joined.upperBoundExclusive();
   * ```
   */
  upperBoundExclusive(): this {
    this.upperInclusive = false;
    return this;
  }

  /**
   * Left elements that arrive behind the watermark go to this side output (else they are dropped
   * and counted in the operator's `lateRecordsDropped`).
   *
   * @example
   * ```ts
   * const lateOrders = new OutputTag<Order>('late-orders');
   * const paid = joined.sideOutputLeftLateData(lateOrders).process(fn);
   * paid.getSideOutput(lateOrders).print('late');
   * ```
   */
  sideOutputLeftLateData(tag: OutputTag<T1>): this {
    this.leftLate = tag.id;
    return this;
  }

  /**
   * Right elements that arrive behind the watermark go to this side output.
   *
   * @example
   * ```ts
   * joined.sideOutputRightLateData(new OutputTag<Payment>('late-payments'));
   * ```
   */
  sideOutputRightLateData(tag: OutputTag<T2>): this {
    this.rightLate = tag.id;
    return this;
  }

  /**
   * Builds the join: `fn` is called for every pair, whose output is stamped with the larger of
   * the two timestamps.
   *
   * @example
   * ```ts
   * joined.process<[Order, Payment]>((o, p, _ctx, out) => out.collect([o, p]));
   * ```
   */
  process<R>(fn: ProcessJoinFunction<T1, T2, R>): DataStream<R> {
    const left = this.left.input;
    const right = this.right.input;
    const env = left.env;
    if (right.env !== env) throw new ConfigError('intervalJoin(): both streams must come from the same StreamEnvironment');
    const valid = typeof fn === 'function' || (typeof fn === 'object' && fn !== null && typeof fn.processElement === 'function');
    if (!valid) throw new ConfigError('intervalJoin().process(fn): fn must be a function (left, right, ctx, out) or an object with processElement');
    const id = env.addNode(
      'intervalJoin',
      'Interval Join',
      {
        keySelector1: erased(this.left.keySelector),
        keySelector2: erased(this.right.keySelector),
        lowerBound: this.lower,
        upperBound: this.upper,
        lowerBoundInclusive: this.lowerInclusive,
        upperBoundInclusive: this.upperInclusive,
        fn: erased(fn),
        leftLateTag: this.leftLate,
        rightLateTag: this.rightLate,
      },
      [left.asInput('hash', 0), right.asInput('hash', 1)],
    );
    return new DataStream<R>(env, id);
  }
}
