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
import { isEncodedKey, normalizeKey } from './keys.js';
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

/**
 * Converts table values to and from plain data for checkpoints (e.g. window slots). `encode` runs
 * at the barrier and must return data that later changes to the live value cannot alter (copy
 * mutable containers; it is serialised later, while the job runs).
 */
export interface TableCodec<V> {
  encode(value: V): unknown;
  decode(data: unknown): V;
  /**
   * Optional columnar form: values appended field by field to a few arrays instead of one object
   * per value, which spares the garbage collector on large state (the barrier pause is mostly
   * allocation of per-entry objects that all survive).
   */
  readonly columns?: ColumnCodec<V>;
}

/** Named columns of a table's values, one array per field. */
export type Columns = Record<string, unknown[]>;

/** See {@link TableCodec.columns}. */
export interface ColumnCodec<V> {
  readonly names: readonly string[];
  /** Appends a detached encoding of `value` to `columns`. */
  append(columns: Columns, value: V): void;
  /** Decodes row `i`. */
  read(columns: Columns, i: number): V;
}

/** One operator's keyed state captured at a barrier, not yet serialised. */
export interface CapturedKeyedState {
  readonly operatorName: string;
  readonly maxParallelism: number;
  readonly tables: readonly CapturedTable[];
  readonly event: ColumnarTimers;
  readonly processing: ColumnarTimers;
}

interface CapturedTable {
  readonly name: string;
  readonly kind: string;
  readonly ns: Namespace[];
  readonly keys: unknown[];
  readonly values: unknown[];
  readonly columns: Columns | undefined;
}

function emptyColumns(names: readonly string[]): Columns {
  const c: Columns = {};
  for (const n of names) c[n] = [];
  return c;
}

/**
 * A detached copy of a user state value: primitives as they are, list and map containers copied
 * (their elements are values the user replaced, not mutated), other objects cloned (a reduce or
 * aggregate function may update its accumulator in place).
 */
function detachUserState(kind: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (kind === 'list') return (value as unknown[]).slice();
  if (kind === 'map') return new Map(value as Map<unknown, unknown>);
  return structuredClone(value);
}

/** Time between yields while serialising a captured state, ms. */
const SERIALIZE_SLICE_MS = 4;

/**
 * Serialises captured state per key group, yielding to the event loop every few milliseconds so
 * the job keeps processing meanwhile.
 */
export async function serializeCapturedState(c: CapturedKeyedState): Promise<KeyedStateSnapshot> {
  const groups = partition(c);
  const out: KeyGroupSnapshot[] = [];
  let sliceStart = performance.now();
  for (const [keyGroup, payload] of groups) {
    out.push({ keyGroup, data: serializeGroup(c.operatorName, payload) });
    if (performance.now() - sliceStart > SERIALIZE_SLICE_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
  out.sort((a, b) => a.keyGroup - b.keyGroup);
  return { maxParallelism: c.maxParallelism, groups: out };
}

function serializeCapturedStateSync(c: CapturedKeyedState): KeyedStateSnapshot {
  const out: KeyGroupSnapshot[] = [];
  for (const [keyGroup, payload] of partition(c)) out.push({ keyGroup, data: serializeGroup(c.operatorName, payload) });
  out.sort((a, b) => a.keyGroup - b.keyGroup);
  return { maxParallelism: c.maxParallelism, groups: out };
}

function serializeGroup(operatorName: string, payload: GroupPayload): Uint8Array {
  try {
    return serialize(payload);
  } catch (e) {
    throw new CheckpointError(
      `Operator '${operatorName}': keyed state cannot be serialised (${(e as Error).message}); state values must be structured-cloneable data`,
      undefined,
      { cause: e },
    );
  }
}

/** Splits captured state into key groups (Flink's assignment). */
function partition(c: CapturedKeyedState): Map<number, GroupPayload> {
  const groups = new Map<number, GroupPayload>();
  const groupOf = (key: unknown): GroupPayload => {
    const kg = keyGroupOf(key, c.maxParallelism);
    let g = groups.get(kg);
    if (g === undefined) {
      g = { tables: {}, event: { ts: [], ns: [], keys: [] }, processing: { ts: [], ns: [], keys: [] } };
      groups.set(kg, g);
    }
    return g;
  };
  for (const t of c.tables) {
    for (let i = 0; i < t.keys.length; i++) {
      const g = groupOf(t.keys[i]);
      let ct = g.tables[t.name];
      if (ct === undefined) {
        ct = t.columns ? { kind: t.kind, ns: [], keys: [], values: [], columns: emptyColumns(Object.keys(t.columns)) } : { kind: t.kind, ns: [], keys: [], values: [] };
        g.tables[t.name] = ct;
      }
      ct.ns.push(t.ns[i]!);
      ct.keys.push(t.keys[i]);
      if (t.columns) for (const name in t.columns) ct.columns![name]!.push(t.columns[name]![i]);
      else ct.values.push(t.values[i]);
    }
  }
  const timers = (src: ColumnarTimers, pick: (g: GroupPayload) => ColumnarTimers) => {
    for (let i = 0; i < src.ts.length; i++) {
      const dst = pick(groupOf(src.keys[i]));
      dst.ts.push(src.ts[i]!);
      dst.ns.push(src.ns[i]!);
      dst.keys.push(src.keys[i]);
    }
  };
  timers(c.event, (g) => g.event);
  timers(c.processing, (g) => g.processing);
  return groups;
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
  columns?: Columns;
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

  /** Sets the current key from a user key (see {@link internalKey}). */
  setCurrentKey(key: unknown): void {
    // Inline fast path (once per element): a string that does not start with NUL and a number
    // other than -0 are their own internal key (keys.ts); everything else is normalised.
    if (typeof key === 'string' ? key.charCodeAt(0) !== 0 : typeof key === 'number' && (key !== 0 || 1 / key > 0)) this.currentKey = key;
    else this.currentKey = this.internalKey(key);
  }

  /**
   * Normalises a user key without making it current: keys that are equal by value get one
   * internal key (keys.ts); an encoded key remembers its first original for {@link userKey}.
   */
  internalKey(key: unknown): unknown {
    const internal = normalizeKey(key, this.operatorName);
    if (internal !== key && !this.objectKeys.has(internal as string)) this.objectKeys.set(internal as string, key);
    return internal;
  }

  /** The user-visible key for an internal key. */
  userKey(internal: unknown): unknown {
    return isEncodedKey(internal) && this.objectKeys.has(internal) ? this.objectKeys.get(internal) : internal;
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

  /**
   * Captures all tables and timers at a barrier: a detached copy (codecs encode, containers of
   * user state are copied), cheap enough to pause the job for. Serialise it with
   * {@link serializeCapturedState} while the job goes on.
   */
  capture(): CapturedKeyedState {
    const tables: CapturedTable[] = [];
    for (const [name, { kind, table, codec }] of this.tables) {
      if (table.size === 0) continue;
      const ns: Namespace[] = [];
      const keys: unknown[] = [];
      const values: unknown[] = [];
      const cc = codec?.columns;
      const columns = cc ? emptyColumns(cc.names) : undefined;
      table.forEach((n, key, value) => {
        ns.push(n);
        keys.push(this.userKey(key));
        if (cc) cc.append(columns!, value);
        else values.push(codec ? codec.encode(value) : detachUserState(kind, value));
      });
      tables.push({ name, kind, ns, keys, values, columns });
    }
    return {
      operatorName: this.operatorName,
      maxParallelism: this.maxParallelism,
      tables,
      event: this.captureTimers(this.eventTimers),
      processing: this.captureTimers(this.processingTimers),
    };
  }

  /** Captures and serialises synchronously (tests, tools). */
  snapshot(): KeyedStateSnapshot {
    return serializeCapturedStateSync(this.capture());
  }

  private captureTimers(queue: TimerQueue): ColumnarTimers {
    const c: ColumnarTimers = { ts: [], ns: [], keys: [] };
    queue.forEach((ts, key, ns) => {
      c.ts.push(ts);
      c.ns.push(ns);
      c.keys.push(this.userKey(key));
    });
    return c;
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
      const cc = codec?.columns;
      if (part.columns !== undefined && cc === undefined) {
        throw new CheckpointError(`Operator '${this.operatorName}': state '${name}' was checkpointed in columns its codec cannot read`);
      }
      for (let i = 0; i < part.keys.length; i++) {
        const value = part.columns !== undefined ? cc!.read(part.columns, i) : codec ? codec.decode(part.values[i]) : part.values[i];
        table.put(this.internalKey(part.keys[i]), part.ns[i]!, value);
      }
    }
  }
}
