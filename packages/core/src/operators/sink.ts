/**
 * The operator in front of every {@link Sink}: writes records, pre-commits at checkpoint
 * barriers, commits when checkpoints complete (in checkpoint order), and at the end of a job
 * without checkpoints commits the final transaction itself.
 */
import type { OperatorContext, OperatorSnapshot, RestoredState, StreamOperator } from '../contract/operator.js';
import type { StreamRecord } from '../contract/stream-record.js';
import type { Sink, SinkWriter } from '../contract/sink.js';

/** Checkpoint id used for the final transaction of a job that takes no checkpoints. */
export const FINAL_TRANSACTION = -1;

export class SinkOperator<T> implements StreamOperator<T, never> {
  private writer: SinkWriter<T> = undefined as unknown as SinkWriter<T>;
  private ctx: OperatorContext<never> = undefined as unknown as OperatorContext<never>;
  private readonly pending: Array<{ id: number; committable: Promise<unknown> }> = [];
  private restored: RestoredState | undefined = undefined;
  private ended = false;

  constructor(private readonly sink: Sink<T>) {}

  open(ctx: OperatorContext<never>): void {
    this.ctx = ctx;
    this.writer = this.sink.createWriter({ operatorName: ctx.name, checkpointing: ctx.settings.checkpointing });
  }

  /** Awaited by the runtime before the first record. */
  async start(): Promise<void> {
    const r = this.restored;
    const committables = r?.committable === undefined ? [] : [r.committable];
    await this.sink.recover?.(r === undefined ? undefined : { state: r.operator, committables });
    if (committables.length > 0) await this.sink.commit?.(committables);
  }

  processElement(record: StreamRecord<T>): void {
    this.ctx.counters.recordsIn++;
    this.writer.write(record.value, record.timestamp);
  }

  /** The sink's input watermark (metrics). */
  currentWatermark = Number.NEGATIVE_INFINITY;

  processWatermark(watermark: number): void {
    if (watermark > this.currentWatermark) this.currentWatermark = watermark;
    this.writer.writeWatermark?.(watermark);
  }

  processIdle(): void {}

  endInput(): void {
    this.ended = true;
  }

  snapshotState(checkpointId: number): OperatorSnapshot {
    const committable = Promise.resolve(this.writer.prepareCommit?.(checkpointId));
    this.pending.push({ id: checkpointId, committable });
    return { operator: this.writer.snapshotState?.(), committable };
  }

  restoreState(state: RestoredState): void {
    this.restored = state;
  }

  async notifyCheckpointComplete(checkpointId: number): Promise<void> {
    const ready: unknown[] = [];
    while (this.pending.length > 0 && this.pending[0]!.id <= checkpointId) {
      const c = await this.pending.shift()!.committable;
      if (c !== undefined) ready.push(c);
    }
    if (ready.length > 0) await this.sink.commit?.(ready);
  }

  async finish(): Promise<void> {
    if (!this.ctx.settings.checkpointing && this.ended) {
      const c = await this.writer.prepareCommit?.(FINAL_TRANSACTION);
      if (c !== undefined) await this.sink.commit?.([c]);
    }
  }

  async close(): Promise<void> {
    await this.writer.close?.();
  }
}
