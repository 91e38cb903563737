/**
 * Wraps a source so that its records arrive over time: at most `linesPerTick` per poll, then a
 * pause of `tickMs` (the event loop is free meanwhile, as when a real source waits for input).
 * Positions, restore and notifications go straight to the wrapped reader.
 */
import { PollStatus, type Source, type SourceOutput, type SourceReader, type SourceReaderContext } from '@weir/core';

class PacedReader<T> implements SourceReader<T> {
  private gate: Promise<void> | undefined = undefined;
  constructor(
    private readonly inner: SourceReader<T>,
    private readonly linesPerTick: number,
    private readonly tickMs: number,
  ) {}
  start(): void | Promise<void> {
    return this.inner.start?.();
  }
  pollNext(output: SourceOutput<T>, maxRecords: number): PollStatus {
    if (this.gate) return PollStatus.NOTHING_AVAILABLE;
    const status = this.inner.pollNext(output, Math.min(maxRecords, this.linesPerTick));
    if (status === PollStatus.END_OF_INPUT) return status;
    const pause = new Promise<void>((resolve) => setTimeout(resolve, this.tickMs));
    this.gate = (status === PollStatus.NOTHING_AVAILABLE ? Promise.all([pause, this.inner.isAvailable()]) : pause).then(() => {
      this.gate = undefined;
    });
    return PollStatus.NOTHING_AVAILABLE;
  }
  isAvailable(): Promise<void> {
    return this.gate ?? this.inner.isAvailable();
  }
  snapshotPosition(): unknown {
    return this.inner.snapshotPosition?.();
  }
  restorePosition(position: unknown): void {
    this.inner.restorePosition?.(position);
  }
  notifyCheckpointComplete(checkpointId: number): void | Promise<void> {
    return this.inner.notifyCheckpointComplete?.(checkpointId);
  }
  close(): void | Promise<void> {
    return this.inner.close?.();
  }
}

export function paced<T>(source: Source<T>, linesPerTick: number, tickMs: number): Source<T> {
  return {
    name: source.name,
    bounded: source.bounded,
    replayable: source.replayable,
    createReader: (ctx: SourceReaderContext) => new PacedReader(source.createReader(ctx), linesPerTick, tickMs),
  };
}
