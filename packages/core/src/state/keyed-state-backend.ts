/**
 * The keyed state of one operator: named {@link StateTable}s, the operator's timers, and the key
 * of the element being processed. Snapshots are written per key group (Flink's layout), so state
 * can later be split across processes without a format change.
 *
 * Snapshot algorithm: at the barrier every entry's key group is computed (memoised per key for
 * the duration of the snapshot), entries are gathered into columnar arrays per key group
 * (`ns[]`, `keys[]`, `values[]` per table; `ts[]`, `ns[]`, `keys[]` per timer domain) and each
 * group is v8-serialised into its own buffer. The buffers are immutable, so the job continues
 * while they are written to disk.
 */
import { deserialize, serialize } from 'node:v8';
import { CheckpointError, ConfigError } from '../errors.js';
import type {
  AggregatingStateDescriptor,
  ListStateDescriptor,
  MapStateDescriptor,
  ReducingStateDescriptor,
  ValueStateDescriptor,
} from './descriptors.js';
import {
  type CurrentKeyHolder,
  HeapAggregatingState,
  HeapListState,
  HeapMapState,
  HeapReducingState,
  HeapValueState,
} from './heap-states.js';
import { DEFAULT_MAX_PARALLELISM, keyGroupOf } from './key-groups.js';
import { isObjectKey, objectKeyString } from './keys.js';
import { type Namespace, StateTable, VOID_NAMESPACE } from './state-table.js';
import type {
  AggregatingState,
  KeyedStateStore,
  ListState,
  MapState,
  ReducingState,
  ValueState,
} from './state-types.js';
import { TimerQueue } from './timer-queue.js';

/** Converts table values to and from plain data for checkpoints (e.g. window slots). */
export interface TableCodec<V> {
  encode(value: V): unknown;
  decode(data: unknown): V;
}

/** One key group of one operator's keyed state, serialised. */
export interface KeyGroupSnapshot {
  readonly keyGroup: number;
  readonly data: Uint8Array;
}

/** The keyed state of one operator at a checkpoint. */
export interface KeyedStateSnapshot {
  readonly maxParallelism: number;
  readonly groups: readonly KeyGroupSnapshot[];
}

interface ColumnarTable {
  kind: string;
  ns: Namespace[];
  keys: unknown[];
  values: unknown[];
}
interface ColumnarTimers {
  ts: number[];
  ns: Namespace[];
  keys: unknown[];
}
interface GroupPayload {
  tables: Record<string, ColumnarTable>;
  event: ColumnarTimers;
  processing: ColumnarTimers;
}

interface TableEntry {
  readonly kind: string;
  readonly table: StateTable<unknown>;
  readonly codec: TableCodec<unknown> | undefined;
}

/** @internal */
export class KeyedStateBackend implements CurrentKeyHolder, KeyedStateStore {
  /** The internal (normalised) key of the element being processed. */
  currentKey: unknown = undefined;
  readonly eventTimers = new TimerQueue();
  readonly processingTimers = new TimerQueue();
  private readonly tables = new Map<string, TableEntry>();
  private readonly objectKeys = new Map<string, unknown>();
  private pendingRestore: Map<string, ColumnarTable[]> | undefined;

  constructor(
    readonly operatorName: string,
    readonly maxParallelism = DEFAULT_MAX_PARALLELISM,
  ) {}

  /** Sets the current key from a user key; object keys are normalised to one canonical value. */
  setCurrentKey(key: unknown): void {
    this.currentKey = isObjectKey(key) ? this.intern(key) : key;
  }

  /** Normalises a user key without making it current. */
  internalKey(key: unknown): unknown {
    return isObjectKey(key) ? this.intern(key) : key;
  }

  /** The user-visible key for an internal key. */
  userKey(internal: unknown): unknown {
    if (typeof internal === 'string' && internal.charCodeAt(0) === 0) {
      const original = this.objectKeys.get(internal);
      if (original !== undefined) return original;
    }
    return internal;
  }

  /** The user-visible current key. */
  getCurrentKey(): unknown {
    return this.userKey(this.currentKey);
  }

  /** Registers (or returns) a table; a codec converts values for checkpoints. */
  table<V>(name: string, kind: string, codec?: TableCodec<V>): StateTable<V> {
    const existing = this.tables.get(name);
    if (existing) {
      if (existing.kind !== kind) {
        throw new ConfigError(
          `Operator '${this.operatorName}': state '${name}' is already registered as ${existing.kind} state, not ${kind}; use distinct names`,
        );
      }
      return existing.table as StateTable<V>;
    }
    const table = new StateTable<V>(name);
    this.tables.set(name, { kind, table: table as StateTable<unknown>, codec: codec as TableCodec<unknown> | undefined });
    this.applyPendingRestore(name, kind, table as StateTable<unknown>, codec as TableCodec<unknown> | undefined);
    return table;
  }

  getState<T>(d: ValueStateDescriptor<T>, ns: Namespace = VOID_NAMESPACE): ValueState<T> {
    return new HeapValueState<T>(this, this.table<T>(d.name, d.kind), ns, d.defaultValue);
  }
  getListState<T>(d: ListStateDescriptor<T>, ns: Namespace = VOID_NAMESPACE): ListState<T> {
    return new HeapListState<T>(this, this.table<T[]>(d.name, d.kind), ns);
  }
  getMapState<K, V>(d: MapStateDescriptor<K, V>, ns: Namespace = VOID_NAMESPACE): MapState<K, V> {
    return new HeapMapState<K, V>(this, this.table<Map<K, V>>(d.name, d.kind), ns);
  }
  getReducingState<T>(d: ReducingStateDescriptor<T>, ns: Namespace = VOID_NAMESPACE): ReducingState<T> {
    return new HeapReducingState<T>(this, this.table<T>(d.name, d.kind), ns, d.reduce);
  }
  getAggregatingState<IN, ACC, OUT>(
    d: AggregatingStateDescriptor<IN, ACC, OUT>,
    ns: Namespace = VOID_NAMESPACE,
  ): AggregatingState<IN, OUT> {
    return new HeapAggregatingState<IN, ACC, OUT>(this, this.table<ACC>(d.name, d.kind), ns, d.aggregate);
  }

  /** Number of entries of one table (0 when it does not exist). */
  tableSize(name: string): number {
    return this.tables.get(name)?.table.size ?? 0;
  }

  /** Number of live entries over all tables (metrics, tests). */
  get entryCount(): number {
    let n = 0;
    for (const t of this.tables.values()) n += t.table.size;
    return n;
  }

  /** Captures all tables and timers, serialised per key group. Synchronous: call at a barrier. */
  snapshot(): KeyedStateSnapshot {
    const groups = new Map<number, GroupPayload>();
    const kgCache = new Map<unknown, number>();
    const groupFor = (key: unknown): GroupPayload => {
      let kg = kgCache.get(key);
      if (kg === undefined) {
        kg = keyGroupOf(key, this.maxParallelism);
        kgCache.set(key, kg);
      }
      let g = groups.get(kg);
      if (g === undefined) {
        g = { tables: {}, event: { ts: [], ns: [], keys: [] }, processing: { ts: [], ns: [], keys: [] } };
        groups.set(kg, g);
      }
      return g;
    };
    for (const [name, { kind, table, codec }] of this.tables) {
      table.forEach((ns, key, value) => {
        const g = groupFor(key);
        let t = g.tables[name];
        if (t === undefined) {
          t = { kind, ns: [], keys: [], values: [] };
          g.tables[name] = t;
        }
        t.ns.push(ns);
        t.keys.push(this.userKey(key));
        t.values.push(codec ? codec.encode(value) : value);
      });
    }
    const addTimers = (queue: TimerQueue, pick: (g: GroupPayload) => ColumnarTimers) =>
      queue.forEach((ts, key, ns) => {
        const c = pick(groupFor(key));
        c.ts.push(ts);
        c.ns.push(ns);
        c.keys.push(this.userKey(key));
      });
    addTimers(this.eventTimers, (g) => g.event);
    addTimers(this.processingTimers, (g) => g.processing);
    const out: KeyGroupSnapshot[] = [];
    for (const [keyGroup, payload] of groups) {
      try {
        out.push({ keyGroup, data: serialize(payload) });
      } catch (e) {
        throw new CheckpointError(
          `Operator '${this.operatorName}': keyed state cannot be serialised (${(e as Error).message}); state values must be structured-cloneable data`,
          undefined,
          { cause: e },
        );
      }
    }
    out.sort((a, b) => a.keyGroup - b.keyGroup);
    return { maxParallelism: this.maxParallelism, groups: out };
  }

  /** Replaces all state and timers with a snapshot's. Tables not yet registered get it on registration. */
  restore(snapshot: KeyedStateSnapshot): void {
    if (snapshot.maxParallelism !== this.maxParallelism) {
      throw new CheckpointError(
        `Operator '${this.operatorName}': checkpoint has ${snapshot.maxParallelism} key groups, the job ${this.maxParallelism}; the number of key groups cannot change across restores`,
      );
    }
    for (const t of this.tables.values()) t.table.clear();
    this.eventTimers.clear();
    this.processingTimers.clear();
    this.objectKeys.clear();
    const pending = new Map<string, ColumnarTable[]>();
    for (const g of snapshot.groups) {
      const payload = deserialize(g.data) as GroupPayload;
      for (const [name, t] of Object.entries(payload.tables)) {
        let list = pending.get(name);
        if (!list) pending.set(name, (list = []));
        list.push(t);
      }
      this.restoreTimers(payload.event, this.eventTimers);
      this.restoreTimers(payload.processing, this.processingTimers);
    }
    this.pendingRestore = pending;
    for (const [name, { kind, table, codec }] of this.tables) this.applyPendingRestore(name, kind, table, codec);
  }

  private restoreTimers(c: ColumnarTimers, queue: TimerQueue): void {
    for (let i = 0; i < c.ts.length; i++) queue.add(c.ts[i]!, this.internalKey(c.keys[i]), c.ns[i]!);
  }

  private applyPendingRestore(name: string, kind: string, table: StateTable<unknown>, codec: TableCodec<unknown> | undefined): void {
    const parts = this.pendingRestore?.get(name);
    if (!parts) return;
    this.pendingRestore!.delete(name);
    for (const part of parts) {
      if (part.kind !== kind) {
        throw new CheckpointError(
          `Operator '${this.operatorName}': state '${name}' was ${part.kind} state in the checkpoint but is ${kind} state now`,
        );
      }
      for (let i = 0; i < part.keys.length; i++) {
        const v = part.values[i];
        table.put(this.internalKey(part.keys[i]), part.ns[i]!, codec ? codec.decode(v) : v);
      }
    }
  }

  private intern(key: object): string {
    const s = objectKeyString(key);
    if (!this.objectKeys.has(s)) this.objectKeys.set(s, key);
    return s;
  }
}
