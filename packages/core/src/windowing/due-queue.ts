/**
 * A min-heap of (time, key) pairs: when each key is next due. The session operator keeps its
 * timers here rather than in the backend's timer queue, which buckets timers by timestamp and
 * namespace (a map and a set per distinct time, and session ends are nearly all distinct). It is
 * a cache of what the session table says (every key's earliest due session), rebuilt from the
 * table on restore, so it is not checkpointed. Entries may be stale (a session moved on); the
 * operator checks what is due when one comes up.
 *
 * Example: push(5999, 'a'), push(2999, 'b') -> peek() 2999; advance(4000, f) calls f('b', 2999).
 * @internal
 */
export class DueQueue {
  private times: number[] = [];
  private keys: unknown[] = [];
  /** The earliest time (+Infinity when empty), as a field so that the per-watermark check is a read. */
  next = Number.POSITIVE_INFINITY;

  get size(): number {
    return this.times.length;
  }

  push(time: number, key: unknown): void {
    const t = this.times;
    const k = this.keys;
    let i = t.length;
    t.push(time);
    k.push(key);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = t[parent]!;
      if (pt <= time) break;
      t[i] = pt;
      k[i] = k[parent];
      i = parent;
    }
    t[i] = time;
    k[i] = key;
    if (time < this.next) this.next = time;
  }

  /** Pops every entry with time <= `upTo`, earliest first, calling `fn` (which may push more). */
  advance(upTo: number, fn: (key: unknown, time: number) => void): void {
    const t = this.times;
    while (t.length > 0 && t[0]! <= upTo) {
      const time = t[0]!;
      const key = this.keys[0];
      this.popTop();
      fn(key, time);
    }
    this.next = t.length > 0 ? t[0]! : Number.POSITIVE_INFINITY;
  }

  /** The latest time in the queue (-Infinity when empty). */
  maxTime(): number {
    let max = Number.NEGATIVE_INFINITY;
    for (const x of this.times) if (x > max) max = x;
    return max;
  }

  clear(): void {
    this.times = [];
    this.keys = [];
    this.next = Number.POSITIVE_INFINITY;
  }

  private popTop(): void {
    const t = this.times;
    const k = this.keys;
    const lastT = t.pop()!;
    const lastK = k.pop();
    const n = t.length;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && t[r]! < t[l]! ? r : l;
      if (t[c]! >= lastT) break;
      t[i] = t[c]!;
      k[i] = k[c];
      i = c;
    }
    t[i] = lastT;
    k[i] = lastK;
  }
}
