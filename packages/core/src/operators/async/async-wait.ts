/**
 * `mapAsync` (Flink's `AsyncWaitOperator`): calls a Promise-returning function for each element,
 * holds up to `capacity` elements (and the watermarks between them) in flight, and emits each
 * result with its element's timestamp, in input order or as results complete (never across a
 * watermark; see element-queues.ts).
 *
 * Capacity counts elements, not watermarks (Flink's queue counts both): a source read one record
 * at a time sends a watermark after each, which would otherwise take half the slots. Watermarks
 * stay bounded: consecutive ones with no element between them are held as one (the later).
 *
 * Promise callbacks only record a result and ask the runner for a turn (`requestAsyncWork`);
 * results are emitted in `processAsyncWork`, inside the runner's loop, so a checkpoint taken
 * between two polls sees every element either emitted or still held here. The held elements are
 * the operator's checkpointed state and are called again after a restore (the service may see a
 * call twice; the output is exactly-once).
 *
 * Backpressure: `capacityLeft()` is 0 while `capacity` elements are held, and the runner then polls
 * no source.
 * An element that arrives anyway (a flatMap upstream fans one polled record out) waits in
 * `overflow`, uncalled, until a slot frees: bounded by one poll's output.
 *
 * Timeouts and delayed retries are processing-time deadlines on the job's clock: a timeout covers
 * the first call and every retry (Flink's rule). At the end of input the operator waits for what
 * it holds, retries included, before it ends. (Flink stops retrying at the end of input, because
 * its timers stop there; weir's keep running until the operator is done, so the last elements of
 * a bounded input are retried like the others.)
 */
import { AsyncFunctionError, AsyncTimeoutError } from '../../errors.js';
import type { AsyncFailure, AsyncWaitNodeSpec } from '../../contract/async-function.js';
import { AbstractOperator } from '../../contract/abstract-operator.js';
import type { OperatorContext, OperatorSnapshot, RestoredState } from '../../contract/operator.js';
import { isThenable } from '../../contract/refuse-promise.js';
import { StreamRecord } from '../../contract/stream-record.js';
import { DeadlineHeap } from './deadline-heap.js';
import { AsyncEntry, type ElementQueue, EntryState, OrderedQueue, Outcome, UnorderedQueue } from './element-queues.js';
import { RingQueue } from './ring-queue.js';
import { TimeoutList } from './timeout-list.js';

/** Checkpointed form of a held element or watermark. */
type HeldElement = { readonly v: unknown; readonly t: number } | { readonly w: number };

export class AsyncWaitOperator extends AbstractOperator<unknown, unknown> {
  private readonly queue: ElementQueue;
  /** Arrived while the queue was full; not called yet. */
  private readonly overflow = new RingQueue<AsyncEntry>();
  private readonly timeouts = new TimeoutList();
  /** Delayed retries; stale entries (the element timed out meanwhile) are skipped when popped. */
  private readonly retries = new DeadlineHeap<AsyncEntry>();
  private readonly failureRecord = new StreamRecord<unknown>();
  /** Elements (not watermarks) in the queue, and in the overflow. */
  private queuedElements = 0;
  private overflowElements = 0;
  /** The entry admitted last: a watermark after a watermark is merged into it. */
  private last: AsyncEntry | undefined = undefined;
  /** The last watermark that arrived (the emitted one is `currentWatermark`). */
  private inputWatermark = Number.NEGATIVE_INFINITY;
  private inputEnded = false;
  private endForwarded = false;
  private closed = false;
  /** A failure that fails the job at the runner's next turn. */
  private failure: Error | undefined = undefined;
  private restored: readonly HeldElement[] | undefined = undefined;
  private readonly emitEntry = (e: AsyncEntry): void => this.emit(e);

  constructor(private readonly spec: AsyncWaitNodeSpec) {
    super();
    this.queue = spec.ordered ? new OrderedQueue() : new UnorderedQueue();
  }

  override open(ctx: OperatorContext<unknown>): void {
    super.open(ctx);
    const held = this.restored;
    this.restored = undefined;
    if (held === undefined || held.length === 0) return;
    // Flink re-processes the recovered elements in open(); results still wait for the loop.
    for (const h of held) {
      if ('w' in h) this.admit(new AsyncEntry(undefined, h.w, true));
      else this.admit(new AsyncEntry(h.v, h.t, false));
    }
    for (const h of held) if ('w' in h && h.w > this.inputWatermark) this.inputWatermark = h.w;
    ctx.requestAsyncWork?.();
  }

  processElement(record: StreamRecord<unknown>): void {
    this.counters.recordsIn++;
    this.admit(new AsyncEntry(record.value, record.timestamp, false));
  }

  override processWatermark(watermark: number): void {
    if (watermark <= this.inputWatermark) return;
    this.inputWatermark = watermark;
    const last = this.last;
    if (last !== undefined && last.isWatermark && !last.emitted) last.timestamp = watermark;
    else this.admit(new AsyncEntry(undefined, watermark, true));
    // A watermark with nothing before it leaves at once (not held back until the next result).
    this.drain();
  }

  override endInput(): void {
    this.processWatermark(Number.POSITIVE_INFINITY);
    this.inputEnded = true;
    this.drain();
  }

  capacityLeft(): number {
    const left = this.spec.capacity - this.queuedElements - this.overflowElements;
    return left > 0 ? left : 0;
  }

  hasPendingAsyncWork(): boolean {
    return !this.endForwarded && (this.queue.size > 0 || this.overflow.size > 0);
  }

  processAsyncWork(): void {
    this.drain();
  }

  nextProcessingTime(): number {
    const t = this.timeouts.next;
    const r = this.retries.next;
    return t < r ? t : r;
  }

  override onProcessingTime(now: number): void {
    for (let e = this.timeouts.first(); e !== undefined && e.deadline <= now; e = this.timeouts.first()) {
      this.timeouts.remove(e);
      this.timeOut(e);
    }
    const retries = this.retries;
    while (retries.next <= now) {
      const at = retries.next;
      const e = retries.pop();
      if (e.state === EntryState.RETRY_WAIT && e.retryAt === at) {
        e.retryAt = Number.POSITIVE_INFINITY;
        this.call(e);
      }
    }
  }

  snapshotState(): OperatorSnapshot {
    const held: HeldElement[] = [];
    const add = (e: AsyncEntry) => held.push(e.isWatermark ? { w: e.timestamp } : { v: e.value, t: e.timestamp });
    for (const e of this.queue.entries()) add(e);
    for (const e of this.overflow) add(e);
    return { operator: held.length > 0 ? { held } : undefined };
  }

  restoreState(state: RestoredState): void {
    this.restored = (state.operator as { held?: HeldElement[] } | undefined)?.held;
  }

  close(): void {
    this.closed = true;
    this.timeouts.clear();
    this.retries.clear();
    this.queue.clear();
    this.overflow.clear();
    this.last = undefined;
  }

  /** Into the queue if there is room (and nothing waits before it), else into the overflow. */
  private admit(e: AsyncEntry): void {
    this.last = e;
    if (this.overflow.size > 0 || (!e.isWatermark && this.queuedElements >= this.spec.capacity)) {
      this.overflow.push(e);
      if (!e.isWatermark) this.overflowElements++;
    } else this.enqueue(e);
  }

  private enqueue(e: AsyncEntry): void {
    this.queue.push(e);
    if (e.isWatermark) return;
    this.queuedElements++;
    const timeout = this.spec.timeoutMs;
    if (timeout !== undefined) {
      e.deadline = this.ctx.clock.now() + timeout;
      this.timeouts.add(e);
    }
    this.call(e);
  }

  private call(e: AsyncEntry): void {
    e.state = EntryState.CALLING;
    e.attempts++;
    const token = ++e.call;
    let promise: PromiseLike<unknown> | unknown;
    try {
      promise = this.spec.fn(e.value);
    } catch (err) {
      // A function that throws before returning a Promise fails like a rejected one.
      queueMicrotask(() => this.settled(e, token, undefined, err, true));
      return;
    }
    if (!isThenable(promise)) {
      queueMicrotask(() => this.settled(e, token, promise, undefined, false));
      return;
    }
    promise.then(
      (result) => this.settled(e, token, result, undefined, false),
      (err: unknown) => this.settled(e, token, undefined, err, true),
    );
  }

  /** A call settled (in a promise callback: only record, the runner emits). */
  private settled(e: AsyncEntry, token: number, result: unknown, err: unknown, rejected: boolean): void {
    if (this.closed || e.call !== token || e.state !== EntryState.CALLING) return;
    const retry = this.spec.retry;
    if (retry !== undefined && e.attempts <= retry.maxAttempts) {
      const again = rejected ? retry.ifError?.(err) === true : retry.ifResult?.(result) === true;
      if (again) {
        e.state = EntryState.RETRY_WAIT;
        e.retryAt = this.ctx.clock.now() + retry.backoffMs(e.attempts);
        this.retries.push(e.retryAt, e);
        this.ctx.requestAsyncWork?.(); // the runner recomputes how long it may sleep
        return;
      }
    }
    if (rejected) this.fail(e, err, false);
    else this.complete(e, Outcome.RESULT, result);
  }

  private timeOut(e: AsyncEntry): void {
    e.call++; // a late settlement of the call in flight is ignored
    const onTimeout = this.spec.onTimeout;
    if (onTimeout === undefined) {
      this.fail(e, new AsyncTimeoutError(this.ctx.name, e.value, this.spec.timeoutMs!), true);
      return;
    }
    let result: unknown;
    try {
      result = onTimeout(e.value);
    } catch (err) {
      this.fail(e, err, true);
      return;
    }
    this.complete(e, Outcome.RESULT, result);
  }

  private fail(e: AsyncEntry, err: unknown, timedOut: boolean): void {
    const tag = this.spec.failureTag;
    if (tag === undefined) {
      this.failure ??= timedOut && err instanceof AsyncTimeoutError ? err : new AsyncFunctionError(this.ctx.name, e.value, e.attempts, err);
      this.complete(e, Outcome.NOTHING, undefined);
      return;
    }
    const failure: AsyncFailure<unknown> = {
      input: e.value,
      reason: err instanceof Error ? err.message : String(err),
      source: this.ctx.name,
      error: err,
      attempts: e.attempts,
      timedOut,
    };
    this.complete(e, Outcome.FAILURE, failure);
  }

  private complete(e: AsyncEntry, outcome: Outcome, result: unknown): void {
    e.state = EntryState.DONE;
    this.timeouts.remove(e);
    e.outcome = outcome;
    e.result = result;
    this.queue.completed(e);
    this.ctx.requestAsyncWork?.();
  }

  /** Emits what may leave, refills the queue from the overflow, and ends once all is out. */
  private drain(): void {
    if (this.failure !== undefined) throw this.failure;
    for (;;) {
      this.queue.drain(this.emitEntry);
      let moved = false;
      for (let next = this.overflow.peek(); next !== undefined && (next.isWatermark || this.queuedElements < this.spec.capacity); next = this.overflow.peek()) {
        this.overflow.shift();
        if (!next.isWatermark) this.overflowElements--;
        this.enqueue(next);
        moved = true;
      }
      if (!moved) break;
    }
    if (this.inputEnded && !this.endForwarded && this.queue.size === 0 && this.overflow.size === 0) {
      this.endForwarded = true;
      this.out.endInput();
    }
  }

  private emit(e: AsyncEntry): void {
    e.emitted = true;
    if (e.isWatermark) {
      if (e.timestamp > this.currentWatermark) {
        this.currentWatermark = e.timestamp;
        this.out.processWatermark(e.timestamp);
      }
      return;
    }
    this.queuedElements--;
    if (e.outcome === Outcome.RESULT) {
      const r = this.record;
      r.value = e.result;
      r.timestamp = e.timestamp;
      this.out.processElement(r);
    } else if (e.outcome === Outcome.FAILURE) {
      const side = this.ctx.sideOutput(this.spec.failureTag!);
      if (side !== undefined) {
        this.failureRecord.value = e.result;
        this.failureRecord.timestamp = e.timestamp;
        side.processElement(this.failureRecord);
      }
    }
    e.result = undefined;
  }
}
