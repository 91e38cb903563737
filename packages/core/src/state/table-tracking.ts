/**
 * Change tracking and copy-on-write snapshots of one state table.
 *
 * While the job takes checkpoints, every table has a {@link TableTracker} as its watcher. It
 * records the (namespace, key) entries written since the last checkpoint barrier. At a barrier
 * the backend starts a {@link TableSnapshot} in O(1): a full one (every entry) or a delta (the
 * recorded entries, swapped out for a fresh set). The snapshot then walks its entries in slices
 * between source polls while the job goes on, encoding each one (the codec returns detached data)
 * into columns per key group. The value it must write is the one at the barrier, so before the
 * job writes an entry the snapshot still needs, the tracker hands the old value to the snapshot,
 * which encodes it right then and skips the entry later (copy-on-write):
 *
 * - full: `handled` holds the entries written since the barrier; the first write of an entry
 *   encodes its old value (if it had one), the walk skips handled entries; writes in a namespace
 *   the walk has finished need nothing. An entry walked before its first write in the namespace
 *   being walked is encoded twice with the same value, which restore applies twice, harmlessly.
 * - delta: `pending` holds the entries still to write; the walk and the first write each take an
 *   entry out of it, so each is encoded once, with its value or as removed.
 *
 * A table whose owner may mutate values through views (not `mutatesThroughUpdate`) finishes the
 * part of its running snapshot a view shows (a namespace, or the whole table) synchronously when
 * the view is handed out, and its next snapshot is full.
 * @internal
 */
import { keyGroupOf } from './key-groups.js';
import { EntrySet } from './entry-set.js';
import { type Columns, newTablePart, type TablePart } from './segment.js';
import type { Namespace, StateTable, TableWatcher } from './state-table.js';

/**
 * Converts table values to and from plain data for checkpoints (e.g. window slots). `encode`
 * must return data that later changes to the live value cannot alter (copy mutable containers):
 * it runs while the job goes on, and the result is serialised later.
 */
export interface TableCodec<V> {
  encode(value: V): unknown;
  decode(data: unknown): V;
  /**
   * Optional columnar form: values appended field by field to a few arrays instead of one object
   * per value, which spares the garbage collector on large state.
   */
  readonly columns?: ColumnCodec<V>;
}

/** See {@link TableCodec.columns}. */
export interface ColumnCodec<V> {
  readonly names: readonly string[];
  /** Appends a detached encoding of `value` to `columns`. */
  append(columns: Columns, value: V): void;
  /** Decodes row `i`. */
  read(columns: Columns, i: number): V;
}

/** How a snapshot turns internal keys into user keys and key groups. */
export interface KeyMapping {
  readonly maxParallelism: number;
  userKey(internal: unknown): unknown;
}

/**
 * A detached copy of a user state value: primitives as they are, list and map containers copied
 * (their elements are values the user replaced, not mutated), other objects cloned (a reduce or
 * aggregate function may update its accumulator in place).
 */
export function detachUserState(kind: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (kind === 'list') return (value as unknown[]).slice();
  if (kind === 'map') return new Map(value as Map<unknown, unknown>);
  return structuredClone(value);
}

/** What a table snapshot needs to know about its table. */
export interface TableSource {
  readonly name: string;
  readonly kind: string;
  readonly table: StateTable<unknown>;
  readonly codec: TableCodec<unknown> | undefined;
  /**
   * State TTL's snapshot cleanup: the value as a snapshot at barrier time `now` writes it (a copy
   * without expired elements), or undefined when it expired (left out of full snapshots, written
   * as removed in deltas).
   */
  readonly filter?: (value: unknown, now: number) => unknown;
}

const NONE = Symbol('none');
/** Entries between two looks at the clock while walking. */
const CHECK_EVERY = 256;

/** One table's part of a snapshot being written (see the module comment). */
export class TableSnapshot {
  /** The table's part per key group, encoded so far. */
  readonly parts: Array<TablePart | undefined>;
  private readonly handled: EntrySet | undefined;
  /**
   * Full snapshots: namespaces the walk went through to the end. Writes there need nothing (the
   * walk wrote their value at the barrier): for windows, which a window operator writes and then
   * drops namespace by namespace, this spares most double entries.
   */
  private readonly walked: Set<Namespace> | undefined;
  /** The first value that could not be encoded (reported when the snapshot is written, not to the writer). */
  error: unknown = undefined;
  private done = false;
  private onDone: (() => void) | undefined = undefined;
  // Where the walk is: full snapshots walk the table, deltas walk `pending`.
  private outer: Iterator<[Namespace, ReadonlyMap<unknown, unknown> | Set<unknown>]> | undefined;
  private inner: Iterator<unknown> | undefined = undefined;
  private innerNs: Namespace = '';
  private readonly cc: ColumnCodec<unknown> | undefined;

  constructor(
    private readonly source: TableSource,
    private readonly keys: KeyMapping,
    readonly full: boolean,
    private readonly pending: EntrySet | undefined,
    /** Processing time at the barrier (state TTL's snapshot cleanup). */
    private readonly barrierTime = 0,
  ) {
    this.parts = new Array(keys.maxParallelism);
    this.cc = source.codec?.columns;
    this.handled = full ? new EntrySet() : undefined;
    this.walked = full ? new Set() : undefined;
    this.outer = full
      ? (source.table.namespaces().entries() as Iterator<[Namespace, ReadonlyMap<unknown, unknown>]>)
      : (pending!.byNamespace.entries() as Iterator<[Namespace, Set<unknown>]>);
  }

  get isDone(): boolean {
    return this.done;
  }

  /** Called once when the walk is over (the tracker stops handing writes to it). */
  whenDone(fn: () => void): void {
    this.onDone = fn;
    if (this.done) fn();
  }

  /** The job is about to write (key, ns), whose value is `old` (undefined: none). */
  beforeWrite(key: unknown, ns: Namespace, old: unknown): void {
    if (this.full) {
      if (this.walked!.has(ns)) return;
      const h = this.handled!;
      if (h.has(key, ns)) return;
      h.add(key, ns);
      if (old !== undefined) this.emit(key, ns, old);
    } else if (this.pending!.delete(key, ns)) {
      if (old !== undefined) this.emit(key, ns, old);
      else this.removed(key, ns);
    }
  }

  /**
   * Walks until done (true), or until `deadline` (performance.now()) passed or `budget` entries
   * were walked (false).
   */
  step(deadline: number, budget = Number.POSITIVE_INFINITY, namespaceOnly = false): boolean {
    if (this.done) return true;
    let n = 0;
    let left = budget;
    // Entries of the current namespace written since the barrier (no writes happen during a step).
    let handled = this.full && this.inner !== undefined ? this.handled!.byNamespace.get(this.innerNs) : undefined;
    for (;;) {
      if (this.inner === undefined) {
        if (namespaceOnly) return false;
        const next = this.outer!.next();
        if (next.done) return this.finish();
        const [ns, container] = next.value;
        // A namespace finished early (finishNow) is done.
        if (this.full && this.walked!.has(ns)) continue;
        this.innerNs = ns;
        this.inner = this.full ? (container as ReadonlyMap<unknown, unknown>).entries() : (container as Set<unknown>).values();
        if (this.full) handled = this.handled!.byNamespace.get(ns);
      }
      const e = this.inner.next();
      if (e.done) {
        this.inner = undefined;
        if (this.full) this.walked!.add(this.innerNs);
        continue;
      }
      const ns = this.innerNs;
      if (this.full) {
        const [key, value] = e.value as [unknown, unknown];
        if (handled === undefined || !handled.has(key)) this.emit(key, ns, value);
      } else {
        const key = e.value;
        this.pending!.delete(key, ns);
        const value = this.source.table.peek(key, ns);
        if (value !== undefined) this.emit(key, ns, value);
        else this.removed(key, ns);
      }
      if (--left <= 0) return false;
      if (++n === CHECK_EVERY) {
        n = 0;
        if (performance.now() > deadline) return false;
      }
    }
  }

  /**
   * A view of namespace `ns` (undefined: of the whole table) is about to be handed out, through
   * which the job may mutate values unseen: writes what the snapshot still needs of it, now.
   */
  finishNow(ns: Namespace | undefined): void {
    if (this.done) return;
    if (ns === undefined || this.inner !== undefined && ns === this.innerNs) {
      if (ns === undefined) this.step(Number.POSITIVE_INFINITY);
      else this.finishCurrentNamespace();
      return;
    }
    if (this.full) {
      if (this.walked!.has(ns)) return;
      const m = this.source.table.namespaces().get(ns);
      if (m !== undefined) {
        const handled = this.handled!.byNamespace.get(ns);
        for (const [key, value] of m) if (handled === undefined || !handled.has(key)) this.emit(key, ns, value);
      }
      // The walk skips it when it gets there.
      this.walked!.add(ns);
    } else {
      const keys = this.pending!.byNamespace.get(ns);
      if (keys === undefined) return;
      for (const key of keys) {
        keys.delete(key);
        const value = this.source.table.peek(key, ns);
        if (value !== undefined) this.emit(key, ns, value);
        else this.removed(key, ns);
      }
    }
  }

  /** Walks the namespace the walk is in to its end. */
  private finishCurrentNamespace(): void {
    const ns = this.innerNs;
    while (this.inner !== undefined && this.innerNs === ns && !this.done) this.step(Number.POSITIVE_INFINITY, 1 << 30, true);
  }

  private finish(): boolean {
    this.done = true;
    this.outer = undefined;
    this.inner = undefined;
    this.onDone?.();
    return true;
  }

  private part(userKey: unknown): TablePart {
    const kg = keyGroupOf(userKey, this.keys.maxParallelism);
    let p = this.parts[kg];
    if (p === undefined) this.parts[kg] = p = newTablePart(this.source.kind, this.cc?.names);
    return p;
  }

  private emit(key: unknown, ns: Namespace, value: unknown): void {
    const user = this.keys.userKey(key);
    const filter = this.source.filter;
    if (filter !== undefined) {
      value = filter(value, this.barrierTime);
      if (value === undefined) {
        if (!this.full) this.removedUser(user, ns);
        return;
      }
    }
    const p = this.part(user);
    const { codec, kind } = this.source;
    let encoded: unknown;
    try {
      if (this.cc !== undefined) {
        this.cc.append(p.columns!, value);
      } else encoded = codec !== undefined ? codec.encode(value) : detachUserState(kind, value);
    } catch (e) {
      // Thrown on the job's write path (copy-on-write): the checkpoint fails, not the element.
      this.error ??= e;
      return;
    }
    p.ns.push(ns);
    p.keys.push(user);
    if (this.cc === undefined) p.values.push(encoded);
  }

  private removed(key: unknown, ns: Namespace): void {
    this.removedUser(this.keys.userKey(key), ns);
  }

  private removedUser(user: unknown, ns: Namespace): void {
    const p = this.part(user) as { removedNs?: Namespace[]; removedKeys?: unknown[] };
    (p.removedNs ??= []).push(ns);
    (p.removedKeys ??= []).push(user);
  }
}

/**
 * Recording stops once more than this part of a table's entries changed in an interval (the
 * next snapshot is then full: walking the changed fifth and writing it is not worth recording
 * every change of a table where most keys change), so that tracking costs nothing more where
 * everything changes all the time.
 */
export const DEFAULT_CHANGE_LIMIT = 0.2;
/** Changes recorded at least, whatever the table's size (a table may grow in the interval). */
const MIN_CHANGE_LIMIT = 64;

/** The watcher of one table while the job takes checkpoints (see the module comment). */
export class TableTracker implements TableWatcher {
  /** Entries written since the last barrier. */
  private changes = new EntrySet();
  private changed = 0;
  /** More changes than this since the barrier make the next snapshot full. */
  private limit: number;
  /**
   * The changes since the last barrier are not all known (a view of whole namespaces was handed
   * out, or too many changed to record): the next snapshot must be full.
   */
  mustBeFull = false;
  private running: TableSnapshot | undefined = undefined;
  // The last entry recorded: runs of writes to one entry cost one comparison.
  private lastKey: unknown = NONE;
  private lastNs: Namespace | typeof NONE = NONE;

  constructor(
    readonly source: TableSource,
    /** Part of the table's entries whose changes are recorded (0: none, as without incremental checkpoints). */
    private readonly changeLimit = DEFAULT_CHANGE_LIMIT,
  ) {
    this.limit = this.limitFor(source.table.size);
  }

  private limitFor(size: number): number {
    return this.changeLimit === 0 ? 0 : Math.max(MIN_CHANGE_LIMIT, this.changeLimit * size);
  }

  beforeWrite(key: unknown, ns: Namespace, old: unknown): void {
    if (!this.mustBeFull && (key !== this.lastKey || ns !== this.lastNs)) {
      this.lastKey = key;
      this.lastNs = ns;
      if (this.changes.add(key, ns) && ++this.changed > this.limit) {
        // Too many to be worth a delta: stop recording, the next snapshot is full.
        this.mustBeFull = true;
        this.changes = new EntrySet();
      }
    }
    if (this.running !== undefined) this.running.beforeWrite(key, ns, old);
  }

  beforeExpose(ns: Namespace | undefined): void {
    this.mustBeFull = true;
    this.changes = new EntrySet();
    this.running?.finishNow(ns);
  }

  /** Entries written since the last barrier (an upper bound: removed ones count too). */
  get changedCount(): number {
    return this.changed;
  }

  /** Starts this table's part of a snapshot at the barrier (O(1)) and starts recording anew. */
  begin(keys: KeyMapping, full: boolean, barrierTime: number): TableSnapshot {
    if (this.running !== undefined) throw new Error(`table '${this.source.name}': a snapshot is already being written`);
    const pending = this.changes;
    this.changes = new EntrySet();
    this.changed = 0;
    this.limit = this.limitFor(this.source.table.size);
    this.lastKey = NONE;
    this.lastNs = NONE;
    this.mustBeFull = false;
    const s = new TableSnapshot(this.source, keys, full, full ? undefined : pending, barrierTime);
    this.running = s;
    s.whenDone(() => {
      if (this.running === s) this.running = undefined;
    });
    return s;
  }

  /** Stops handing writes to a snapshot that is abandoned. */
  abandon(s: TableSnapshot): void {
    if (this.running === s) this.running = undefined;
  }
}
