/**
 * The keyed state a user function sees, scoped to the current key (and, inside windows, to the
 * current window). Mirrors Flink's `ValueState`, `ListState`, `MapState`, `ReducingState` and
 * `AggregatingState`.
 *
 * Values must be structured-cloneable data (primitives, plain objects, arrays, Map, Set, Date,
 * BigInt, typed arrays): they are written to checkpoints with v8 serialisation, which keeps
 * NaN, -0, Infinity and BigInt exactly but not class prototypes.
 */

/**
 * @example
 * ```ts
 * const last = ctx.getState(new ValueStateDescriptor<number>('last'));
 * if (last.value() === undefined) last.update(price);
 * ```
 */
export interface ValueState<T> {
  value(): T | undefined;
  update(value: T): void;
  clear(): void;
}

/**
 * @example
 * ```ts
 * const buf = ctx.getListState(new ListStateDescriptor<Tick>('buf'));
 * buf.add(tick);
 * for (const t of buf.get()) out.collect(t);
 * ```
 */
export interface ListState<T> {
  /** The current list (empty when none); do not mutate it, use `add`/`update`. */
  get(): readonly T[];
  add(value: T): void;
  addAll(values: Iterable<T>): void;
  update(values: Iterable<T>): void;
  clear(): void;
}

/**
 * @example
 * ```ts
 * const counts = ctx.getMapState(new MapStateDescriptor<string, number>('counts'));
 * counts.put(word, (counts.get(word) ?? 0) + 1);
 * ```
 */
export interface MapState<K, V> {
  get(key: K): V | undefined;
  put(key: K, value: V): void;
  putAll(entries: Iterable<[K, V]>): void;
  contains(key: K): boolean;
  remove(key: K): void;
  entries(): IterableIterator<[K, V]>;
  keys(): IterableIterator<K>;
  values(): IterableIterator<V>;
  isEmpty(): boolean;
  clear(): void;
}

/**
 * @example
 * ```ts
 * const total = ctx.getReducingState(new ReducingStateDescriptor<number>('t', (a, b) => a + b));
 * total.add(3); total.get(); // 3
 * ```
 */
export interface ReducingState<T> {
  get(): T | undefined;
  add(value: T): void;
  clear(): void;
}

/**
 * @example
 * ```ts
 * const avg = ctx.getAggregatingState(new AggregatingStateDescriptor('avg', average));
 * avg.add(tick); avg.get();
 * ```
 */
export interface AggregatingState<IN, OUT> {
  get(): OUT | undefined;
  add(value: IN): void;
  clear(): void;
}

/**
 * Access to keyed state, as `RuntimeContext` / `KeyedProcessFunction.Context` give it.
 *
 * @example
 * ```ts
 * const seen = ctx.getMapState(new MapStateDescriptor<string, number>('seen'));
 * seen.put(tick.symbol, (seen.get(tick.symbol) ?? 0) + 1);
 * ```
 */
export interface KeyedStateStore {
  getState<T>(descriptor: import('./descriptors.js').ValueStateDescriptor<T>): ValueState<T>;
  getListState<T>(descriptor: import('./descriptors.js').ListStateDescriptor<T>): ListState<T>;
  getMapState<K, V>(descriptor: import('./descriptors.js').MapStateDescriptor<K, V>): MapState<K, V>;
  getReducingState<T>(descriptor: import('./descriptors.js').ReducingStateDescriptor<T>): ReducingState<T>;
  getAggregatingState<IN, ACC, OUT>(
    descriptor: import('./descriptors.js').AggregatingStateDescriptor<IN, ACC, OUT>,
  ): AggregatingState<IN, OUT>;
}
