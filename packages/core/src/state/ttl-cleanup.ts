/**
 * Incremental and background cleanup of one state table with a time-to-live (state-ttl.ts): a
 * cursor that goes round the table a few entries at a time, removing expired values (and the
 * expired elements of lists and maps) through the table's own writes, so checkpoints see them as
 * removals. Incremental cleanup advances it per access of the state (and per record, if asked);
 * background cleanup while the job is idle.
 * @internal
 */
import type { Namespace, StateTable } from './state-table.js';
import { isExpired, type StateTtlConfig, type TtlValue } from './state-ttl.js';

/** A resumable walk over a table's entries that starts over when it reaches the end. */
class Cursor {
  private outer: Iterator<[Namespace, ReadonlyMap<unknown, unknown>]> | undefined = undefined;
  private inner: Iterator<[unknown, unknown]> | undefined = undefined;
  private ns: Namespace = '';

  constructor(private readonly table: StateTable<unknown>) {}

  /**
   * Hands up to `entries` entries to `visit` (or until `deadline`); true when it reached the end
   * of the table (the next call starts over).
   */
  run(entries: number, deadline: number, visit: (key: unknown, ns: Namespace, value: unknown) => void): boolean {
    let n = 0;
    while (n < entries) {
      if (this.inner === undefined) {
        this.outer ??= this.table.namespaces().entries();
        const next = this.outer.next();
        if (next.done) {
          this.outer = undefined;
          return true;
        }
        this.ns = next.value[0];
        this.inner = next.value[1].entries();
      }
      const e = this.inner.next();
      if (e.done) {
        this.inner = undefined;
        continue;
      }
      visit(e.value[0], this.ns, e.value[1]);
      if ((++n & 63) === 0 && performance.now() > deadline) return false;
    }
    return false;
  }
}

export class TtlCleanup {
  private readonly incremental: Cursor;
  private readonly background: Cursor;
  private now = 0;
  private readonly visit = (key: unknown, ns: Namespace, value: unknown): void => this.clean(key, ns, value, this.now);
  /** Expired values and elements removed so far (metrics). */
  removed = 0;

  constructor(
    private readonly table: StateTable<unknown>,
    /** 'value' | 'list' | 'map' | 'reducing' | 'aggregating'. */
    private readonly kind: string,
    readonly config: StateTtlConfig,
    private readonly clock: { now(): number },
  ) {
    this.incremental = new Cursor(table);
    this.background = new Cursor(table);
  }

  /** One access of the state (or one record): its share of incremental cleanup. */
  onAccess(): void {
    const inc = this.config.incrementalCleanup;
    if (inc === undefined) return;
    this.now = this.clock.now();
    this.incremental.run(inc.cleanupSize, Number.POSITIVE_INFINITY, this.visit);
  }

  /** Background cleanup until the end of the table (true) or `deadline` (false; the next call resumes). */
  sweep(deadline: number): boolean {
    this.now = this.clock.now();
    return this.background.run(Number.POSITIVE_INFINITY, deadline, this.visit);
  }

  private expired(t: number, now: number): boolean {
    return isExpired(t, this.config.ttlMs, now);
  }

  private clean(key: unknown, ns: Namespace, value: unknown, now: number): void {
    if (this.kind === 'list') {
      const list = value as TtlValue<unknown>[];
      if (!list.some((x) => this.expired(x.t, now))) return;
      const keep = list.filter((x) => !this.expired(x.t, now));
      this.removed += list.length - keep.length;
      if (keep.length === 0) this.table.remove(key, ns);
      else this.table.put(key, ns, keep);
    } else if (this.kind === 'map') {
      const m = value as Map<unknown, TtlValue<unknown>>;
      let any = false;
      for (const tv of m.values()) if (this.expired(tv.t, now)) any = true;
      if (!any) return;
      const live = this.table.update(key, ns) as Map<unknown, TtlValue<unknown>>;
      for (const [k, tv] of live) {
        if (!this.expired(tv.t, now)) continue;
        live.delete(k);
        this.removed++;
      }
      if (live.size === 0) this.table.remove(key, ns);
    } else if (this.expired((value as TtlValue<unknown>).t, now)) {
      this.table.remove(key, ns);
      this.removed++;
    }
  }

  /** A copy of `value` without what expired at `now`, undefined when nothing is left (snapshots). */
  withoutExpired(value: unknown, now: number): unknown {
    if (this.kind === 'list') {
      const keep = (value as TtlValue<unknown>[]).filter((x) => !this.expired(x.t, now));
      return keep.length === 0 ? undefined : keep;
    }
    if (this.kind === 'map') {
      const keep = new Map<unknown, TtlValue<unknown>>();
      for (const [k, tv] of value as Map<unknown, TtlValue<unknown>>) if (!this.expired(tv.t, now)) keep.set(k, tv);
      return keep.size === 0 ? undefined : keep;
    }
    return this.expired((value as TtlValue<unknown>).t, now) ? undefined : value;
  }
}
