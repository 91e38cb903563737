/**
 * `fromObservable`: subscribes when the job starts, buffers what the observable emits, ends when
 * it completes and fails the job when it errors. Not replayable (at-most-once).
 */
import type { Observable, Subscription } from 'rxjs';
import { SourceError } from '../errors.js';
import { RecordQueue } from './record-queue.js';
import type { PollStatus, Source, SourceOutput, SourceReader, SourceReaderContext } from '../contract/source.js';

class ObservableReader<T> implements SourceReader<T> {
  private readonly buffer = new RecordQueue<T>();
  private subscription: Subscription | undefined = undefined;
  constructor(
    private readonly observable: Observable<T>,
    private readonly ctx: SourceReaderContext,
  ) {}
  start(): void {
    this.subscription = this.observable.subscribe({
      next: (v) => this.buffer.push(v),
      error: (e: unknown) =>
        this.buffer.fail(new SourceError(this.ctx.sourceName, `the observable errored: ${e instanceof Error ? e.message : String(e)}`, { cause: e })),
      complete: () => this.buffer.end(),
    });
  }
  pollNext(output: SourceOutput<T>, maxRecords: number): PollStatus {
    return this.buffer.drain(output, maxRecords);
  }
  isAvailable(): Promise<void> {
    return this.buffer.whenAvailable();
  }
  close(): void {
    this.subscription?.unsubscribe();
  }
}

/**
 * A source over an RxJS observable (at-most-once: it cannot be replayed).
 *
 * @example
 * ```ts
 * env.fromSource(new ObservableSource(interval(100).pipe(take(10))));
 * ```
 */
export class ObservableSource<T> implements Source<T> {
  readonly name = 'Observable Source';
  readonly bounded = true;
  readonly replayable = false;
  readonly timestamps = 'ingestion' as const;
  constructor(private readonly observable: Observable<T>) {}
  createReader(ctx: SourceReaderContext): SourceReader<T> {
    return new ObservableReader(this.observable, ctx);
  }
}
