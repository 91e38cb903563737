/**
 * Timers of one time domain (event or processing time) of one keyed operator, unique per
 * (timestamp, namespace, key) as in Flink.
 *
 * Layout: `Map<timestamp, Map<namespace, Set<key>>>` plus a min-heap of the timestamps. All keys
 * of a window share one timestamp (the window's end - 1), so a whole window fires from one bucket,
 * and the last bucket is cached so that registering the timer of the element's own window costs
 * one probe. Timers fire in ascending timestamp order; within a timestamp in registration order.
 * Timers registered while firing, at a timestamp already due, fire in the same advance, as in
 * Flink's `InternalTimerServiceImpl.advanceWatermark`.
 * @internal
 */
import { NumberHeap } from './number-heap.js';
import type { Namespace } from './state-table.js';

export type TimerCallback = (key: unknown, ns: Namespace, timestamp: number) => void;

/** What a timer queue tells the backend while the job takes checkpoints (timer-tracking.ts). */
export interface TimerWatcher {
  /** Before timer (timestamp, key, ns) is added (`adding`) or removed (fired or deleted). */
  beforeChange(timestamp: number, key: unknown, ns: Namespace, adding: boolean): void;
}

type Bucket = Map<Namespace, Set<unknown>>;

export class TimerQueue {
  private readonly buckets = new Map<number, Bucket>();
  private readonly heap = new NumberHeap();
  private cachedTs = Number.NaN;
  private cachedBucket: Bucket | undefined = undefined;
  private count = 0;
  /**
   * A lower bound of the earliest pending timestamp (+Infinity when empty), kept as a field so
   * that the per-element watermark check is a field read: returning a double from a call that is
   * not inlined allocates, and epoch-millisecond timestamps are doubles.
   */
  next = Number.POSITIVE_INFINITY;
  /** The bucket being fired, so deletions of its not-yet-fired timers still take effect. */
  private firingTs = Number.NaN;
  private firingBucket: Bucket | undefined = undefined;
  /** Set by the backend while the job takes checkpoints. */
  watcher: TimerWatcher | undefined = undefined;

  get size(): number {
    return this.count;
  }

  /** The earliest pending timestamp, or +Infinity when there is none... or stale entries only. */
  peek(): number {
    while (this.heap.size > 0) {
      const ts = this.heap.peek();
      if (this.buckets.has(ts)) return ts;
      this.heap.pop();
    }
    return Number.POSITIVE_INFINITY;
  }

  add(timestamp: number, key: unknown, ns: Namespace): void {
    let bucket = timestamp === this.cachedTs ? this.cachedBucket : this.buckets.get(timestamp);
    if (bucket === undefined) {
      bucket = new Map();
      this.buckets.set(timestamp, bucket);
      this.heap.push(timestamp);
      if (timestamp < this.next) this.next = timestamp;
    }
    this.cachedTs = timestamp;
    this.cachedBucket = bucket;
    let keys = bucket.get(ns);
    if (keys === undefined) {
      keys = new Set();
      bucket.set(ns, keys);
    }
    if (this.watcher === undefined) {
      const before = keys.size;
      keys.add(key);
      this.count += keys.size - before;
      return;
    }
    if (keys.has(key)) return;
    this.watcher.beforeChange(timestamp, key, ns, true);
    keys.add(key);
    this.count++;
  }

  delete(timestamp: number, key: unknown, ns: Namespace): void {
    if (timestamp === this.firingTs) {
      const keys = this.firingBucket!.get(ns);
      if (keys === undefined || !keys.has(key)) return;
      if (this.watcher !== undefined) this.watcher.beforeChange(timestamp, key, ns, false);
      keys.delete(key);
      this.count--;
      return;
    }
    const bucket = this.buckets.get(timestamp);
    const keys = bucket?.get(ns);
    if (!bucket || !keys) return;
    if (this.watcher !== undefined) {
      if (!keys.has(key)) return;
      this.watcher.beforeChange(timestamp, key, ns, false);
    }
    if (!keys.delete(key)) return;
    this.count--;
    if (keys.size === 0) bucket.delete(ns);
    if (bucket.size === 0) this.dropBucket(timestamp);
  }

  /** Fires (and removes) every timer with timestamp <= `upTo`. */
  advance(upTo: number, onTimer: TimerCallback): void {
    for (;;) {
      const ts = this.peek();
      if (ts > upTo) break;
      const bucket = this.buckets.get(ts);
      if (bucket === undefined) break; // empty queue (peek gave +Infinity)
      // Detach the bucket while it fires: timers registered at `ts` meanwhile go to a new bucket
      // and fire in the next round of this loop; deletions of not-yet-fired ones still apply.
      this.dropBucket(ts);
      this.firingTs = ts;
      this.firingBucket = bucket;
      try {
        for (const [ns, keys] of bucket) {
          for (const key of keys) {
            if (this.watcher !== undefined) this.watcher.beforeChange(ts, key, ns, false);
            keys.delete(key);
            this.count--;
            onTimer(key, ns, ts);
          }
        }
      } finally {
        this.firingTs = Number.NaN;
        this.firingBucket = undefined;
      }
    }
    this.next = this.peek();
  }

  /** The latest pending timestamp, or -Infinity when there is none. */
  maxTimestamp(): number {
    let max = Number.NEGATIVE_INFINITY;
    for (const ts of this.buckets.keys()) if (ts > max) max = ts;
    return max;
  }

  /** Every pending timer, for snapshots. */
  forEach(fn: (timestamp: number, key: unknown, ns: Namespace) => void): void {
    for (const [ts, bucket] of this.buckets) for (const [ns, keys] of bucket) for (const k of keys) fn(ts, k, ns);
  }

  /** @internal The buckets themselves, for snapshots that iterate while the job runs. */
  bucketsView(): ReadonlyMap<number, ReadonlyMap<Namespace, ReadonlySet<unknown>>> {
    return this.buckets;
  }

  /** @internal Adds without telling the watcher (restore). */
  addQuietly(timestamp: number, key: unknown, ns: Namespace): void {
    const w = this.watcher;
    this.watcher = undefined;
    try {
      this.add(timestamp, key, ns);
    } finally {
      this.watcher = w;
    }
  }

  /** @internal Deletes without telling the watcher (restore). */
  deleteQuietly(timestamp: number, key: unknown, ns: Namespace): void {
    const w = this.watcher;
    this.watcher = undefined;
    try {
      this.delete(timestamp, key, ns);
    } finally {
      this.watcher = w;
    }
  }

  clear(): void {
    this.next = Number.POSITIVE_INFINITY;
    this.buckets.clear();
    this.heap.clear();
    this.cachedTs = Number.NaN;
    this.cachedBucket = undefined;
    this.count = 0;
  }

  private dropBucket(ts: number): void {
    this.buckets.delete(ts);
    if (this.cachedTs === ts) {
      this.cachedTs = Number.NaN;
      this.cachedBucket = undefined;
    }
  }
}
