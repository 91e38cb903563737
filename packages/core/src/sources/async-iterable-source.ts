/**
 * `fromCollection(asyncIterable)`: reads ahead into a {@link PushBuffer} (up to a high-water
 * mark, so a fast producer cannot flood memory) and hands records over in batches.
 *
 * Position: the number of records emitted. On restore the reader skips that many records of a
 * fresh iteration, which replays exactly only if iterating the source again yields the same
 * records (an array-backed or re-readable iterable); a one-shot async generator is not
 * replayable, so this source is documented as at-most-once for those.
 */
import { PushBuffer } from './push-buffer.js';
import type { PollStatus, Source, SourceOutput, SourceReader, SourceReaderContext } from './source.js';

const HIGH_WATER = 8192;

class AsyncIterableReader<T> implements SourceReader<T> {
  private readonly buffer = new PushBuffer<T>();
  private iterator: AsyncIterator<T> | undefined = undefined;
  private pumping = false;
  private done = false;
  private skip = 0;

  constructor(
    private readonly iterable: AsyncIterable<T>,
    private readonly ctx: SourceReaderContext,
  ) {}

  restorePosition(position: unknown): void {
    this.skip = position as number;
    this.buffer.emitted = this.skip;
  }

  start(): void {
    this.iterator = this.iterable[Symbol.asyncIterator]();
    void this.pump();
  }

  pollNext(output: SourceOutput<T>, maxRecords: number): PollStatus {
    const status = this.buffer.drain(output, maxRecords);
    if (!this.pumping && !this.done && this.buffer.length < HIGH_WATER / 2) void this.pump();
    return status;
  }

  isAvailable(): Promise<void> {
    return this.buffer.whenAvailable();
  }

  snapshotPosition(): number {
    return this.buffer.emitted;
  }

  currentPosition(): number {
    return this.buffer.emitted;
  }

  async close(): Promise<void> {
    this.done = true;
    await this.iterator?.return?.();
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      while (!this.done && this.buffer.length < HIGH_WATER && !this.ctx.signal.aborted) {
        const r = await this.iterator!.next();
        if (r.done) {
          this.done = true;
          this.buffer.end();
        } else if (this.skip > 0) {
          this.skip--;
        } else {
          this.buffer.push(r.value);
        }
      }
    } catch (e) {
      this.done = true;
      this.buffer.fail(e);
    } finally {
      this.pumping = false;
    }
  }
}

/**
 * A source over an async iterable (async generators, Node readable streams, web streams).
 *
 * @example
 * ```ts
 * async function* ticks() { yield { symbol: 'SPX', price: 1000 }; }
 * env.fromSource(new AsyncIterableSource(ticks()));
 * ```
 */
export class AsyncIterableSource<T> implements Source<T> {
  readonly name = 'Async Iterable Source';
  readonly bounded = true;
  readonly replayable = false;
  readonly timestamps = 'ingestion' as const;
  constructor(private readonly iterable: AsyncIterable<T>) {}
  createReader(ctx: SourceReaderContext): SourceReader<T> {
    return new AsyncIterableReader(this.iterable, ctx);
  }
}
