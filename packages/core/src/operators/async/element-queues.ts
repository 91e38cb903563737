/**
 * The queues of the async operator (Flink's `OrderedStreamElementQueue` and
 * `UnorderedStreamElementQueue`): they hold every element in flight and every watermark between
 * them, and say which may be emitted.
 *
 * Ordered: the head goes out once it is done, so results leave in input order. For inputs a, b, c
 * completing in the order c, a, b: nothing after c, a after a (b still blocks c), then b and c.
 *
 * Unordered: watermarks cut the queue into segments. Results of the first segment leave as they
 * complete; a watermark leaves once every element before it has left; elements after a watermark
 * wait for it. So no result ever crosses a watermark. For a, b, W, c completing c, b, a: b, a,
 * then W, then c.
 * @internal
 */
import { RingQueue } from './ring-queue.js';

/** Where an element is: a call in flight, waiting for a delayed retry, or done (may be emitted). */
export const EntryState = { CALLING: 0, RETRY_WAIT: 1, DONE: 2 } as const;
export type EntryState = (typeof EntryState)[keyof typeof EntryState];

/** What a done element emits: nothing, its result, or a failure to the side output. */
export const Outcome = { NOTHING: 0, RESULT: 1, FAILURE: 2 } as const;
export type Outcome = (typeof Outcome)[keyof typeof Outcome];

/** An element (or a watermark) in the operator. One object per element, reused for its retries. */
export class AsyncEntry {
  state: EntryState = EntryState.CALLING;
  outcome: Outcome = Outcome.NOTHING;
  /** The result, or the failure for the side output. */
  result: unknown = undefined;
  /** Calls made (the first and the retries). */
  attempts = 0;
  /** Incremented per call; a settlement of an older call is ignored. */
  call = 0;
  deadline = Number.POSITIVE_INFINITY;
  retryAt = Number.POSITIVE_INFINITY;
  /** The unordered queue's segment of this entry. */
  segment: Segment | undefined = undefined;
  /** Neighbours in the operator's list of timeouts (deadline order). */
  prevTimeout: AsyncEntry | undefined = undefined;
  nextTimeout: AsyncEntry | undefined = undefined;
  inTimeouts = false;
  /** Left the operator (a watermark that was emitted may not be merged with a later one). */
  emitted = false;
  constructor(
    readonly value: unknown,
    /** The element's timestamp, or the watermark (raised in place when watermarks merge). */
    public timestamp: number,
    readonly isWatermark: boolean,
  ) {
    if (isWatermark) this.state = EntryState.DONE;
  }
}

/** What both queues offer the operator. */
export interface ElementQueue {
  readonly size: number;
  push(entry: AsyncEntry): void;
  /** The entry became DONE. */
  completed(entry: AsyncEntry): void;
  /** Hands every entry that may leave now to `emit`, in order, and removes it. Returns how many. */
  drain(emit: (entry: AsyncEntry) => void): number;
  /** Every entry still held, in an order that keeps watermarks between the right elements. */
  entries(): AsyncEntry[];
  clear(): void;
}

export class OrderedQueue implements ElementQueue {
  private readonly queue = new RingQueue<AsyncEntry>();
  get size(): number {
    return this.queue.size;
  }
  push(entry: AsyncEntry): void {
    this.queue.push(entry);
  }
  completed(): void {}
  drain(emit: (entry: AsyncEntry) => void): number {
    let n = 0;
    for (let head = this.queue.peek(); head !== undefined && head.state === EntryState.DONE; head = this.queue.peek()) {
      this.queue.shift();
      n++;
      emit(head);
    }
    return n;
  }
  entries(): AsyncEntry[] {
    return [...this.queue];
  }
  clear(): void {
    this.queue.clear();
  }
}

/** Elements between two watermarks, and the watermark that closes them. */
class Segment {
  /** Elements whose calls are not done, in arrival order. */
  readonly pending = new Set<AsyncEntry>();
  /** Done elements, in completion order, not yet emitted. */
  readonly done = new RingQueue<AsyncEntry>();
  watermark: AsyncEntry | undefined = undefined;
}

export class UnorderedQueue implements ElementQueue {
  private readonly segments = new RingQueue<Segment>();
  private last: Segment | undefined = undefined;
  private count = 0;
  get size(): number {
    return this.count;
  }
  push(entry: AsyncEntry): void {
    this.count++;
    let seg = this.last;
    if (seg === undefined || seg.watermark !== undefined) {
      seg = new Segment();
      this.segments.push(seg);
      this.last = seg;
    }
    if (entry.isWatermark) seg.watermark = entry;
    else {
      entry.segment = seg;
      if (entry.state === EntryState.DONE) seg.done.push(entry);
      else seg.pending.add(entry);
    }
  }
  completed(entry: AsyncEntry): void {
    const seg = entry.segment!;
    if (seg.pending.delete(entry)) seg.done.push(entry);
  }
  drain(emit: (entry: AsyncEntry) => void): number {
    let n = 0;
    for (let seg = this.segments.peek(); seg !== undefined; seg = this.segments.peek()) {
      for (let e = seg.done.shift(); e !== undefined; e = seg.done.shift()) {
        e.segment = undefined;
        this.count--;
        n++;
        emit(e);
      }
      if (seg.pending.size > 0 || seg.watermark === undefined) break;
      this.segments.shift();
      if (this.last === seg) this.last = undefined;
      this.count--;
      n++;
      emit(seg.watermark);
    }
    return n;
  }
  entries(): AsyncEntry[] {
    const out: AsyncEntry[] = [];
    for (const seg of this.segments) {
      out.push(...seg.done, ...seg.pending);
      if (seg.watermark !== undefined) out.push(seg.watermark);
    }
    return out;
  }
  clear(): void {
    this.segments.clear();
    this.last = undefined;
    this.count = 0;
  }
}
