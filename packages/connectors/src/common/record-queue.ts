/**
 * A FIFO between push-style I/O (sockets, Redis replies, file reads) and the runtime's polling
 * `SourceReader`: producers `push`, the reader `shift`s in `pollNext`, and `whenAvailable()`
 * resolves on the next push, end or failure. A failure is rethrown by `takeFailure()` once the
 * items before it were handed over, so nothing received before an error is lost.
 * @internal
 */
export class RecordQueue<T> {
  private items: T[] = [];
  private head = 0;
  private waiter: (() => void) | undefined = undefined;
  private failure: { error: unknown } | undefined = undefined;
  /** No more items will come. */
  ended = false;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
    this.wake();
  }

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

  end(): void {
    this.ended = true;
    this.wake();
  }

  fail(error: unknown): void {
    this.failure ??= { error };
    this.wake();
  }

  /** Throws the recorded failure once every item pushed before it was taken. */
  throwIfFailed(): void {
    if (this.failure !== undefined && this.length === 0) throw this.failure.error;
  }

  whenAvailable(): Promise<void> {
    if (this.length > 0 || this.ended || this.failure !== undefined) return Promise.resolve();
    return new Promise((resolve) => {
      const previous = this.waiter;
      this.waiter = () => {
        previous?.();
        resolve();
      };
    });
  }

  /** Wakes a pending `whenAvailable()` (e.g. when a condition other than a push changed). */
  wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }
}
