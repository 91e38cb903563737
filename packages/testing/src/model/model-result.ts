/**
 * What a window model returns: the windows it fired, and the standard aggregations over them,
 * each as the array of values weir's own window aggregation would emit, in the same (canonical)
 * order as `runPipeline`'s results.
 */
import type { NumericField } from '@weir/core';
import { canonicalOrder, type TimestampedValue } from '../canonical-order.js';
import { type Acc, elementsOf, extremeByOf, extremeOf, sumOf } from './accumulation.js';
import type { Firing, Simulation } from './firing.js';

/**
 * One fired window of a model.
 *
 * @example
 * ```ts
 * const w: ModelWindow<TestEvent> = { key: 'a', start: 0, end: 10_000, timestamp: 9999, elements: [] };
 * ```
 */
export interface ModelWindow<E> {
  readonly key: unknown;
  /** Undefined for count windows. */
  readonly start: number | undefined;
  readonly end: number | undefined;
  /** The timestamp of the window's result. */
  readonly timestamp: number;
  /** The window's contents in state order (arrival order, merged sessions concatenated). */
  readonly elements: readonly E[];
}

const WINDOWS = Symbol.for('weir.testing.modelWindows');

/** @internal The windows behind each value of a model's result array (for failure reports). */
export function modelWindowsOf(values: readonly unknown[]): readonly ModelWindow<unknown>[] | undefined {
  return (values as unknown as { [WINDOWS]?: readonly ModelWindow<unknown>[] })[WINDOWS];
}

/**
 * Results of a window model.
 *
 * @example
 * ```ts
 * const m = windowModel.tumbling(events, 10_000);
 * m.maxBy('value');  // one element per fired window
 * m.late();          // events the default watermarks make late
 * ```
 */
export class WindowModelResult<E> {
  /** @internal */
  constructor(private readonly sim: Simulation<E>) {}

  /**
   * Any per-window function, e.g. a custom aggregate.
   *
   * @example
   * ```ts
   * m.apply((elements) => elements.length);
   * ```
   */
  apply<R>(fn: (elements: readonly E[], window: ModelWindow<E>) => R): R[] {
    return this.finish((f) => {
      const w = toWindow(f);
      return fn(w.elements, w);
    });
  }

  /**
   * The fired windows, in result order.
   *
   * @example
   * ```ts
   * m.windows().map((w) => [w.key, w.start, w.elements.length]);
   * ```
   */
  windows(): ModelWindow<E>[] {
    return this.apply((_e, w) => w);
  }

  /** Sum of a field: the window's first element with the field replaced. @example `m.sum('value')` */
  sum(field: NumericField<E>): E[] {
    return this.byAcc((acc) => sumOf(acc, field as string));
  }
  /** Minimum of a field; other fields from the window's first element. @example `m.min('value')` */
  min(field: NumericField<E>): E[] {
    return this.byAcc((acc) => extremeOf(acc, field as string, -1));
  }
  /** Maximum of a field; other fields from the window's first element. @example `m.max('value')` */
  max(field: NumericField<E>): E[] {
    return this.byAcc((acc) => extremeOf(acc, field as string, 1));
  }
  /** The element with the smallest field; the first on ties unless `first = false`. @example `m.minBy('value')` */
  minBy(field: NumericField<E>, first = true): E[] {
    return this.byAcc((acc) => extremeByOf(acc, field as string, -1, first));
  }
  /** The element with the largest field; the first on ties unless `first = false`. @example `m.maxBy('value')` */
  maxBy(field: NumericField<E>, first = true): E[] {
    return this.byAcc((acc) => extremeByOf(acc, field as string, 1, first));
  }
  /** Number of elements per window. @example `m.count()` */
  count(): number[] {
    return this.apply((elements) => elements.length);
  }

  /**
   * The events the model left out as late (those `runPipeline` returns in `late` when the
   * pipeline routes late data to `ctx.lateTag`), in arrival order.
   *
   * @example
   * ```ts
   * expect(out.late).toEqual(m.late());
   * ```
   */
  late(): E[] {
    return this.sim.late.slice();
  }

  /**
   * Results with their timestamps, for comparing `runPipeline(...).records`.
   *
   * @example
   * ```ts
   * expect(out.records).toEqual(m.records((w) => w.elements.length));
   * ```
   */
  records<R>(fn: (window: ModelWindow<E>) => R): TimestampedValue<R>[] {
    const ordered = canonicalOrder(this.sim.firings.map((f) => ({ value: fn(toWindow(f)), timestamp: f.timestamp })));
    return ordered.map((r) => ({ value: r.value, timestamp: r.timestamp }));
  }

  private byAcc<R>(fn: (acc: Acc<E>) => R): R[] {
    return this.finish((f) => fn(f.acc));
  }

  private finish<R>(fn: (f: Firing<E>) => R): R[] {
    const records = canonicalOrder(this.sim.firings.map((f) => ({ value: fn(f), timestamp: f.timestamp, firing: f })));
    const values = records.map((r) => r.value);
    const windows = records.map((r) => toWindow((r as unknown as { firing: Firing<E> }).firing));
    Object.defineProperty(values, WINDOWS, { value: windows, enumerable: false });
    return values;
  }
}

function toWindow<E>(f: Firing<E>): ModelWindow<E> {
  return { key: f.key, start: f.start, end: f.end, timestamp: f.timestamp, elements: elementsOf(f.acc) };
}
