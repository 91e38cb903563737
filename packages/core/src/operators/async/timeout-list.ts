/**
 * The pending timeouts of the async operator, earliest first. Every element gets the same
 * timeout from the time it arrives, so deadlines arrive in order and a list suffices: O(1) to
 * add, and O(1) to cancel when the element completes, so a completed element is not kept alive
 * until its deadline (Flink cancels the timer too). A clock that jumps back only delays the
 * timeouts queued behind an earlier deadline.
 * @internal
 */
import type { AsyncEntry } from './element-queues.js';

export class TimeoutList {
  private head: AsyncEntry | undefined = undefined;
  private tail: AsyncEntry | undefined = undefined;

  /** The earliest deadline, or +Infinity. */
  get next(): number {
    return this.head === undefined ? Number.POSITIVE_INFINITY : this.head.deadline;
  }

  /** The entry with the earliest deadline. */
  first(): AsyncEntry | undefined {
    return this.head;
  }

  add(e: AsyncEntry): void {
    e.inTimeouts = true;
    e.prevTimeout = this.tail;
    e.nextTimeout = undefined;
    if (this.tail === undefined) this.head = e;
    else this.tail.nextTimeout = e;
    this.tail = e;
  }

  remove(e: AsyncEntry): void {
    if (!e.inTimeouts) return;
    e.inTimeouts = false;
    if (e.prevTimeout === undefined) this.head = e.nextTimeout;
    else e.prevTimeout.nextTimeout = e.nextTimeout;
    if (e.nextTimeout === undefined) this.tail = e.prevTimeout;
    else e.nextTimeout.prevTimeout = e.prevTimeout;
    e.prevTimeout = undefined;
    e.nextTimeout = undefined;
  }

  clear(): void {
    this.head = undefined;
    this.tail = undefined;
  }
}
