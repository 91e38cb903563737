/**
 * One named piece of keyed state: values by (namespace, key).
 *
 * Layout: `Map<namespace, Map<key, value>>`. Windows use their start as namespace and a window
 * operator touches the same namespace for long runs of elements, so the last namespace map is
 * cached and a lookup costs one hash probe. Namespaces without entries are removed, so the number
 * of live (key, namespace) pairs is exactly the number of entries.
 *
 * The table is written to checkpoints by {@link StateTable.entries}; values are captured with
 * v8 serialisation at the barrier, so operators may keep mutable objects here.
 */

/** A namespace: a window id (its start) or {@link VOID_NAMESPACE} for plain keyed state. */
export type Namespace = number | string;

/** The namespace of keyed state that is not scoped to a window. */
export const VOID_NAMESPACE: Namespace = '';

const NO_NAMESPACE = Symbol('none');

/** @internal */
export class StateTable<V> {
  private readonly byNamespace = new Map<Namespace, Map<unknown, V>>();
  private cachedNs: Namespace | typeof NO_NAMESPACE = NO_NAMESPACE;
  private cachedMap: Map<unknown, V> | undefined = undefined;
  private count = 0;

  constructor(readonly name: string) {}

  get(key: unknown, ns: Namespace): V | undefined {
    const m = ns === this.cachedNs ? this.cachedMap : this.lookup(ns);
    return m === undefined ? undefined : m.get(key);
  }

  put(key: unknown, ns: Namespace, value: V): void {
    let m = ns === this.cachedNs ? this.cachedMap : this.lookup(ns);
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
   * callback: the backend keeps a running snapshot consistent and tracks changed key groups through
   * it (docs/architecture.md, "State tables"). Today it is `get`; copy-on-write snapshots build on it.
   */
  update(key: unknown, ns: Namespace): V | undefined {
    return this.get(key, ns);
  }

  remove(key: unknown, ns: Namespace): void {
    const m = ns === this.cachedNs ? this.cachedMap : this.lookup(ns);
    if (m === undefined || !m.delete(key)) return;
    this.count--;
    if (m.size === 0) {
      this.byNamespace.delete(ns);
      if (this.cachedNs === ns) {
        this.cachedNs = NO_NAMESPACE;
        this.cachedMap = undefined;
      }
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

  /** The entries of one namespace (a live view: deleting while iterating is allowed). */
  namespaceEntries(ns: Namespace): Map<unknown, V> | undefined {
    return this.byNamespace.get(ns);
  }

  /** Every entry, namespace by namespace. */
  *entries(): IterableIterator<[Namespace, unknown, V]> {
    for (const [ns, m] of this.byNamespace) for (const [k, v] of m) yield [ns, k, v];
  }

  /** Calls `fn` for every entry without allocating a tuple per entry. */
  forEach(fn: (ns: Namespace, key: unknown, value: V) => void): void {
    for (const [ns, m] of this.byNamespace) for (const [k, v] of m) fn(ns, k, v);
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
