/**
 * Accumulators: Flink's aggregation rules written once, for every operator that aggregates
 * (rolling aggregations, and each window operator's slices, windows and sessions).
 *
 * An {@link AccumulatorSlot} is the state of one accumulator (one key's rolling value, one
 * (key, slice), one window, one session); an {@link Accumulator} holds the rules of one function
 * and folds elements into slots (`add`), combines two slots (`merge`), and builds the result.
 *
 * The built-in aggregations follow Flink's `SumAggregator` and `ComparableAggregator`:
 * - `sum(f)`: the first element with `f` replaced by the sum;
 * - `min(f)` / `max(f)`: the first element with only `f` replaced by the extreme value (a record
 *   that may never have existed); the value is replaced unless the current one is strictly more
 *   extreme;
 * - `minBy(f, first)` / `maxBy(f, first)`: the whole element holding the extreme value; on ties
 *   the first one (or, with `first = false`, the latest one);
 * - `count()`: the number of elements; `avg(f)`: the mean of `f`.
 *
 * Worked example (max vs maxBy), elements (a=0,b=1,c=2), (a=0,b=2,c=1), field b: max gives
 * (0,2,2), maxBy gives (0,2,1).
 *
 * Merging two slots comes in two orders. Flink merges sessions positionally, as
 * `reduce(target, source)` (the target's first element stays, ties go to the target unless
 * `first = false`); window slices are combined in arrival order instead (each slot remembers the
 * arrival number of its first and of its chosen element), so that a window assembled from slices
 * gives exactly what folding its elements one by one would.
 */
import type { AggregateFunction, ReduceFunction } from '../functions/functions.js';
import { compareValues } from './compare.js';
import { type FieldName, getField, numericField, withField } from './field-access.js';

/** The built-in aggregation kinds. */
export type AggregationKind = 'sum' | 'min' | 'max' | 'minBy' | 'maxBy' | 'count' | 'avg';

/**
 * A built-in aggregation: its kind, field and tie rule. Marks the functions the API builds for
 * `sum`, `min`, ... so that operators can keep their accumulators in slots (no object per
 * accumulator beyond the slot).
 */
export interface FieldAggregation {
  readonly kind: AggregationKind;
  readonly field: FieldName;
  readonly first: boolean;
}

/** @internal Marks the reduce and aggregate functions of built-in aggregations. */
export const FIELD_AGGREGATION = Symbol('weir.fieldAggregation');

/** The built-in aggregation behind a function, if it is one. */
export function fieldAggregationOfFunction(fn: unknown): FieldAggregation | undefined {
  return typeof fn === 'object' || typeof fn === 'function' ? (fn as { [FIELD_AGGREGATION]?: FieldAggregation } | null)?.[FIELD_AGGREGATION] : undefined;
}

/**
 * The state of one accumulator. `acc` is the running value (sum, extreme value, count, the
 * reduced value, a user accumulator) or, for `minBy`/`maxBy`, the chosen element; `first` the
 * first element (sum/min/max keep its other fields; `avg` keeps its count here). The arrival
 * numbers order slots combined in arrival order.
 */
export interface AccumulatorSlot {
  has: boolean;
  acc: unknown;
  first: unknown;
  /** Arrival number of the element chosen by minBy/maxBy. */
  accSeq: number;
  /** Arrival number of the first element. */
  firstSeq: number;
}

/** A plain accumulator slot. */
export class AccSlot implements AccumulatorSlot {
  has = false;
  acc: unknown = undefined;
  first: unknown = undefined;
  accSeq = 0;
  firstSeq = 0;

  /** Back to empty, dropping references. */
  reset(): this {
    this.has = false;
    this.acc = undefined;
    this.first = undefined;
    return this;
  }
}

/** Copies `source` into the empty `target`. */
function adopt(target: AccumulatorSlot, source: AccumulatorSlot): void {
  target.has = true;
  target.acc = source.acc;
  target.first = source.first;
  target.accSeq = source.accSeq;
  target.firstSeq = source.firstSeq;
}

/** Keeps the earlier-arrived first element of the two (arrival-order merges). */
function earlierFirst(target: AccumulatorSlot, source: AccumulatorSlot): void {
  if (source.firstSeq < target.firstSeq) {
    target.first = source.first;
    target.firstSeq = source.firstSeq;
  }
}

/**
 * The rules of one aggregation function over {@link AccumulatorSlot}s.
 *
 * @example
 * ```ts
 * const acc = fieldAccumulator({ kind: 'sum', field: 'n', first: true });
 * const slot = new AccSlot();
 * acc.add(slot, { k: 'a', n: 1 }, 1);
 * acc.add(slot, { k: 'a', n: 2 }, 2);
 * acc.result(slot); // { k: 'a', n: 3 }
 * ```
 */
export interface Accumulator {
  /** Folds an element (its arrival number `seq`) into the slot. */
  add(slot: AccumulatorSlot, value: unknown, seq: number): void;
  /**
   * Folds `source` into `target`: positionally as Flink merges sessions (`reduce(target,
   * source)`), or by arrival numbers (`byArrival`, window slices). `source` is not modified and
   * `target` never takes over a user accumulator object of `source` that a later fold could
   * modify in place.
   */
  merge(target: AccumulatorSlot, source: AccumulatorSlot, byArrival: boolean): void;
  /** The aggregate of a non-empty slot. */
  result(slot: AccumulatorSlot): unknown;
  /** True when slots hold user objects that a user function may modify in place (checkpoints clone them). */
  readonly userState: boolean;
  /** True when `merge` is available (false for an AggregateFunction without `merge`). */
  readonly canMerge: boolean;
}

/** `true` when `candidate` should replace `current` for min (sign -1) or max (sign 1), by-aggregate or not. */
export function better(current: unknown, candidate: unknown, sign: 1 | -1, first: boolean): boolean {
  // Fast path for ordinary numbers; NaN and +-0 (ordered by Java's Double.compare) fall through.
  if (typeof current === 'number' && typeof candidate === 'number') {
    if (current < candidate) return sign > 0;
    if (current > candidate) return sign < 0;
    if (current === candidate && current !== 0) return !first;
  }
  const c = compareValues(current, candidate) * sign;
  return c < 0 || (c === 0 && !first);
}

/**
 * sum, min and max: the running value of a field, and the first element whose other fields the
 * result keeps. Subclasses say how two values combine.
 */
abstract class FieldValueAccumulator implements Accumulator {
  readonly userState = false;
  readonly canMerge = true;
  constructor(protected readonly field: FieldName) {}
  /** The field's value to fold in (sum checks that it is a number). */
  protected abstract valueOf(element: unknown): unknown;
  protected abstract combine(current: unknown, next: unknown): unknown;
  add(s: AccumulatorSlot, value: unknown, seq: number): void {
    const v = this.valueOf(value);
    if (s.has) s.acc = this.combine(s.acc, v);
    else {
      s.has = true;
      s.first = value;
      s.firstSeq = seq;
      s.acc = v;
    }
  }
  merge(t: AccumulatorSlot, s: AccumulatorSlot, byArrival: boolean): void {
    if (!s.has) return;
    if (!t.has) return adopt(t, s);
    t.acc = this.combine(t.acc, s.acc);
    if (byArrival) earlierFirst(t, s);
  }
  result(s: AccumulatorSlot): unknown {
    return withField(s.first, this.field, s.acc);
  }
}

class SumAccumulator extends FieldValueAccumulator {
  protected valueOf(element: unknown): unknown {
    return numericField(element, this.field);
  }
  protected combine(current: unknown, next: unknown): unknown {
    return (current as number) + (next as number);
  }
}

/** Flink's min/max rule: the accumulated value stays only when it is strictly more extreme. */
class ExtremeValueAccumulator extends FieldValueAccumulator {
  constructor(
    field: FieldName,
    private readonly sign: 1 | -1,
  ) {
    super(field);
  }
  protected valueOf(element: unknown): unknown {
    return getField(element, this.field);
  }
  protected combine(current: unknown, next: unknown): unknown {
    return compareValues(current, next) * this.sign > 0 ? current : next;
  }
}

class ExtremeElementAccumulator implements Accumulator {
  readonly userState = false;
  readonly canMerge = true;
  constructor(
    private readonly field: FieldName,
    private readonly sign: 1 | -1,
    private readonly first: boolean,
  ) {}
  add(s: AccumulatorSlot, value: unknown, seq: number): void {
    if (!s.has) {
      s.has = true;
      s.acc = value;
      s.accSeq = seq;
      return;
    }
    const field = this.field;
    const a = field === undefined ? s.acc : (s.acc as Record<string | number, unknown>)[field];
    const b = field === undefined ? value : (value as Record<string | number, unknown>)[field];
    // Ordinary distinct numbers decided inline (the rolling maxBy hot path).
    if (typeof a === 'number' && typeof b === 'number' && a !== b && a === a && b === b) {
      if (this.sign > 0 ? b > a : b < a) {
        s.acc = value;
        s.accSeq = seq;
      }
    } else if (better(a, b, this.sign, this.first)) {
      s.acc = value;
      s.accSeq = seq;
    }
  }
  merge(t: AccumulatorSlot, s: AccumulatorSlot, byArrival: boolean): void {
    if (!s.has) return;
    if (!t.has) return adopt(t, s);
    const a = getField(t.acc, this.field);
    const b = getField(s.acc, this.field);
    let take: boolean;
    if (byArrival) {
      const c = compareValues(a, b) * this.sign;
      take = c < 0 || (c === 0 && (this.first ? s.accSeq < t.accSeq : s.accSeq > t.accSeq));
    } else take = better(a, b, this.sign, this.first);
    if (take) {
      t.acc = s.acc;
      t.accSeq = s.accSeq;
    }
  }
  result(s: AccumulatorSlot): unknown {
    return s.acc;
  }
}

class CountAccumulator implements Accumulator {
  readonly userState = false;
  readonly canMerge = true;
  add(s: AccumulatorSlot): void {
    if (s.has) s.acc = (s.acc as number) + 1;
    else {
      s.has = true;
      s.acc = 1;
    }
  }
  merge(t: AccumulatorSlot, s: AccumulatorSlot): void {
    if (!s.has) return;
    if (!t.has) return adopt(t, s);
    t.acc = (t.acc as number) + (s.acc as number);
  }
  result(s: AccumulatorSlot): unknown {
    return s.acc;
  }
}

/** `acc` is the sum, `first` the count. */
class AvgAccumulator implements Accumulator {
  readonly userState = false;
  readonly canMerge = true;
  constructor(private readonly field: FieldName) {}
  add(s: AccumulatorSlot, value: unknown): void {
    const x = numericField(value, this.field);
    if (s.has) {
      s.acc = (s.acc as number) + x;
      s.first = (s.first as number) + 1;
    } else {
      s.has = true;
      s.acc = x;
      s.first = 1;
    }
  }
  merge(t: AccumulatorSlot, s: AccumulatorSlot): void {
    if (!s.has) return;
    if (!t.has) return adopt(t, s);
    t.acc = (t.acc as number) + (s.acc as number);
    t.first = (t.first as number) + (s.first as number);
  }
  result(s: AccumulatorSlot): unknown {
    return Number(s.acc) / (s.first as number);
  }
}

/** The accumulator of a built-in aggregation. */
export function fieldAccumulator(agg: FieldAggregation): Accumulator {
  switch (agg.kind) {
    case 'sum':
      return new SumAccumulator(agg.field);
    case 'min':
      return new ExtremeValueAccumulator(agg.field, -1);
    case 'max':
      return new ExtremeValueAccumulator(agg.field, 1);
    case 'minBy':
      return new ExtremeElementAccumulator(agg.field, -1, agg.first);
    case 'maxBy':
      return new ExtremeElementAccumulator(agg.field, 1, agg.first);
    case 'count':
      return new CountAccumulator();
    case 'avg':
      return new AvgAccumulator(agg.field);
  }
}

/**
 * A user `ReduceFunction`: `reduce(accumulated, next)`; merging is `reduce(target, source)`, as
 * Flink merges reducing state. The function must be associative, and must not modify its
 * arguments (the first one may be an element or a slice's value that other windows share).
 */
class ReduceAccumulator implements Accumulator {
  readonly userState = true;
  readonly canMerge = true;
  constructor(private readonly reduce: ReduceFunction<unknown>) {}
  add(s: AccumulatorSlot, value: unknown): void {
    if (s.has) s.acc = this.reduce(s.acc, value);
    else {
      s.has = true;
      s.acc = value;
    }
  }
  merge(t: AccumulatorSlot, s: AccumulatorSlot): void {
    if (!s.has) return;
    if (!t.has) {
      t.has = true;
      t.acc = s.acc;
    } else t.acc = this.reduce(t.acc, s.acc);
  }
  result(s: AccumulatorSlot): unknown {
    return s.acc;
  }
}

/**
 * A user `AggregateFunction`. Merging folds into a fresh accumulator when the target is empty,
 * so a `merge` that updates its first argument in place never changes the source's accumulator.
 */
class AggregateAccumulator implements Accumulator {
  readonly userState = true;
  readonly canMerge: boolean;
  constructor(private readonly fn: AggregateFunction<unknown, unknown, unknown>) {
    this.canMerge = typeof fn.merge === 'function';
  }
  add(s: AccumulatorSlot, value: unknown): void {
    s.acc = this.fn.add(value, s.has ? s.acc : this.fn.createAccumulator());
    s.has = true;
  }
  merge(t: AccumulatorSlot, s: AccumulatorSlot): void {
    if (!s.has) return;
    const merge = this.fn.merge;
    if (merge === undefined) throw new TypeError('This AggregateFunction has no merge(), which merging (session) windows need');
    t.acc = merge.call(this.fn, t.has ? t.acc : this.fn.createAccumulator(), s.acc);
    t.has = true;
  }
  result(s: AccumulatorSlot): unknown {
    return this.fn.getResult(s.acc);
  }
}

/** The accumulator of a user reduce function. */
export function reduceAccumulator(reduce: ReduceFunction<unknown>): Accumulator {
  const builtIn = fieldAggregationOfFunction(reduce);
  return builtIn !== undefined ? fieldAccumulator(builtIn) : new ReduceAccumulator(reduce);
}

/** The accumulator of an aggregate function (built-in ones by their marker). */
export function aggregateAccumulator(fn: AggregateFunction<unknown, unknown, unknown>): Accumulator {
  const builtIn = fieldAggregationOfFunction(fn);
  return builtIn !== undefined ? fieldAccumulator(builtIn) : new AggregateAccumulator(fn);
}

/**
 * Rolling (reduce) form of a built-in aggregation, `(accumulated, next) => result`, for folding
 * a group of elements (one output per input in Flink's rolling aggregations). Marked, so keyed
 * operators use the accumulator directly.
 *
 * @example
 * ```ts
 * [a, b, c].reduce(aggregationReducer('maxBy', 'price'));
 * ```
 */
export function aggregationReducer<T>(kind: AggregationKind, field: FieldName, first = true): ReduceFunction<T> {
  const agg: FieldAggregation = { kind, field, first };
  const rules = fieldAccumulator(agg);
  const slot = new AccSlot();
  const reduce: ReduceFunction<T> = (acc, v) => {
    rules.add(slot.reset(), acc, 0);
    rules.add(slot, v, 1);
    const result = rules.result(slot) as T;
    slot.reset();
    return result;
  };
  return Object.assign(reduce, { [FIELD_AGGREGATION]: agg });
}

/**
 * Window (AggregateFunction) form of a built-in aggregation: its accumulator is an
 * {@link AccSlot}. Marked, so window operators keep the slot itself in their state.
 *
 * @example
 * ```ts
 * windowed.aggregate(aggregationFunction('sum', 'volume'));
 * ```
 */
export function aggregationFunction<T>(kind: AggregationKind, field: FieldName, first = true): AggregateFunction<T, AccSlot, T> {
  const agg: FieldAggregation = { kind, field, first };
  const rules = fieldAccumulator(agg);
  const fn: AggregateFunction<T, AccSlot, T> = {
    createAccumulator: () => new AccSlot(),
    add(v, slot) {
      rules.add(slot, v, 0);
      return slot;
    },
    getResult: (slot) => rules.result(slot) as T,
    merge(a, b) {
      rules.merge(a, b, false);
      return a;
    },
  };
  return Object.assign(fn, { [FIELD_AGGREGATION]: agg });
}
