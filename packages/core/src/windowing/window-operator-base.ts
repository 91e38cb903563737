/**
 * What the window operators of every family share (generic, slicing, sessions): the plan's
 * window spec, the key of the element (one constant key for non-keyed windows, as Flink's
 * `windowAll`), the collector and the context that window functions see, emitting a result
 * through an optional ProcessWindowFunction, and the late side output.
 * @internal
 */
import type { OperatorContext } from '../contract/operator.js';
import type { WindowNodeSpec } from '../contract/plan.js';
import type { Downstream } from '../contract/downstream.js';
import { AbstractKeyedOperator } from '../contract/abstract-keyed-operator.js';
import { TimestampedCollector } from '../contract/timestamped-collector.js';
import { isThenable, promiseReturnedError } from '../contract/refuse-promise.js';
import type { ProcessWindowFunction } from '../contract/window-functions.js';
import type { Window } from '../contract/window.js';
import { WindowContextImpl } from './window-context.js';

/** A ProcessWindowFunction as the plan stores it. */
export type PlanProcessWindowFunction = ProcessWindowFunction<unknown, unknown, unknown, Window>;

/**
 * The table option of every window operator's state: values are changed in place only after
 * `update()` for their entry (docs/architecture.md, "State tables"), so reads and iterations cost
 * nothing for copy-on-write snapshots and incremental checkpoints.
 */
export const MUTATES_THROUGH_UPDATE = { mutatesThroughUpdate: true } as const;

/** The one key of a non-keyed window (`windowAll`): the operator sees no other. */
const NON_KEYED = 0;

export abstract class WindowOperatorBase extends AbstractKeyedOperator<unknown, unknown> {
  collector: TimestampedCollector<unknown> = undefined as unknown as TimestampedCollector<unknown>;
  context: WindowContextImpl = undefined as unknown as WindowContextImpl;
  private lateOut: Downstream<unknown> | undefined = undefined;

  constructor(protected readonly spec: WindowNodeSpec) {
    super();
  }

  get operatorName(): string {
    return this.ctx.name;
  }

  override open(ctx: OperatorContext<unknown>): void {
    super.open(ctx);
    this.collector = new TimestampedCollector(this.out);
    this.context = new WindowContextImpl(
      this.backend,
      () => this.currentWatermark,
      () => ctx.clock.now(),
      (id) => ctx.sideOutput(id),
    );
    if (this.spec.lateDataTag !== undefined) this.lateOut = ctx.sideOutput(this.spec.lateDataTag);
  }

  /** Live (key, window) accumulators (metrics). */
  abstract liveWindows(): number;

  /** Makes the element's key the backend's current key. */
  protected selectElementKey(value: unknown): void {
    const keySelector = this.spec.keySelector;
    if (keySelector === undefined) this.backend.currentKey = NON_KEYED;
    else this.selectKey(keySelector, value);
  }

  /** The user-visible current key (undefined for non-keyed windows). */
  protected userKey(): unknown {
    return this.spec.keySelector === undefined ? undefined : this.backend.getCurrentKey();
  }

  /**
   * Emits one window result with the given timestamp: as it is, or through the
   * ProcessWindowFunction applied to the aggregate (Flink's `aggregate(fn, processFn)`).
   */
  protected emitResult(result: unknown, window: Window, timestamp: number, process: PlanProcessWindowFunction | undefined): void {
    this.collector.record.timestamp = timestamp;
    if (process === undefined) {
      this.collector.collect(result);
      return;
    }
    this.context.window = window;
    this.context.timestamp = timestamp;
    this.callProcess(process, [result]);
  }

  /** Calls a ProcessWindowFunction for the current key (the caller set window and timestamp). */
  protected callProcess(fn: PlanProcessWindowFunction, elements: readonly unknown[]): void {
    const key = this.userKey();
    const out: unknown =
      typeof fn === 'function' ? fn(key, this.context, elements, this.collector) : fn.process(key, this.context, elements, this.collector);
    if (isThenable(out)) throw promiseReturnedError(this.ctx.name, 'window function', out);
  }

  /** The window is discarded: a ProcessWindowFunction's `clear` drops its per-window state. */
  protected clearProcessState(fn: PlanProcessWindowFunction | undefined, window: Window): void {
    if (fn === undefined || typeof fn === 'function' || fn.clear === undefined) return;
    this.context.window = window;
    fn.clear(this.context);
  }

  /** An element no window takes any more: to the late side output, or counted as dropped. */
  handleLate(value: unknown, timestamp: number): void {
    if (this.lateOut !== undefined) {
      this.ctx.counters.lateRecordsSideOutput++;
      const r = this.record;
      r.value = value;
      r.timestamp = timestamp;
      this.lateOut.processElement(r);
    } else {
      this.ctx.counters.lateRecordsDropped++;
    }
  }
}
