/**
 * `fromCollection(asyncIterable)`: reads ahead into a {@link RecordQueue} (up to a high-water
 * mark, so a fast producer cannot flood memory) and hands records over in batches.
 *
 * Position: the number of records emitted. On restore the reader skips that many records of a
 * fresh iteration, which replays exactly only if iterating the source again yields the same
 * records (an array-backed or re-readable iterable); a one-shot async generator is not
 * replayable, so this source is documented as at-most-once for those.
 */
import { RecordQueue } from './record-queue.js';
import type { PollStatus, Source, SourceOutput, SourceReader, SourceReaderContext } from '../contract/source.js';

const HIGH_WATER = 8192;

class AsyncIterableReader<T> implements SourceReader<T> {
  private readonly buffer = new RecordQueue<T>();
  /** Records handed to the runtime so far: the position. */
  private emitted = 0;
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
    this.emitted = this.skip;
  }

  start(): void {
    this.iterator = this.iterable[Symbol.asyncIterator]();
    void this.pump();
  }

  pollNext(output: SourceOutput<T>, maxRecords: number): PollStatus {
    for (let n = 0; n < maxRecords && this.buffer.length > 0; n++) {
      const record = this.buffer.shift() as T; // (T may include undefined: the length says what is left)
      this.emitted++; // before collect: an error downstream names this record's position
      output.collect(record);
    }
    const status = this.buffer.pollStatus();
    if (!this.pumping && !this.done && this.buffer.length < HIGH_WATER / 2) void this.pump();
    return status;
  }

  isAvailable(): Promise<void> {
    return this.buffer.whenAvailable();
  }

  snapshotPosition(): number {
    return this.emitted;
  }

  currentPosition(): number {
    return this.emitted;
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
