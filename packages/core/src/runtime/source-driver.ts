/**
 * Drives one source reader: polls it in batches, stamps ingestion time (the clock read once per
 * batch) on records without their own timestamp, emits ingestion-time watermarks for such
 * sources, routes dead letters, counts records for error positions, and signals end of input.
 * @internal
 */
import { DEAD_LETTERS, type DeadLetter } from '../contract/output-tag.js';
import { type RecordPosition, UserFunctionError } from '../errors.js';
import type { Source, SourceOutput, SourceReader } from '../contract/source.js';
import { PollStatus } from '../contract/source.js';
import type { Clock } from '../time/clock.js';
import { invalidTimestampReason, isValidTimestamp } from '../time/timestamps.js';
import type { Downstream } from '../contract/downstream.js';
import type { OperatorCounters } from '../contract/operator.js';
import { StreamRecord } from '../contract/stream-record.js';

export class SourceDriver<T> implements SourceOutput<T> {
  /** Records emitted in this run attempt. */
  index = 0;
  /** Records to ask for per poll (adapted by the runner to how fast they are processed). */
  batchSize = 256;
  waiting = false;
  ended = false;
  private batchTime = Number.NEGATIVE_INFINITY;
  private usesIngestionTime = false;
  /** The watermark this source emitted last (ingestion-time sources). */
  lastWatermark = Number.NEGATIVE_INFINITY;
  private warnedDeadLetters = false;
  private readonly record = new StreamRecord<T>();
  private readonly deadLetterRecord = new StreamRecord<DeadLetter>();

  constructor(
    readonly name: string,
    readonly uid: string,
    readonly source: Source<T>,
    readonly reader: SourceReader<T>,
    private readonly next: Downstream<T>,
    private readonly deadLetters: Downstream<DeadLetter> | undefined,
    private readonly clock: Clock,
    readonly counters: OperatorCounters,
  ) {
    this.usesIngestionTime = source.timestamps === 'ingestion';
  }

  collect(value: T, timestamp?: number): void {
    this.index++;
    const r = this.record;
    r.value = value;
    if (timestamp === undefined) {
      if (!this.usesIngestionTime) this.usesIngestionTime = true;
      r.timestamp = this.batchTime;
    } else if (isValidTimestamp(timestamp)) r.timestamp = timestamp;
    else {
      this.deadLetter({ input: value, reason: invalidTimestampReason('source gave the timestamp', timestamp) });
      return;
    }
    this.next.processElement(r);
  }

  deadLetter(letter: Omit<DeadLetter, 'source'>): void {
    this.counters.deadLetters++;
    const full: DeadLetter = { ...letter, source: this.name };
    if (this.deadLetters !== undefined) {
      this.deadLetterRecord.value = full;
      this.deadLetterRecord.timestamp = this.batchTime;
      this.deadLetters.processElement(this.deadLetterRecord);
    }
    else if (!this.warnedDeadLetters) {
      this.warnedDeadLetters = true;
      process.emitWarning(
        `Source '${this.name}' rejected a record (${letter.reason}); consume stream.getSideOutput(DEAD_LETTERS) to receive rejected records. Further rejects are only counted.`,
        { code: 'WEIR_DEAD_LETTER' },
      );
    }
  }

  emitWatermark(watermark: number): void {
    this.ingestionWatermark(watermark);
  }

  /** Polls one batch. */
  poll(maxRecords: number): PollStatus {
    const now = this.clock.now();
    if (now > this.batchTime) this.batchTime = now;
    const before = this.index;
    let status: PollStatus;
    try {
      status = this.reader.pollNext(this, maxRecords);
    } catch (e) {
      if (e instanceof UserFunctionError) e.withPosition(this.position());
      throw e;
    }
    this.counters.recordsOut += this.index - before;
    if (this.usesIngestionTime) this.ingestionWatermark(this.batchTime - 1);
    if (status === PollStatus.END_OF_INPUT) this.end();
    return status;
  }

  /** True while the source's watermark follows the clock (the runner wakes up to tick it). */
  get followsClock(): boolean {
    return this.usesIngestionTime && !this.ended;
  }

  /** Periodic tick for ingestion-time sources that are waiting for data. */
  tick(now: number): void {
    if (this.usesIngestionTime && !this.ended && now - 1 > this.lastWatermark) {
      if (now > this.batchTime) this.batchTime = now;
      this.ingestionWatermark(now - 1);
    }
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.next.endInput();
    this.deadLetters?.endInput();
  }

  position(): RecordPosition {
    const offset = this.reader.currentPosition?.();
    return offset === undefined
      ? { source: this.name, index: Math.max(0, this.index - 1) }
      : { source: this.name, index: Math.max(0, this.index - 1), offset };
  }

  private ingestionWatermark(watermark: number): void {
    if (watermark > this.lastWatermark) {
      this.lastWatermark = watermark;
      this.next.processWatermark(watermark);
      this.deadLetters?.processWatermark(watermark);
    }
  }
}

export { DEAD_LETTERS };
