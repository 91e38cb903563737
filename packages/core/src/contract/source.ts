/**
 * Sources (after Flink's FLIP-27 `Source`/`SourceReader`): the runtime polls a reader, which
 * hands over whatever records it has buffered — a whole batch per call, so the async boundary is
 * crossed once per batch, not once per record — and says whether more is available, nothing is
 * available yet (then the runtime awaits `isAvailable()`), or the input ended.
 *
 * A replayable source returns its position from `snapshotPosition()` at every checkpoint and
 * continues from a restored position; that is what makes exactly-once possible.
 */
import type { DeadLetter } from './output-tag.js';
import type { Clock } from '../time/clock.js';

/**
 * What `pollNext` reports.
 *
 * @example
 * ```ts
 * return this.done ? PollStatus.END_OF_INPUT : PollStatus.NOTHING_AVAILABLE;
 * ```
 */
export const PollStatus = {
  /** More records are ready: poll again soon. */
  MORE_AVAILABLE: 0,
  /** Nothing buffered: await `isAvailable()` before polling again. */
  NOTHING_AVAILABLE: 1,
  /** The input ended (bounded sources, closed sockets): never polled again. */
  END_OF_INPUT: 2,
} as const;
/**
 * One of {@link PollStatus}'s values.
 *
 * @example
 * ```ts
 * pollNext(output: SourceOutput<string>): PollStatus {
 *   const line = this.buffer.shift();
 *   if (line === undefined) return this.ended ? PollStatus.END_OF_INPUT : PollStatus.NOTHING_AVAILABLE;
 *   output.collect(line);
 *   return PollStatus.MORE_AVAILABLE;
 * }
 * ```
 */
export type PollStatus = (typeof PollStatus)[keyof typeof PollStatus];

/**
 * Where a reader puts records.
 *
 * @example
 * ```ts
 * pollNext(output: SourceOutput<Tick>): PollStatus {
 *   const line = this.lines.shift();
 *   if (line === undefined) return PollStatus.END_OF_INPUT;
 *   const tick = parseTick(line);
 *   if (tick) output.collect(tick, tick.ts);
 *   else output.deadLetter({ input: line, reason: 'not SYMBOL,PRICE' });
 *   return PollStatus.MORE_AVAILABLE;
 * }
 * ```
 */
export interface SourceOutput<T> {
  /**
   * Emits a record. Without a timestamp the record gets ingestion time (the clock at this poll);
   * with one it carries the source's own time (e.g. a log line's time).
   */
  collect(value: T, timestamp?: number): void;
  /** Sends an unusable input to the dead-letter side output with the reason. */
  deadLetter(letter: Omit<DeadLetter, 'source'>): void;
  /**
   * Emits a watermark the source knows itself, in order with its records (Flink's
   * `ReaderOutput.emitWatermark`), e.g. the event time carried by a repartition stream. Lower or
   * equal watermarks than the last one are ignored. The runtime always provides it; it is
   * optional so that test doubles of an output need not.
   */
  emitWatermark?(watermark: number): void;
}

/**
 * What a reader gets from the runtime.
 *
 * @example
 * ```ts
 * createReader(ctx: SourceReaderContext): SourceReader<string> {
 *   const reader = new LineReader(ctx.sourceName, ctx.clock);
 *   ctx.signal.addEventListener('abort', () => reader.close());
 *   return reader;
 * }
 * ```
 */
export interface SourceReaderContext {
  readonly sourceName: string;
  readonly clock: Clock;
  /** Aborted when the job stops; readers should stop I/O. */
  readonly signal: AbortSignal;
}

/**
 * Reads one source. All methods are called from the job's single thread.
 *
 * @example
 * ```ts
 * class Countdown implements SourceReader<number> {
 *   constructor(private n: number) {}
 *   pollNext(out: SourceOutput<number>) { out.collect(this.n--); return this.n > 0 ? PollStatus.MORE_AVAILABLE : PollStatus.END_OF_INPUT; }
 *   isAvailable() { return Promise.resolve(); }
 *   snapshotPosition() { return this.n; }
 *   restorePosition(n: unknown) { this.n = n as number; }
 * }
 * ```
 */
export interface SourceReader<T> {
  /** Opens connections or files; awaited before the first poll. */
  start?(): void | Promise<void>;
  /** Emits up to about `maxRecords` records. */
  pollNext(output: SourceOutput<T>, maxRecords: number): PollStatus;
  /** Resolves when `pollNext` may have something again (after NOTHING_AVAILABLE). */
  isAvailable(): Promise<void>;
  /**
   * The replay position after the last emitted record, for checkpoint `checkpointId` (replayable
   * sources only). Called exactly once per checkpoint, so a reader may remember what belongs to
   * which checkpoint (e.g. entries to acknowledge in `notifyCheckpointComplete`).
   */
  snapshotPosition?(checkpointId?: number): unknown;
  /** The current position without side effects (error messages, metrics). */
  currentPosition?(): unknown;
  /** Continue after a restored position (called before `start`). */
  restorePosition?(position: unknown): void;
  /** The checkpoint holding a position is durable (e.g. ack entries upstream). */
  notifyCheckpointComplete?(checkpointId: number): void | Promise<void>;
  close?(): void | Promise<void>;
}

/**
 * A source: a factory of readers plus its boundedness.
 *
 * @example
 * ```ts
 * const countdown: Source<number> = { name: 'countdown', bounded: true, createReader: () => new Countdown(10) };
 * env.fromSource(countdown).print();
 * ```
 */
export interface Source<T> {
  /** Default operator name. */
  readonly name?: string;
  /** Bounded sources end; the job ends when all its sources ended. */
  readonly bounded: boolean;
  /** True when positions allow exact replay (exactly-once with checkpoints). */
  readonly replayable?: boolean;
  /**
   * `'ingestion'`: records never carry their own timestamp, so the source's watermark follows
   * the clock from the start (a quiet source does not hold back the watermark of a union).
   * Otherwise ingestion-time watermarks start with the first record stamped with ingestion time.
   */
  readonly timestamps?: 'ingestion' | 'source';
  createReader(ctx: SourceReaderContext): SourceReader<T>;
}
