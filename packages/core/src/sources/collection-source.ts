/**
 * `fromElements` / `fromCollection` over an array or any synchronous iterable: replayable by
 * index. Emits in batches straight from the array, the fastest path into the runtime.
 */
import { PollStatus, type Source, type SourceOutput, type SourceReader } from '../contract/source.js';

class ArrayReader<T> implements SourceReader<T> {
  private index = 0;
  constructor(private readonly items: readonly T[]) {}
  pollNext(output: SourceOutput<T>, maxRecords: number): PollStatus {
    const items = this.items;
    const end = Math.min(items.length, this.index + maxRecords);
    let i = this.index;
    // Position is advanced per record so that a failing record reports the right offset.
    while (i < end) {
      const item = items[i] as T;
      this.index = ++i;
      output.collect(item);
    }
    return i < items.length ? PollStatus.MORE_AVAILABLE : PollStatus.END_OF_INPUT;
  }
  isAvailable(): Promise<void> {
    return Promise.resolve();
  }
  snapshotPosition(): number {
    return this.index;
  }
  currentPosition(): number {
    return this.index;
  }
  restorePosition(position: unknown): void {
    this.index = position as number;
  }
}

/**
 * A bounded, replayable source over the items of an array or iterable (materialised once).
 *
 * @example
 * ```ts
 * env.fromSource(new CollectionSource([1, 2, 3]));
 * ```
 */
export class CollectionSource<T> implements Source<T> {
  readonly name = 'Collection Source';
  readonly bounded = true;
  readonly replayable = true;
  private readonly items: readonly T[];
  constructor(items: Iterable<T>) {
    this.items = Array.isArray(items) ? items : [...items];
  }
  createReader(): SourceReader<T> {
    return new ArrayReader(this.items);
  }
}
