/**
 * A set of (namespace, key) pairs of one state table, grouped by namespace: a table has one
 * namespace (plain keyed state) or a few live ones (one per window), so the set of the last
 * namespace touched is cached and an operation costs one hash probe, as in {@link StateTable}.
 *
 * Used for the entries changed since the last checkpoint (incremental checkpoints) and, while a
 * snapshot is written, for the entries it still needs or has already handled (copy-on-write).
 * @internal
 */
import type { Namespace } from './state-table.js';

const NONE = Symbol('none');

export class EntrySet {
  readonly byNamespace = new Map<Namespace, Set<unknown>>();
  private lastNs: Namespace | typeof NONE = NONE;
  private last: Set<unknown> | undefined = undefined;

  /** Adds the pair; true if it was not there. */
  add(key: unknown, ns: Namespace): boolean {
    let s = ns === this.lastNs ? this.last : this.byNamespace.get(ns);
    if (s === undefined) {
      s = new Set();
      this.byNamespace.set(ns, s);
    }
    this.lastNs = ns;
    this.last = s;
    const before = s.size;
    s.add(key);
    return s.size !== before;
  }

  has(key: unknown, ns: Namespace): boolean {
    const s = ns === this.lastNs ? this.last : this.byNamespace.get(ns);
    return s !== undefined && s.has(key);
  }

  /** Removes the pair; true if it was there. */
  delete(key: unknown, ns: Namespace): boolean {
    const s = ns === this.lastNs ? this.last : this.byNamespace.get(ns);
    return s !== undefined && s.delete(key);
  }

  /** Number of pairs (sums the namespaces). */
  get size(): number {
    let n = 0;
    for (const s of this.byNamespace.values()) n += s.size;
    return n;
  }

  get isEmpty(): boolean {
    for (const s of this.byNamespace.values()) if (s.size > 0) return false;
    return true;
  }
}
