/**
 * Type-level helpers that make field selectors safe: `sum('price')` compiles only when `price` is
 * a numeric field, `keyBy('symbol')` only when `symbol` is a field.
 */

/**
 * The keys of `T` whose values are numbers.
 *
 * @example
 * ```ts
 * type K = NumericField<{ symbol: string; price: number }>; // 'price'
 * ```
 */
export type NumericField<T> = { [P in keyof T]-?: T[P] extends number ? P : never }[keyof T];

/**
 * A key selector: a field name of `T` or a function from an element to its key.
 *
 * @example
 * ```ts
 * const bySymbol: KeySelector<Tick> = 'symbol';
 * const byBucket: KeySelector<Tick> = (t) => Math.floor(t.price / 100);
 * ```
 */
export type KeySelector<T> = keyof T | ((value: T) => unknown);

/**
 * The key type a {@link KeySelector} yields.
 *
 * @example
 * ```ts
 * type SymbolKey = KeyOf<Tick, 'symbol'>; // string
 * type Bucket = KeyOf<Tick, (t: Tick) => number>; // number
 * ```
 */
export type KeyOf<T, S> = S extends keyof T ? T[S] : S extends (value: T) => infer K ? K : never;

/** @internal Turns a field name or function into a function. */
export function toKeyFunction<T>(selector: KeySelector<T>): (value: T) => unknown {
  if (typeof selector === 'function') return selector as (value: T) => unknown;
  const field = selector;
  return (value: T) => value[field];
}

/** @internal A readable name for a selector, for operator names. */
export function describeSelector(selector: unknown): string {
  return typeof selector === 'function' ? (selector.name ? `${selector.name}()` : 'keySelector()') : String(selector);
}

/**
 * The field argument of an aggregation: required, except on a stream of numbers where the
 * element itself is aggregated.
 *
 * @example
 * ```ts
 * keyedNumbers.sum();        // stream of numbers
 * keyedTicks.sum('volume');  // stream of records
 * ```
 */
export type FieldArg<T> = [T] extends [number] ? [] : [field: NumericField<T>];
