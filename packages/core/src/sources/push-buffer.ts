/**
 * A buffer between a pushing producer (an async iterator, an observable, a socket) and the
 * runtime's polling: producers `push`, the reader drains in batches, and `whenAvailable()`
 * resolves on the next push or end. Shared by every push-style source.
 * @internal
 */
import { PollStatus, type SourceOutput } from './source.js';

export class PushBuffer<T> {
  private items: T[] = [];
  private head = 0;
  private ended = false;
  private failure: unknown = undefined;
  private failed = false;
  private waiter: (() => void) | undefined = undefined;
  /** Records handed to the runtime so far. */
  emitted = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
    this.wake();
  }

  end(): void {
    this.ended = true;
    this.wake();
  }

  fail(error: unknown): void {
    this.failed = true;
    this.failure = error;
    this.wake();
  }

  drain(output: SourceOutput<T>, maxRecords: number, timestampOf?: (item: T) => number | undefined): PollStatus {
    if (this.failed) throw this.failure;
    const end = Math.min(this.items.length, this.head + maxRecords);
    while (this.head < end) {
      const item = this.items[this.head++] as T;
      this.emitted++;
      if (timestampOf === undefined) output.collect(item);
      else output.collect(item, timestampOf(item));
    }
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    if (this.length > 0) return PollStatus.MORE_AVAILABLE;
    return this.ended ? PollStatus.END_OF_INPUT : PollStatus.NOTHING_AVAILABLE;
  }

  whenAvailable(): Promise<void> {
    if (this.length > 0 || this.ended || this.failed) return Promise.resolve();
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
