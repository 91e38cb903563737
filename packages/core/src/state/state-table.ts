/**
 * One named piece of keyed state: values by (namespace, key).
 *
 * Layout: `Map<namespace, Map<key, value>>`. Windows use their start as namespace and a window
 * operator touches the same namespace for long runs of elements, so the last namespace map is
 * cached and a lookup costs one hash probe. Namespaces without entries are removed, so the number
 * of live (key, namespace) pairs is exactly the number of entries.
 *
 * Checkpoints: when the job takes checkpoints, the backend gives the table a {@link TableWatcher}
 * that sees every write before it happens (table-tracking.ts): it records the entries changed
 * since the last checkpoint (incremental checkpoints) and, while a snapshot is being written,
 * detaches the old value of an entry the snapshot still needs (copy-on-write). So every in-place
 * mutation of a stored object must go through {@link StateTable.update} (docs/architecture.md,
 * "State tables"). A table whose owner does not promise that (`mutatesThroughUpdate: false`, the
 * default, e.g. user state, whose values user functions may change in place) treats every read
 * that hands out an object as a possible write, as Flink's copy-on-write state map does.
 */

/** A namespace: a window id (its start) or {@link VOID_NAMESPACE} for plain keyed state. */
export type Namespace = number | string;

/** The namespace of keyed state that is not scoped to a window. */
export const VOID_NAMESPACE: Namespace = '';

const NO_NAMESPACE = Symbol('none');

/** @internal What a table tells the backend while checkpoints are taken (table-tracking.ts). */
export interface TableWatcher {
  /** Before a write of (key, ns) whose stored value is `old` (undefined: none), or a read that may be one. */
  beforeWrite(key: unknown, ns: Namespace, old: unknown): void;
  /**
   * Before a view of the values of namespace `ns` (undefined: of every namespace) is handed out
   * by a table whose values may be mutated through it (`mutatesThroughUpdate: false`).
   */
  beforeExpose(ns: Namespace | undefined): void;
}

/** How a table's owner uses its values. */
export interface TableOptions {
  /**
   * The owner mutates a stored value in place only after {@link StateTable.update} for that entry
   * (in the same element or timer callback), never through `get` or an iteration. Then reads cost
   * nothing for checkpoints; without it, reads of objects count as writes.
   */
  readonly mutatesThroughUpdate?: boolean;
}

/** @internal */
export class StateTable<V> {
  private readonly byNamespace = new Map<Namespace, Map<unknown, V>>();
  private cachedNs: Namespace | typeof NO_NAMESPACE = NO_NAMESPACE;
  private cachedMap: Map<unknown, V> | undefined = undefined;
  private count = 0;
  /** Set by the backend while the job takes checkpoints. */
  watcher: TableWatcher | undefined = undefined;
  readonly mutatesThroughUpdate: boolean;

  constructor(
    readonly name: string,
    options: TableOptions = {},
  ) {
    this.mutatesThroughUpdate = options.mutatesThroughUpdate === true;
  }

  get(key: unknown, ns: Namespace): V | undefined {
    const m = ns === this.cachedNs ? this.cachedMap : this.lookup(ns);
    const v = m === undefined ? undefined : m.get(key);
    // The caller may mutate an object it reads here unless the owner promised otherwise.
    if (this.watcher !== undefined && !this.mutatesThroughUpdate && typeof v === 'object' && v !== null) this.watcher.beforeWrite(key, ns, v);
    return v;
  }

  /** The stored value without telling the watcher (for the backend and the watcher itself). */
  peek(key: unknown, ns: Namespace): V | undefined {
    const m = ns === this.cachedNs ? this.cachedMap : this.lookup(ns);
    return m === undefined ? undefined : m.get(key);
  }

  put(key: unknown, ns: Namespace, value: V): void {
    let m = ns === this.cachedNs ? this.cachedMap : this.lookup(ns);
    if (this.watcher !== undefined) this.watcher.beforeWrite(key, ns, m === undefined ? undefined : m.get(key));
    if (m === undefined) {
      m = new Map();
      this.byNamespace.set(ns, m);
      this.cachedNs = ns;
      this.cachedMap = m;
    }
    const before = m.size;
    m.set(key, value);
    this.count += m.size - before;
  }

  /**
   * The stored value, for in-place mutation (an accumulator, a pane list, a window slot). Every
   * in-place mutation of a stored object goes through this call, within the same element or timer
   * callback: a snapshot being written gets the old value first (copy-on-write), and the entry
   * counts as changed for the next incremental checkpoint (docs/architecture.md, "State tables").
   */
  update(key: unknown, ns: Namespace): V | undefined {
    const m = ns === this.cachedNs ? this.cachedMap : this.lookup(ns);
    const v = m === undefined ? undefined : m.get(key);
    if (v !== undefined && this.watcher !== undefined) this.watcher.beforeWrite(key, ns, v);
    return v;
  }

  remove(key: unknown, ns: Namespace): void {
    const m = ns === this.cachedNs ? this.cachedMap : this.lookup(ns);
    if (m === undefined) return;
    if (this.watcher !== undefined) {
      const old = m.get(key);
      if (old === undefined && !m.has(key)) return;
      this.watcher.beforeWrite(key, ns, old);
    }
    if (!m.delete(key)) return;
    this.count--;
    if (m.size === 0) {
      this.byNamespace.delete(ns);
      if (this.cachedNs === ns) {
        this.cachedNs = NO_NAMESPACE;
        this.cachedMap = undefined;
      }
    }
  }

  /**
   * Removes every entry of `ns` at once (a window that is done), handing each value to `each`
   * after the watcher saw its removal. The namespace's map is dropped whole: deleting its keys
   * one by one makes V8 shrink and rehash the map again and again as it empties (a fifth of the
   * bytes a keyed tumbling window allocated per element).
   */
  removeNamespace(ns: Namespace, each?: (value: V) => void): void {
    const m = this.byNamespace.get(ns);
    if (m === undefined) return;
    const watcher = this.watcher;
    if (watcher !== undefined || each !== undefined) {
      for (const [key, value] of m) {
        watcher?.beforeWrite(key, ns, value);
        each?.(value);
      }
    }
    this.byNamespace.delete(ns);
    this.count -= m.size;
    if (this.cachedNs === ns) {
      this.cachedNs = NO_NAMESPACE;
      this.cachedMap = undefined;
    }
  }

  /** Number of (namespace, key) entries. */
  get size(): number {
    return this.count;
  }

  /** Keys that have a value in `ns`. */
  keysIn(ns: Namespace): IterableIterator<unknown> {
    return (this.byNamespace.get(ns) ?? new Map<unknown, V>()).keys();
  }

  /**
   * The entries of one namespace (a live view: removing through {@link remove} while iterating is
   * allowed). Read-only: to mutate a value, call {@link update} for its entry first.
   */
  namespaceEntries(ns: Namespace): ReadonlyMap<unknown, V> | undefined {
    if (this.watcher !== undefined && !this.mutatesThroughUpdate) this.watcher.beforeExpose(ns);
    return this.byNamespace.get(ns);
  }

  /** Every entry, namespace by namespace (read-only, as {@link namespaceEntries}). */
  *entries(): IterableIterator<[Namespace, unknown, V]> {
    if (this.watcher !== undefined && !this.mutatesThroughUpdate) this.watcher.beforeExpose(undefined);
    for (const [ns, m] of this.byNamespace) for (const [k, v] of m) yield [ns, k, v];
  }

  /** Calls `fn` for every entry without allocating a tuple per entry (read-only, as {@link namespaceEntries}). */
  forEach(fn: (ns: Namespace, key: unknown, value: V) => void): void {
    if (this.watcher !== undefined && !this.mutatesThroughUpdate) this.watcher.beforeExpose(undefined);
    for (const [ns, m] of this.byNamespace) for (const [k, v] of m) fn(ns, k, v);
  }

  /** @internal The namespace maps themselves, for snapshots (no watcher is told). */
  namespaces(): ReadonlyMap<Namespace, ReadonlyMap<unknown, V>> {
    return this.byNamespace;
  }

  /** @internal Writes without telling the watcher (restore). */
  putQuietly(key: unknown, ns: Namespace, value: V): void {
    const w = this.watcher;
    this.watcher = undefined;
    try {
      this.put(key, ns, value);
    } finally {
      this.watcher = w;
    }
  }

  /** @internal Removes without telling the watcher (restore). */
  removeQuietly(key: unknown, ns: Namespace): void {
    const w = this.watcher;
    this.watcher = undefined;
    try {
      this.remove(key, ns);
    } finally {
      this.watcher = w;
    }
  }

  clear(): void {
    this.byNamespace.clear();
    this.cachedNs = NO_NAMESPACE;
    this.cachedMap = undefined;
    this.count = 0;
  }

  private lookup(ns: Namespace): Map<unknown, V> | undefined {
    const m = this.byNamespace.get(ns);
    if (m !== undefined) {
      this.cachedNs = ns;
      this.cachedMap = m;
    }
    return m;
  }
}
