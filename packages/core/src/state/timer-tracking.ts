/**
 * Change tracking and copy-on-write snapshots of one timer queue, as table-tracking.ts does for
 * tables. A timer is identified by (timestamp, namespace, key) and is either there or not:
 *
 * - the tracker records, for every timer added or removed (fired or deleted) since the last
 *   barrier, whether it is there now; a delta snapshot takes that record at the barrier (O(1)) and
 *   writes it as it is: nothing the job does afterwards can change it, so deltas need no copying;
 * - a full snapshot walks the queue while the job goes on; the first change of a timer after the
 *   barrier tells what it was at the barrier (a removal: it was there, so it is written; an
 *   addition: it was not), and the walk skips timers changed since the barrier.
 * @internal
 */
import { keyGroupOf } from './key-groups.js';
import { newTimerPart, type TimerPart } from './segment.js';
import type { Namespace } from './state-table.js';
import type { TimerQueue, TimerWatcher } from './timer-queue.js';
import type { KeyMapping } from './table-tracking.js';

/** Values by timer (timestamp, namespace, key). */
export class TimerMap<T> {
  readonly byTimestamp = new Map<number, Map<Namespace, Map<unknown, T>>>();
  private lastTs = Number.NaN;
  private last: Map<Namespace, Map<unknown, T>> | undefined = undefined;

  private bucket(ts: number, create: boolean): Map<Namespace, Map<unknown, T>> | undefined {
    if (ts === this.lastTs) return this.last;
    let b = this.byTimestamp.get(ts);
    if (b === undefined) {
      if (!create) return undefined;
      b = new Map();
      this.byTimestamp.set(ts, b);
    }
    this.lastTs = ts;
    this.last = b;
    return b;
  }

  /** Sets the value of a timer; true if the timer was not there. */
  set(ts: number, ns: Namespace, key: unknown, value: T): boolean {
    const b = this.bucket(ts, true)!;
    let m = b.get(ns);
    if (m === undefined) b.set(ns, (m = new Map()));
    const before = m.size;
    m.set(key, value);
    return m.size !== before;
  }

  has(ts: number, ns: Namespace, key: unknown): boolean {
    const m = this.bucket(ts, false)?.get(ns);
    return m !== undefined && m.has(key);
  }

  get size(): number {
    let n = 0;
    for (const b of this.byTimestamp.values()) for (const m of b.values()) n += m.size;
    return n;
  }
}

const CHECK_EVERY = 256;

/** One timer domain's part of a snapshot being written. */
export class TimerSnapshot {
  readonly parts: Array<TimerPart | undefined>;
  private readonly handled: TimerMap<true> | undefined;
  private done = false;
  private onDone: (() => void) | undefined = undefined;
  // The walk: over the queue's buckets (full) or over the recorded changes (delta).
  private level0: Iterator<[number, ReadonlyMap<Namespace, unknown>]> | undefined;
  private level1: Iterator<[Namespace, unknown]> | undefined = undefined;
  private level2: Iterator<unknown> | undefined = undefined;
  private ts = 0;
  private ns: Namespace = '';

  constructor(
    queue: TimerQueue,
    private readonly keys: KeyMapping,
    readonly full: boolean,
    pending: TimerMap<boolean> | undefined,
  ) {
    this.parts = new Array(keys.maxParallelism);
    this.handled = full ? new TimerMap() : undefined;
    this.level0 = (full ? queue.bucketsView().entries() : pending!.byTimestamp.entries()) as Iterator<[number, ReadonlyMap<Namespace, unknown>]>;
  }

  get isDone(): boolean {
    return this.done;
  }

  whenDone(fn: () => void): void {
    this.onDone = fn;
    if (this.done) fn();
  }

  /** Timer (ts, key, ns) is about to be added (`adding`) or removed. */
  beforeChange(ts: number, key: unknown, ns: Namespace, adding: boolean): void {
    if (!this.full) return; // the delta's record is fixed at the barrier
    const h = this.handled!;
    if (h.has(ts, ns, key)) return;
    h.set(ts, ns, key, true);
    if (!adding) this.emit(ts, key, ns, true);
  }

  step(deadline: number, budget = Number.POSITIVE_INFINITY): boolean {
    if (this.done) return true;
    let n = 0;
    let left = budget;
    for (;;) {
      if (this.level2 === undefined) {
        if (this.level1 === undefined) {
          const b = this.level0!.next();
          if (b.done) return this.finish();
          this.ts = b.value[0];
          this.level1 = b.value[1].entries();
        }
        const m = this.level1.next();
        if (m.done) {
          this.level1 = undefined;
          continue;
        }
        this.ns = m.value[0];
        this.level2 = this.full ? (m.value[1] as ReadonlySet<unknown>).values() : (m.value[1] as Map<unknown, boolean>).entries();
      }
      const e = this.level2.next();
      if (e.done) {
        this.level2 = undefined;
        continue;
      }
      if (this.full) {
        const key = e.value;
        if (!this.handled!.has(this.ts, this.ns, key)) this.emit(this.ts, key, this.ns, true);
      } else {
        const [key, present] = e.value as [unknown, boolean];
        this.emit(this.ts, key, this.ns, present);
      }
      if (--left <= 0) return false;
      if (++n === CHECK_EVERY) {
        n = 0;
        if (performance.now() > deadline) return false;
      }
    }
  }

  private finish(): boolean {
    this.done = true;
    this.level0 = this.level1 = this.level2 = undefined;
    this.onDone?.();
    return true;
  }

  private emit(ts: number, key: unknown, ns: Namespace, present: boolean): void {
    const user = this.keys.userKey(key);
    const kg = keyGroupOf(user, this.keys.maxParallelism);
    let p = this.parts[kg] as (TimerPart & { removedTs?: number[]; removedNs?: Namespace[]; removedKeys?: unknown[] }) | undefined;
    if (p === undefined) this.parts[kg] = p = newTimerPart();
    if (present) {
      p.ts.push(ts);
      p.ns.push(ns);
      p.keys.push(user);
    } else {
      (p.removedTs ??= []).push(ts);
      (p.removedNs ??= []).push(ns);
      (p.removedKeys ??= []).push(user);
    }
  }
}

/** The watcher of one timer queue while the job takes checkpoints (recording stops as for tables). */
export class TimerTracker implements TimerWatcher {
  private changes = new TimerMap<boolean>();
  private changed = 0;
  private limit: number;
  /** Too many timers changed to record: the next snapshot must be full. */
  mustBeFull = false;
  private running: TimerSnapshot | undefined = undefined;

  constructor(
    private readonly queue: TimerQueue,
    private readonly changeLimit: number,
  ) {
    this.limit = this.limitFor(queue.size);
  }

  private limitFor(size: number): number {
    return this.changeLimit === 0 ? 0 : Math.max(64, this.changeLimit * size);
  }

  beforeChange(ts: number, key: unknown, ns: Namespace, adding: boolean): void {
    if (!this.mustBeFull && this.changes.set(ts, ns, key, adding) && ++this.changed > this.limit) {
      this.mustBeFull = true;
      this.changes = new TimerMap();
    }
    if (this.running !== undefined) this.running.beforeChange(ts, key, ns, adding);
  }

  get changedCount(): number {
    return this.changed;
  }

  begin(keys: KeyMapping, full: boolean): TimerSnapshot {
    const pending = this.changes;
    this.changes = new TimerMap();
    this.changed = 0;
    this.limit = this.limitFor(this.queue.size);
    this.mustBeFull = false;
    const s = new TimerSnapshot(this.queue, keys, full, full ? undefined : pending);
    if (full) {
      this.running = s;
      s.whenDone(() => {
        if (this.running === s) this.running = undefined;
      });
    }
    return s;
  }

  abandon(s: TimerSnapshot): void {
    if (this.running === s) this.running = undefined;
  }
}
