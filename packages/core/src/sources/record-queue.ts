/**
 * A FIFO between push-style I/O (sockets, observables, async iterators, client replies, file
 * reads) and the runtime's polling `SourceReader`: producers `push`, `end` or `fail`; the reader
 * takes items in `pollNext` (`drain`, or `shift` and `pollStatus`), and `whenAvailable()`
 * resolves on the next push, end or failure.
 *
 * A failure is rethrown only once the items pushed before it were taken, so nothing received
 * before an error is lost: pushes `a`, `b`, then `fail(e)` make polls deliver `a` and `b`, then
 * throw `e`. Taken slots are cleared at once (a big record is not kept alive by the queue), and
 * the array is compacted when its taken head outgrows the rest.
 */
import { PollStatus, type SourceOutput } from '../contract/source.js';

/**
 * A queue of records for a source reader whose I/O pushes (see the module comment).
 *
 * @example
 * ```ts
 * class TicksReader implements SourceReader<Tick> {
 *   private readonly queue = new RecordQueue<Tick>();
 *   start() {
 *     feed.on('tick', (t: Tick) => this.queue.push(t));
 *     feed.on('end', () => this.queue.end());
 *     feed.on('error', (e: Error) => this.queue.fail(e));
 *   }
 *   pollNext(output: SourceOutput<Tick>, maxRecords: number) {
 *     return this.queue.drain(output, maxRecords);
 *   }
 *   isAvailable() {
 *     return this.queue.whenAvailable();
 *   }
 * }
 * ```
 */
export class RecordQueue<T> {
  private items: T[] = [];
  private head = 0;
  private waiter: (() => void) | undefined = undefined;
  private failure: { error: unknown } | undefined = undefined;
  private endCalled = false;

  /** Items pushed and not taken yet. */
  get length(): number {
    return this.items.length - this.head;
  }

  /** `end()` was called: no more items will come (some may still wait to be taken). */
  get ended(): boolean {
    return this.endCalled;
  }

  /** Queues `item` and wakes a waiting `whenAvailable()`. */
  push(item: T): void {
    this.items.push(item);
    this.wake();
  }

  /** The next item, or undefined when none is queued. */
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head] as T;
    this.items[this.head++] = undefined as T; // let the item be collected
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** No more items will come: once the queued ones are taken, polls report END_OF_INPUT. */
  end(): void {
    this.endCalled = true;
    this.wake();
  }

  /** The input failed: `error` is thrown once the items pushed before it were taken. The first failure wins. */
  fail(error: unknown): void {
    this.failure ??= { error };
    this.wake();
  }

  /** Throws the recorded failure once every item pushed before it was taken. */
  throwIfFailed(): void {
    if (this.failure !== undefined && this.length === 0) throw this.failure.error;
  }

  /**
   * What `pollNext` returns after taking items: throws the failure (see throwIfFailed), else
   * MORE_AVAILABLE while items are queued, END_OF_INPUT once ended and empty, NOTHING_AVAILABLE otherwise.
   */
  pollStatus(): PollStatus {
    this.throwIfFailed();
    if (this.length > 0) return PollStatus.MORE_AVAILABLE;
    return this.endCalled ? PollStatus.END_OF_INPUT : PollStatus.NOTHING_AVAILABLE;
  }

  /** Hands up to `maxRecords` items to `output` (without timestamps), then returns {@link RecordQueue.pollStatus}. */
  drain(output: SourceOutput<T>, maxRecords: number): PollStatus {
    for (let n = 0; n < maxRecords && this.length > 0; n++) output.collect(this.shift() as T);
    return this.pollStatus();
  }

  /** Resolves when an item, the end or a failure is there (at once if one already is). */
  whenAvailable(): Promise<void> {
    if (this.length > 0 || this.endCalled || this.failure !== undefined) return Promise.resolve();
    return new Promise((resolve) => {
      const previous = this.waiter;
      this.waiter = () => {
        previous?.();
        resolve();
      };
    });
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }
}
