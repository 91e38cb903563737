/**
 * Backpressure between a Redis reader's fetch loop and the job: the loop stops fetching while
 * the reader holds `HIGH_WATER` entries the job has not polled yet, and goes on once the job has
 * taken half of them (or the reader stops). Shared by the stream reader and the task reader.
 *
 * Example: with 20,000 entries queued the loop awaits `drained()`; a poll that leaves 9,999
 * calls the waiting loop back.
 * @internal
 */

/** Entries a reader holds at most before its fetch loop waits. */
export const HIGH_WATER = 20_000;

export class FetchGate {
  private waiting: (() => void) | undefined = undefined;

  /** True when the loop must wait ({@link drained}) before fetching more. */
  full(queued: number): boolean {
    return queued >= HIGH_WATER;
  }

  /** Resolves when the job has taken half of the queue, or the reader stopped ({@link release}). */
  drained(): Promise<void> {
    return new Promise<void>((resolve) => (this.waiting = resolve));
  }

  /** After a poll: lets a waiting loop go on once half of the queue is taken. */
  polled(queued: number): void {
    if (this.waiting !== undefined && queued < HIGH_WATER / 2) this.release();
  }

  /** Lets a waiting loop go on (the reader stops). */
  release(): void {
    const w = this.waiting;
    this.waiting = undefined;
    w?.();
  }
}
