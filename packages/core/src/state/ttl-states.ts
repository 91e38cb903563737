/**
 * Keyed state with a time-to-live (state-ttl.ts): the heap states' behaviour over values stored
 * with the time of their last access (`TtlValue`; lists per element, maps per entry). Reads drop
 * what expired (returning it once if `ReturnExpiredIfNotCleanedUp`), writes stamp the current
 * processing time, reads too with `OnReadAndWrite`. Every access also runs the state's
 * incremental cleanup, a few entries of the whole table (ttl-cleanup.ts).
 * @internal
 */
import type { AggregateFunction, ReduceFunction } from '../functions/functions.js';
import type { CurrentKeyHolder } from './heap-states.js';
import type { Namespace, StateTable } from './state-table.js';
import { isExpired, type StateTtlConfig, type TtlValue } from './state-ttl.js';
import type { AggregatingState, ListState, MapState, ReducingState, ValueState } from './state-types.js';
import type { TtlCleanup } from './ttl-cleanup.js';

/** What TTL states need besides their table: the clock, the config and the table's cleanup. */
export interface TtlContext {
  readonly keys: CurrentKeyHolder;
  readonly clock: { now(): number };
  readonly config: StateTtlConfig;
  readonly cleanup: TtlCleanup | undefined;
}

abstract class TtlState<S> {
  protected readonly refreshOnRead: boolean;
  protected readonly returnExpired: boolean;
  constructor(
    protected readonly ctx: TtlContext,
    protected readonly table: StateTable<S>,
    public namespace: Namespace,
  ) {
    this.refreshOnRead = ctx.config.updateType === 'OnReadAndWrite';
    this.returnExpired = ctx.config.stateVisibility === 'ReturnExpiredIfNotCleanedUp';
  }
  protected get key(): unknown {
    return this.ctx.keys.currentKey;
  }
  /** The current time, after running this access's share of the incremental cleanup. */
  protected access(): number {
    this.ctx.cleanup?.onAccess();
    return this.ctx.clock.now();
  }
  protected expired(t: number, now: number): boolean {
    return isExpired(t, this.ctx.config.ttlMs, now);
  }
  clear(): void {
    this.access();
    this.table.remove(this.key, this.namespace);
  }
}

/** A single wrapped value (value, reducing and aggregating state). */
abstract class TtlSingle<T> extends TtlState<TtlValue<T>> {
  /** The live value (undefined when absent or expired and not to be returned). */
  protected read(now: number): TtlValue<T> | undefined {
    const tv = this.table.get(this.key, this.namespace);
    if (tv === undefined) return undefined;
    if (this.expired(tv.t, now)) {
      this.table.remove(this.key, this.namespace);
      return this.returnExpired ? tv : undefined;
    }
    if (this.refreshOnRead) this.table.put(this.key, this.namespace, { v: tv.v, t: now });
    return tv;
  }
  /** The value to fold into (expired counts as absent). */
  protected current(now: number): T | undefined {
    const tv = this.table.get(this.key, this.namespace);
    return tv === undefined || this.expired(tv.t, now) ? undefined : tv.v;
  }
  protected write(v: T, now: number): void {
    this.table.put(this.key, this.namespace, { v, t: now });
  }
}

export class TtlValueState<T> extends TtlSingle<T> implements ValueState<T> {
  constructor(ctx: TtlContext, table: StateTable<TtlValue<T>>, namespace: Namespace, private readonly defaultValue: T | undefined) {
    super(ctx, table, namespace);
  }
  value(): T | undefined {
    const tv = this.read(this.access());
    return tv === undefined ? this.defaultValue : tv.v;
  }
  update(value: T): void {
    const now = this.access();
    if (value === undefined) this.table.remove(this.key, this.namespace);
    else this.write(value, now);
  }
}

export class TtlReducingState<T> extends TtlSingle<T> implements ReducingState<T> {
  constructor(ctx: TtlContext, table: StateTable<TtlValue<T>>, namespace: Namespace, private readonly reduce: ReduceFunction<T>) {
    super(ctx, table, namespace);
  }
  get(): T | undefined {
    return this.read(this.access())?.v;
  }
  add(value: T): void {
    const now = this.access();
    const acc = this.current(now);
    this.write(acc === undefined ? value : this.reduce(acc, value), now);
  }
}

export class TtlAggregatingState<IN, ACC, OUT> extends TtlSingle<ACC> implements AggregatingState<IN, OUT> {
  constructor(ctx: TtlContext, table: StateTable<TtlValue<ACC>>, namespace: Namespace, private readonly fn: AggregateFunction<IN, ACC, OUT>) {
    super(ctx, table, namespace);
  }
  get(): OUT | undefined {
    const tv = this.read(this.access());
    return tv === undefined ? undefined : this.fn.getResult(tv.v);
  }
  add(value: IN): void {
    const now = this.access();
    const acc = this.current(now);
    this.write(this.fn.add(value, acc === undefined ? this.fn.createAccumulator() : acc), now);
  }
}

const EMPTY: readonly never[] = Object.freeze([]);

export class TtlListState<T> extends TtlState<TtlValue<T>[]> implements ListState<T> {
  get(): readonly T[] {
    const now = this.access();
    const list = this.table.get(this.key, this.namespace);
    if (list === undefined) return EMPTY;
    const out: T[] = [];
    const keep: TtlValue<T>[] = [];
    for (const e of list) {
      if (this.expired(e.t, now)) {
        if (this.returnExpired) out.push(e.v);
        continue;
      }
      out.push(e.v);
      keep.push(this.refreshOnRead ? { v: e.v, t: now } : e);
    }
    if (keep.length === 0) this.table.remove(this.key, this.namespace);
    else if (keep.length !== list.length || this.refreshOnRead) this.table.put(this.key, this.namespace, keep);
    return out;
  }
  add(value: T): void {
    const now = this.access();
    const list = this.table.get(this.key, this.namespace);
    if (list === undefined) this.table.put(this.key, this.namespace, [{ v: value, t: now }]);
    else list.push({ v: value, t: now });
  }
  addAll(values: Iterable<T>): void {
    for (const v of values) this.add(v);
  }
  update(values: Iterable<T>): void {
    const now = this.access();
    const list = [...values].map((v) => ({ v, t: now }));
    if (list.length === 0) this.table.remove(this.key, this.namespace);
    else this.table.put(this.key, this.namespace, list);
  }
}

export class TtlMapState<K, V> extends TtlState<Map<K, TtlValue<V>>> implements MapState<K, V> {
  /** The stored map with expired entries dropped (and refreshed on read), after one access. */
  private live(now: number, refresh: boolean): Map<K, TtlValue<V>> | undefined {
    const m = this.table.get(this.key, this.namespace);
    if (m === undefined) return undefined;
    for (const [k, tv] of m) {
      if (this.expired(tv.t, now)) m.delete(k);
      else if (refresh && this.refreshOnRead) m.set(k, { v: tv.v, t: now });
    }
    if (m.size === 0) {
      this.table.remove(this.key, this.namespace);
      return undefined;
    }
    return m;
  }
  /** The entry's live value; an expired one is dropped (and handed out once if `returnExpired`). */
  private lookup(key: K, allowExpired: boolean): TtlValue<V> | undefined {
    const now = this.access();
    const m = this.table.get(this.key, this.namespace);
    const tv = m?.get(key);
    if (tv === undefined) return undefined;
    if (this.expired(tv.t, now)) {
      m!.delete(key);
      if (m!.size === 0) this.table.remove(this.key, this.namespace);
      return allowExpired ? tv : undefined;
    }
    if (this.refreshOnRead) m!.set(key, { v: tv.v, t: now });
    return tv;
  }
  get(key: K): V | undefined {
    return this.lookup(key, this.returnExpired)?.v;
  }
  put(key: K, value: V): void {
    const now = this.access();
    let m = this.table.get(this.key, this.namespace);
    if (m === undefined) {
      m = new Map();
      this.table.put(this.key, this.namespace, m);
    }
    m.set(key, { v: value, t: now });
  }
  putAll(entries: Iterable<[K, V]>): void {
    for (const [k, v] of entries) this.put(k, v);
  }
  contains(key: K): boolean {
    // Containment never counts an expired entry, whatever the visibility.
    return this.lookup(key, false) !== undefined;
  }
  remove(key: K): void {
    this.access();
    const m = this.table.get(this.key, this.namespace);
    if (m === undefined) return;
    m.delete(key);
    if (m.size === 0) this.table.remove(this.key, this.namespace);
  }
  entries(): IterableIterator<[K, V]> {
    const m = this.live(this.access(), true);
    return [...(m ?? [])].map(([k, tv]): [K, V] => [k, tv.v]).values();
  }
  keys(): IterableIterator<K> {
    return (this.live(this.access(), true) ?? new Map<K, TtlValue<V>>()).keys();
  }
  values(): IterableIterator<V> {
    const m = this.live(this.access(), true);
    return [...(m?.values() ?? [])].map((tv) => tv.v).values();
  }
  isEmpty(): boolean {
    return this.live(this.access(), false) === undefined;
  }
}
