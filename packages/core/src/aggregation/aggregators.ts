/**
 * The built-in aggregations, with Flink's semantics (`SumAggregator`, `ComparableAggregator`):
 *
 * - `sum(f)`: the first element of the key (or window) with `f` replaced by the sum;
 * - `min(f)` / `max(f)`: the first element with only `f` replaced by the extreme value — the
 *   result may be a record that never existed;
 * - `minBy(f, first)` / `maxBy(f, first)`: the whole element holding the extreme value; on ties
 *   the first one (or, with `first = false`, the latest one).
 *
 * Worked example (max vs maxBy), elements (a=0,b=1,c=2), (a=0,b=2,c=1) keyed by a, field b:
 * max gives (0,1,2) then (0,2,2); maxBy gives (0,1,2) then (0,2,1).
 *
 * Rolling aggregations use the reduce form (one new record per input). Window aggregations use
 * the accumulator form: the accumulator keeps the first element and the running value, and the
 * record is built once per firing, so adding an element allocates nothing.
 */
import type { AggregateFunction, ReduceFunction } from '../functions/functions.js';
import { compareValues } from './compare.js';
import { type FieldName, getField, numericField, withField } from './field-access.js';

/** The built-in aggregation kinds. */
export type AggregationKind = 'sum' | 'min' | 'max' | 'minBy' | 'maxBy';

function add(a: unknown, b: unknown): unknown {
  return (a as number) + (b as number);
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

/** @internal Marks reducers that never modify their arguments (built-in aggregations). */
export const PURE_REDUCER = Symbol('weir.pureReducer');

/** Rolling (reduce) form of an aggregation. */
export function aggregationReducer<T>(kind: AggregationKind, field: FieldName, first = true): ReduceFunction<T> {
  return Object.assign(aggregationReducerImpl<T>(kind, field, first), { [PURE_REDUCER]: true });
}

function aggregationReducerImpl<T>(kind: AggregationKind, field: FieldName, first: boolean): ReduceFunction<T> {
  switch (kind) {
    case 'sum':
      return (acc, v) => withField(acc, field, add(numericField(acc, field), numericField(v, field)));
    case 'min':
    case 'max': {
      const sign = kind === 'max' ? 1 : -1;
      // Flink: the accumulated field is replaced unless it is strictly more extreme.
      return (acc, v) => {
        const a = getField(acc, field);
        const b = getField(v, field);
        return compareValues(a, b) * sign > 0 ? withField(acc, field, a) : withField(acc, field, b);
      };
    }
    case 'minBy':
    case 'maxBy': {
      const sign = kind === 'maxBy' ? 1 : -1;
      if (field === undefined) return (acc, v) => (better(acc, v, sign, first) ? v : acc);
      // A field name: read it directly (the rolling maxBy hot path; ordinary numbers decided inline).
      return (acc, v) => {
        const a = (acc as Record<string | number, unknown>)[field];
        const b = (v as Record<string | number, unknown>)[field];
        if (typeof a === 'number' && typeof b === 'number' && a !== b && a === a && b === b) return (sign > 0 ? b > a : b < a) ? v : acc;
        return better(a, b, sign, first) ? v : acc;
      };
    }
  }
}

interface FieldAcc {
  first: unknown;
  value: unknown;
}

/**
 * Marks the aggregate functions of built-in aggregations, so the window operator can keep their
 * accumulator directly in the window slot (no accumulator object per key and window).
 */
export interface FieldAggregation {
  readonly kind: AggregationKind;
  readonly field: FieldName;
  readonly first: boolean;
}

/** @internal */
export const FIELD_AGGREGATION = Symbol('weir.fieldAggregation');

/** Window (accumulator) form of an aggregation. */
export function aggregationFunction<T>(kind: AggregationKind, field: FieldName, first = true): AggregateFunction<T, FieldAcc, T> {
  return Object.assign(aggregationFunctionImpl<T>(kind, field, first), { [FIELD_AGGREGATION]: { kind, field, first } as FieldAggregation });
}

function aggregationFunctionImpl<T>(kind: AggregationKind, field: FieldName, first: boolean): AggregateFunction<T, FieldAcc, T> {
  if (kind === 'minBy' || kind === 'maxBy') {
    const sign = kind === 'maxBy' ? 1 : -1;
    return {
      createAccumulator: () => ({ first: undefined, value: undefined }),
      add(v, acc) {
        if (acc.first === undefined || better(getField(acc.first, field), getField(v, field), sign, first)) acc.first = v;
        return acc;
      },
      getResult: (acc) => acc.first as T,
      merge(a, b) {
        if (b.first !== undefined && (a.first === undefined || better(getField(a.first, field), getField(b.first, field), sign, first))) {
          a.first = b.first;
        }
        return a;
      },
    };
  }
  const combine =
    kind === 'sum'
      ? add
      : (a: unknown, b: unknown) => (compareValues(a, b) * (kind === 'max' ? 1 : -1) > 0 ? a : b);
  return {
    createAccumulator: () => ({ first: undefined, value: undefined }),
    add(v, acc) {
      const x = kind === 'sum' ? numericField(v, field) : getField(v, field);
      if (acc.first === undefined) {
        acc.first = v;
        acc.value = x;
      } else acc.value = combine(acc.value, x);
      return acc;
    },
    getResult: (acc) => withField(acc.first as T, field, acc.value),
    merge(a, b) {
      if (b.first === undefined) return a;
      if (a.first === undefined) return b;
      a.value = combine(a.value, b.value);
      return a;
    },
  };
}
