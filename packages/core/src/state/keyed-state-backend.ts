/**
 * The keyed state of one operator: named {@link StateTable}s, the operator's timers, and the key
 * of the element being processed. Snapshots are written per key group (Flink's layout), so state
 * can be restored into an instance that owns a range of key groups.
 *
 * Snapshots (snapshot-task.ts): while the job takes checkpoints, every table and timer queue has
 * a tracker (table-tracking.ts, timer-tracking.ts) that records what changed since the last
 * barrier. A barrier starts a snapshot in O(tables): full (every entry) or a delta (the changed
 * entries only, for incremental checkpoints); its walk and serialisation run in slices while the
 * job goes on, copying on write. Restore applies each key group's chain: its last full segment,
 * then the deltas after it (segment.ts).
 */
import { deserialize } from 'node:v8';
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
import { DEFAULT_MAX_PARALLELISM, type KeyGroupRange, inKeyGroupRange } from './key-groups.js';
import { isEncodedKey, normalizeKey } from './keys.js';
import { isFullSegment, type SegmentPayload, type TablePart, type TimerPart, unpackSegment } from './segment.js';
import { KeyedSnapshotTask, type KeyedStateSnapshot } from './snapshot-task.js';
import { type Namespace, StateTable, type TableOptions, VOID_NAMESPACE } from './state-table.js';
import type {
  AggregatingState,
  KeyedStateStore,
  ListState,
  MapState,
  ReducingState,
  ValueState,
} from './state-types.js';
import { DEFAULT_CHANGE_LIMIT, type KeyMapping, type TableCodec, TableSnapshot, type TableSource, TableTracker } from './table-tracking.js';
import { TimerQueue } from './timer-queue.js';
import { TimerSnapshot, TimerTracker } from './timer-tracking.js';
import type { StateTtlConfig, TtlValue } from './state-ttl.js';
import { TtlCleanup } from './ttl-cleanup.js';
import { type TtlContext, TtlAggregatingState, TtlListState, TtlMapState, TtlReducingState, TtlValueState } from './ttl-states.js';

export type { Columns } from './segment.js';
export type { ColumnCodec, TableCodec } from './table-tracking.js';
export type { KeyGroupSnapshot, KeyedStateSnapshot } from './snapshot-task.js';

/** What the backend reads of a descriptor with a time-to-live. */
interface TtlDescribed {
  readonly name: string;
  readonly kind: string;
  readonly ttlConfig: StateTtlConfig | undefined;
}

interface TableEntry extends TableSource {
  tracker: TableTracker | undefined;
}

/** What changed since the last barrier, for choosing between a full and a delta snapshot. */
export interface ChangeSummary {
  /** Entries and timers written since the last barrier. */
  readonly changed: number;
  /** Entries and timers live now. */
  readonly live: number;
  /** A table handed out views of its values (its changes are not known): the next snapshot must be full. */
  readonly mustBeFull: boolean;
}

/** @internal */
/** Encoded keys remembered before the first pruning (see `pruneObjectKeys`). */
const MIN_OBJECT_KEYS_PRUNE = 4096;

export class KeyedStateBackend implements CurrentKeyHolder, KeyedStateStore, KeyMapping {
  /** The internal (normalised) key of the element being processed. */
  currentKey: unknown = undefined;
  readonly eventTimers = new TimerQueue();
  readonly processingTimers = new TimerQueue();
  /** Processing time for state TTL (the job sets its clock; default: the system clock). */
  clock: { now(): number } = { now: () => Date.now() };
  private readonly tables = new Map<string, TableEntry>();
  private readonly objectKeys = new Map<string, unknown>();
  /** Size of {@link objectKeys} at which the originals of keys nothing refers to are dropped. */
  private objectKeysPruneAt = MIN_OBJECT_KEYS_PRUNE;
  private pendingRestore: Map<string, TablePart[]> | undefined;
  private timerTrackers: { event: TimerTracker; processing: TimerTracker } | undefined = undefined;
  private changeLimit = DEFAULT_CHANGE_LIMIT;
  private running: KeyedSnapshotTask | undefined = undefined;
  /** State TTL: each expiring table's cleanup, and those that run per record. */
  private readonly ttlCleanups = new Map<string, TtlCleanup>();
  private perRecordCleanups: TtlCleanup[] | undefined = undefined;

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
    if (this.perRecordCleanups !== undefined) for (const c of this.perRecordCleanups) c.onAccess();
  }

  /**
   * Normalises a user key without making it current: keys that are equal by value get one
   * internal key (keys.ts); an encoded key remembers its first original for {@link userKey}.
   */
  internalKey(key: unknown): unknown {
    const internal = normalizeKey(key, this.operatorName);
    if (internal !== key && !this.objectKeys.has(internal as string)) {
      this.objectKeys.set(internal as string, key);
      if (this.objectKeys.size > this.objectKeysPruneAt) this.pruneObjectKeys(internal);
    }
    return internal;
  }

  /**
   * Forgets the originals of encoded keys that no state entry, timer or the current element
   * refers to any more: a job keyed by tuples or objects meets new keys for as long as it runs
   * (one per user and window, say), and their originals must not outlive their state. Amortised
   * O(1) per new key: the next pruning waits until the map has doubled. Skipped while a snapshot
   * is being written (it may still write entries removed since its barrier, with their keys).
   */
  private pruneObjectKeys(keep: unknown): void {
    if (this.running !== undefined) return;
    const live = new Set<unknown>([keep, this.currentKey]);
    const note = (k: unknown) => {
      if (isEncodedKey(k)) live.add(k);
    };
    for (const { table } of this.tables.values()) for (const m of table.namespaces().values()) for (const k of m.keys()) note(k);
    this.eventTimers.forEach((_ts, k) => note(k));
    this.processingTimers.forEach((_ts, k) => note(k));
    for (const k of this.objectKeys.keys()) if (!live.has(k)) this.objectKeys.delete(k);
    this.objectKeysPruneAt = Math.max(MIN_OBJECT_KEYS_PRUNE, this.objectKeys.size * 2);
  }

  /** @internal Originals of encoded keys remembered (tests: they do not outlive their state). */
  get rememberedKeyCount(): number {
    return this.objectKeys.size;
  }

  /** The user-visible key for an internal key. */
  userKey(internal: unknown): unknown {
    return isEncodedKey(internal) && this.objectKeys.has(internal) ? this.objectKeys.get(internal) : internal;
  }

  /** The user-visible current key. */
  getCurrentKey(): unknown {
    return this.userKey(this.currentKey);
  }

  /**
   * Registers (or returns) a table; a codec converts values for checkpoints. `options` says how
   * its owner mutates values (state-table.ts); `expired` marks values that state TTL dropped.
   */
  table<V>(name: string, kind: string, codec?: TableCodec<V>, options?: TableOptions, filter?: (value: V, now: number) => V | undefined): StateTable<V> {
    const existing = this.tables.get(name);
    if (existing) {
      if (existing.kind !== kind) {
        throw new ConfigError(
          `Operator '${this.operatorName}': state '${name}' is already registered as ${existing.kind} state, not ${kind}; use distinct names`,
        );
      }
      return existing.table as StateTable<V>;
    }
    const table = new StateTable<V>(name, options);
    const entry: TableEntry = {
      name,
      kind,
      table: table as StateTable<unknown>,
      codec: codec as TableCodec<unknown> | undefined,
      filter: filter as ((value: unknown, now: number) => unknown) | undefined,
      tracker: undefined,
    };
    this.tables.set(name, entry);
    this.applyPendingRestore(entry);
    if (this.timerTrackers !== undefined) this.track(entry);
    return table;
  }

  getState<T>(d: ValueStateDescriptor<T>, ns: Namespace = VOID_NAMESPACE): ValueState<T> {
    if (d.ttlConfig) return new TtlValueState<T>(this.ttl(d), this.ttlTable<TtlValue<T>>(d), ns, d.defaultValue);
    return new HeapValueState<T>(this, this.table<T>(d.name, d.kind), ns, d.defaultValue);
  }
  getListState<T>(d: ListStateDescriptor<T>, ns: Namespace = VOID_NAMESPACE): ListState<T> {
    if (d.ttlConfig) return new TtlListState<T>(this.ttl(d), this.ttlTable<TtlValue<T>[]>(d), ns);
    return new HeapListState<T>(this, this.table<T[]>(d.name, d.kind), ns);
  }
  getMapState<K, V>(d: MapStateDescriptor<K, V>, ns: Namespace = VOID_NAMESPACE): MapState<K, V> {
    if (d.ttlConfig) return new TtlMapState<K, V>(this.ttl(d), this.ttlTable<Map<K, TtlValue<V>>>(d), ns);
    return new HeapMapState<K, V>(this, this.table<Map<K, V>>(d.name, d.kind), ns);
  }
  getReducingState<T>(d: ReducingStateDescriptor<T>, ns: Namespace = VOID_NAMESPACE): ReducingState<T> {
    if (d.ttlConfig) return new TtlReducingState<T>(this.ttl(d), this.ttlTable<TtlValue<T>>(d), ns, d.reduce);
    return new HeapReducingState<T>(this, this.table<T>(d.name, d.kind), ns, d.reduce);
  }
  getAggregatingState<IN, ACC, OUT>(
    d: AggregatingStateDescriptor<IN, ACC, OUT>,
    ns: Namespace = VOID_NAMESPACE,
  ): AggregatingState<IN, OUT> {
    if (d.ttlConfig) return new TtlAggregatingState<IN, ACC, OUT>(this.ttl(d), this.ttlTable<TtlValue<ACC>>(d), ns, d.aggregate);
    return new HeapAggregatingState<IN, ACC, OUT>(this, this.table<ACC>(d.name, d.kind), ns, d.aggregate);
  }

  /**
   * The table of a state with a time-to-live: its kind says so (`value+ttl`), since its values
   * are stored with their access time; created with the state's cleanup (state-ttl.ts).
   */
  private ttlTable<V>(d: TtlDescribed): StateTable<V> {
    const config = d.ttlConfig!;
    const name = d.name;
    let cleanup = this.ttlCleanups.get(name);
    const filter = config.cleanupFullSnapshot ? (v: V, now: number) => this.ttlCleanups.get(name)!.withoutExpired(v, now) as V | undefined : undefined;
    const table = this.table<V>(name, `${d.kind}+ttl`, undefined, undefined, filter);
    if (cleanup === undefined) {
      cleanup = new TtlCleanup(table as StateTable<unknown>, d.kind, config, this.clock);
      this.ttlCleanups.set(name, cleanup);
      if (config.incrementalCleanup?.runCleanupForEveryRecord) (this.perRecordCleanups ??= []).push(cleanup);
    }
    return table;
  }

  private ttl(d: TtlDescribed): TtlContext {
    // The table first: it creates the cleanup.
    this.ttlTable(d);
    return { keys: this, clock: this.clock, config: d.ttlConfig!, cleanup: this.ttlCleanups.get(d.name) };
  }

  /** Whether some state with a time-to-live cleans up in the background. */
  get cleansInBackground(): boolean {
    for (const c of this.ttlCleanups.values()) if (c.config.cleanupInBackground) return true;
    return false;
  }

  /**
   * Background cleanup of state TTL: sweeps each expiring table to its end, or until `deadline`
   * (performance.now(); the next call resumes where this one stopped).
   */
  cleanupExpired(deadline: number): void {
    for (const c of this.ttlCleanups.values()) {
      if (c.config.cleanupInBackground && !c.sweep(deadline)) return;
    }
  }

  /** Expired values and elements state TTL removed so far (metrics). */
  get expiredStateRemoved(): number {
    let n = 0;
    for (const c of this.ttlCleanups.values()) n += c.removed;
    return n;
  }

  /** Live entries per state table (metrics). */
  stateSizes(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const t of this.tables.values()) out[t.name] = t.table.size;
    return out;
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
   * Starts watching writes (the job takes checkpoints): from now on every table and timer queue
   * reports its writes, for copy-on-write and, up to `changeLimit` of its entries per interval
   * (table-tracking.ts), for delta snapshots (0: no deltas, Infinity: every change). Call after
   * restore.
   */
  trackChanges(changeLimit = DEFAULT_CHANGE_LIMIT): void {
    if (this.timerTrackers !== undefined) return;
    this.changeLimit = changeLimit;
    const event = new TimerTracker(this.eventTimers, changeLimit);
    const processing = new TimerTracker(this.processingTimers, changeLimit);
    this.eventTimers.watcher = event;
    this.processingTimers.watcher = processing;
    this.timerTrackers = { event, processing };
    for (const t of this.tables.values()) this.track(t);
  }

  private track(t: TableEntry): void {
    t.tracker = new TableTracker(t, this.changeLimit);
    t.table.watcher = t.tracker;
  }

  /** What changed since the last barrier (only known while tracking; else everything counts as changed). */
  changeSummary(): ChangeSummary {
    let live = this.eventTimers.size + this.processingTimers.size;
    for (const t of this.tables.values()) live += t.table.size;
    const tt = this.timerTrackers;
    if (tt === undefined) return { changed: live, live, mustBeFull: true };
    let changed = tt.event.changedCount + tt.processing.changedCount;
    let mustBeFull = tt.event.mustBeFull || tt.processing.mustBeFull;
    for (const t of this.tables.values()) {
      changed += t.tracker!.changedCount;
      if (t.tracker!.mustBeFull) mustBeFull = true;
    }
    return { changed, live, mustBeFull };
  }

  /**
   * Starts a snapshot at the barrier, in O(tables): full, or (while tracking) a delta of what
   * changed since the previous barrier. Run the returned task to write it while the job goes on.
   */
  beginSnapshot(full: boolean): KeyedSnapshotTask {
    if (this.running !== undefined) throw new CheckpointError(`Operator '${this.operatorName}': a snapshot of its keyed state is already being written`);
    const tt = this.timerTrackers;
    if (!full && (tt === undefined || this.changeSummary().mustBeFull)) {
      throw new CheckpointError(`Operator '${this.operatorName}': a delta snapshot needs the changes since the last one, which are not known`);
    }
    const tables: Array<{ name: string; snapshot: TableSnapshot }> = [];
    const barrierTime = this.clock.now();
    for (const t of this.tables.values()) {
      const snapshot = t.tracker !== undefined ? t.tracker.begin(this, full, barrierTime) : new TableSnapshot(t, this, true, undefined, barrierTime);
      tables.push({ name: t.name, snapshot });
    }
    const event = tt !== undefined ? tt.event.begin(this, full) : new TimerSnapshot(this.eventTimers, this, true, undefined);
    const processing = tt !== undefined ? tt.processing.begin(this, full) : new TimerSnapshot(this.processingTimers, this, true, undefined);
    const task = new KeyedSnapshotTask(this.operatorName, this.maxParallelism, full, tables, { event, processing }, () => {
      if (this.running !== task) return;
      this.running = undefined;
      for (const t of this.tables.values()) {
        const s = tables.find((x) => x.name === t.name)?.snapshot;
        if (s !== undefined) t.tracker?.abandon(s);
      }
      tt?.event.abandon(event);
      tt?.processing.abandon(processing);
    });
    this.running = task;
    return task;
  }

  /** A full snapshot, taken and serialised at once (tests, tools; nothing may run meanwhile). */
  snapshot(): KeyedStateSnapshot {
    return this.beginSnapshot(true).runSync();
  }

  /**
   * Replaces all state and timers with a snapshot's: each key group's chain, from its last full
   * segment on. With `range`, only the key groups in it (the others are dropped). Tables not yet
   * registered get their state on registration.
   */
  restore(snapshot: KeyedStateSnapshot, range?: KeyGroupRange): void {
    if (snapshot.maxParallelism !== this.maxParallelism) {
      throw new CheckpointError(
        `Operator '${this.operatorName}': checkpoint has ${snapshot.maxParallelism} key groups, the job ${this.maxParallelism}; the number of key groups cannot change across restores`,
      );
    }
    for (const t of this.tables.values()) t.table.clear();
    this.eventTimers.clear();
    this.processingTimers.clear();
    this.objectKeys.clear();
    // Each key group's chain: everything before its last full segment is superseded.
    const chains = new Map<number, SegmentPayload[]>();
    for (const g of snapshot.groups) {
      if (range !== undefined && !inKeyGroupRange(g.keyGroup, range)) continue;
      const payload = unpackSegment(deserialize(g.data) as SegmentPayload);
      let chain = chains.get(g.keyGroup);
      if (chain === undefined) chains.set(g.keyGroup, (chain = []));
      if (isFullSegment(payload)) chain.length = 0;
      chain.push(payload);
    }
    const pending = new Map<string, TablePart[]>();
    for (const chain of chains.values()) {
      for (const payload of chain) {
        for (const [name, t] of Object.entries(payload.tables)) {
          let list = pending.get(name);
          if (!list) pending.set(name, (list = []));
          list.push(t);
        }
        if (payload.event) this.restoreTimers(payload.event, this.eventTimers);
        if (payload.processing) this.restoreTimers(payload.processing, this.processingTimers);
      }
    }
    this.pendingRestore = pending;
    for (const t of this.tables.values()) this.applyPendingRestore(t);
  }

  /** The internal key of a restored user key (the common keys are their own, as in setCurrentKey). */
  private restoredKey(key: unknown): unknown {
    if (typeof key === 'string' ? key.charCodeAt(0) !== 0 : typeof key === 'number' && (key !== 0 || 1 / key > 0)) return key;
    return this.internalKey(key);
  }

  private restoreTimers(c: TimerPart, queue: TimerQueue): void {
    if (c.removedTs !== undefined) {
      for (let i = 0; i < c.removedTs.length; i++) queue.deleteQuietly(c.removedTs[i]!, this.restoredKey(c.removedKeys![i]), c.removedNs![i]!);
    }
    for (let i = 0; i < c.ts.length; i++) queue.addQuietly(c.ts[i]!, this.restoredKey(c.keys[i]), c.ns[i]!);
  }

  private applyPendingRestore(t: TableEntry): void {
    const parts = this.pendingRestore?.get(t.name);
    if (!parts) return;
    this.pendingRestore!.delete(t.name);
    const { name, kind, table, codec } = t;
    // Restored entries are not changes: the table writes without its watcher meanwhile.
    const watcher = table.watcher;
    table.watcher = undefined;
    try {
      this.applyParts(name, kind, table, codec, parts);
    } finally {
      table.watcher = watcher;
    }
  }

  private applyParts(name: string, kind: string, table: StateTable<unknown>, codec: TableCodec<unknown> | undefined, parts: readonly TablePart[]): void {
    for (const part of parts) {
      if (part.kind !== kind) {
        const ttl =
          part.kind.replace('+ttl', '') === kind.replace('+ttl', '')
            ? ` (its time-to-live was turned ${kind.endsWith('+ttl') ? 'on' : 'off'}: values with and without a time-to-live are stored differently and cannot be restored into each other, as in Flink; keep the setting, or give the state a new name)`
            : '';
        throw new CheckpointError(`Operator '${this.operatorName}': state '${name}' was ${part.kind} state in the checkpoint but is ${kind} state now${ttl}`);
      }
      const cc = codec?.columns;
      if (part.columns !== undefined && cc === undefined) {
        throw new CheckpointError(`Operator '${this.operatorName}': state '${name}' was checkpointed in columns its codec cannot read`);
      }
      if (part.removedKeys !== undefined) {
        for (let i = 0; i < part.removedKeys.length; i++) table.remove(this.restoredKey(part.removedKeys[i]), part.removedNs![i]!);
      }
      const { keys, ns, columns, values } = part;
      for (let i = 0; i < keys.length; i++) {
        const value = columns !== undefined ? cc!.read(columns, i) : codec ? codec.decode(values[i]) : values[i];
        table.put(this.restoredKey(keys[i]), ns[i]!, value);
      }
    }
  }
}
