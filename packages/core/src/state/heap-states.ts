/**
 * Heap implementations of the keyed state interfaces, reading the current key from the backend
 * and their namespace from a field the owner sets (Flink's `setCurrentNamespace`).
 * @internal
 */
import type { AggregateFunction, ReduceFunction } from '../functions/functions.js';
import type { Namespace, StateTable } from './state-table.js';
import type { AggregatingState, ListState, MapState, ReducingState, ValueState } from './state-types.js';

/** What a state object needs from its backend: the key of the element being processed. */
export interface CurrentKeyHolder {
  readonly currentKey: unknown;
}

abstract class HeapState<V> {
  constructor(
    protected readonly keyHolder: CurrentKeyHolder,
    protected readonly table: StateTable<V>,
    public namespace: Namespace,
  ) {}
  protected current(): V | undefined {
    return this.table.get(this.keyHolder.currentKey, this.namespace);
  }
  protected set(v: V): void {
    this.table.put(this.keyHolder.currentKey, this.namespace, v);
  }
  clear(): void {
    this.table.remove(this.keyHolder.currentKey, this.namespace);
  }
}

export class HeapValueState<T> extends HeapState<T> implements ValueState<T> {
  constructor(keys: CurrentKeyHolder, table: StateTable<T>, namespace: Namespace, private readonly defaultValue: T | undefined) {
    super(keys, table, namespace);
  }
  value(): T | undefined {
    const v = this.current();
    return v === undefined ? this.defaultValue : v;
  }
  update(value: T): void {
    if (value === undefined) this.clear();
    else this.set(value);
  }
}

const EMPTY: readonly never[] = Object.freeze([]);

export class HeapListState<T> extends HeapState<T[]> implements ListState<T> {
  get(): readonly T[] {
    return this.current() ?? EMPTY;
  }
  add(value: T): void {
    const list = this.current();
    if (list === undefined) this.set([value]);
    else list.push(value);
  }
  addAll(values: Iterable<T>): void {
    for (const v of values) this.add(v);
  }
  update(values: Iterable<T>): void {
    const list = [...values];
    if (list.length === 0) this.clear();
    else this.set(list);
  }
}

export class HeapMapState<K, V> extends HeapState<Map<K, V>> implements MapState<K, V> {
  private map(create: boolean): Map<K, V> | undefined {
    let m = this.current();
    if (m === undefined && create) {
      m = new Map();
      this.set(m);
    }
    return m;
  }
  get(key: K): V | undefined {
    return this.map(false)?.get(key);
  }
  put(key: K, value: V): void {
    this.map(true)!.set(key, value);
  }
  putAll(entries: Iterable<[K, V]>): void {
    for (const [k, v] of entries) this.put(k, v);
  }
  contains(key: K): boolean {
    return this.map(false)?.has(key) ?? false;
  }
  remove(key: K): void {
    const m = this.map(false);
    if (m === undefined) return;
    m.delete(key);
    if (m.size === 0) this.clear();
  }
  entries(): IterableIterator<[K, V]> {
    return (this.map(false) ?? new Map<K, V>()).entries();
  }
  keys(): IterableIterator<K> {
    return (this.map(false) ?? new Map<K, V>()).keys();
  }
  values(): IterableIterator<V> {
    return (this.map(false) ?? new Map<K, V>()).values();
  }
  isEmpty(): boolean {
    return (this.map(false)?.size ?? 0) === 0;
  }
}

export class HeapReducingState<T> extends HeapState<T> implements ReducingState<T> {
  constructor(keys: CurrentKeyHolder, table: StateTable<T>, namespace: Namespace, private readonly reduce: ReduceFunction<T>) {
    super(keys, table, namespace);
  }
  get(): T | undefined {
    return this.current();
  }
  add(value: T): void {
    const acc = this.current();
    this.set(acc === undefined ? value : this.reduce(acc, value));
  }
}

export class HeapAggregatingState<IN, ACC, OUT> extends HeapState<ACC> implements AggregatingState<IN, OUT> {
  constructor(
    keys: CurrentKeyHolder,
    table: StateTable<ACC>,
    namespace: Namespace,
    private readonly fn: AggregateFunction<IN, ACC, OUT>,
  ) {
    super(keys, table, namespace);
  }
  get(): OUT | undefined {
    const acc = this.current();
    return acc === undefined ? undefined : this.fn.getResult(acc);
  }
  add(value: IN): void {
    const acc = this.current();
    this.set(this.fn.add(value, acc === undefined ? this.fn.createAccumulator() : acc));
  }
}
