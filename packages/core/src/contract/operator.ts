/**
 * What the runtime needs from an operator. Operators are instantiated from graph nodes by the
 * translator table; they receive input through {@link Downstream} methods and send output to
 * `ctx.output`.
 */
import type { KeyedStateBackend, KeyedStateSnapshot } from '../state/keyed-state-backend.js';
import type { Clock } from '../time/clock.js';
import type { Downstream } from './downstream.js';
import type { StreamRecord } from './stream-record.js';

/** Options of the job that operators read. */
export interface JobSettings {
  /** Call watermark generators' `onPeriodicEmit` after every element (deterministic lateness). */
  readonly perElementWatermarks: boolean;
  /** Period of processing-time watermark emission, ms. */
  readonly autoWatermarkIntervalMs: number;
  readonly maxParallelism: number;
  /** True when the job takes checkpoints. */
  readonly checkpointing: boolean;
}

/** Everything an operator gets from the runtime when it opens. */
export interface OperatorContext<OUT> {
  /** Operator name (for errors and metrics). */
  readonly name: string;
  readonly uid: string;
  readonly clock: Clock;
  readonly settings: JobSettings;
  /** Main output: elements go here; watermarks and end of input also reach side outputs. */
  readonly output: Downstream<OUT>;
  /** The Downstream of a side output, or undefined when nobody consumes that tag. */
  sideOutput(tagId: string): Downstream<unknown> | undefined;
  /** Keyed state of this operator (keyed operators only). */
  readonly keyed: KeyedStateBackend | undefined;
  /** Number of metrics-relevant events (late records dropped, dead letters) for this operator. */
  readonly counters: OperatorCounters;
  /**
   * For operators that wait on promises (`mapAsync`): call it from a promise callback when results
   * are ready. The runner wakes up and calls the operator's `processAsyncWork()` inside its loop
   * (Flink's mailbox), so results are emitted between two source polls, never inside one, and a
   * checkpoint still captures a consistent cut. (Optional so that test harnesses that drive one
   * operator by hand need not provide it.)
   */
  readonly requestAsyncWork?: () => void;
}

/** Counters every operator may bump; read by metrics. @internal */
export interface OperatorCounters {
  recordsIn: number;
  recordsOut: number;
  lateRecordsDropped: number;
  lateRecordsSideOutput: number;
  deadLetters: number;
}

/** State an operator hands over at a checkpoint barrier. */
export interface OperatorSnapshot {
  /** Keyed state and timers, per key group. */
  readonly keyed?: KeyedStateSnapshot;
  /** Non-keyed operator state: plain structured-cloneable data. */
  readonly operator?: unknown;
  /**
   * A sink's pre-committed transaction for this checkpoint; the checkpoint is written once it
   * resolves, and the value (structured-cloneable) is stored with the checkpoint so that a
   * restore can commit it again.
   */
  readonly committable?: Promise<unknown> | unknown;
}

/**
 * An operator's event-time position at a checkpoint: its watermark and, for watermark
 * generators, their state. Restored so that a restarted job decides lateness exactly as the run
 * that never failed. Not counted as state when the graph changes (stateless operators may come
 * and go).
 */
export interface TimeState {
  readonly watermark: number;
  readonly generator?: unknown;
}

/** The state an operator gets back on restore. */
export interface RestoredState {
  readonly keyed?: KeyedStateSnapshot;
  readonly operator?: unknown;
  /** Committables of the restored checkpoint (commit them again, idempotently). */
  readonly committable?: unknown;
}

/** A runtime operator. */
export interface StreamOperator<IN = unknown, OUT = unknown> extends Downstream<IN> {
  open(ctx: OperatorContext<OUT>): void;
  /** Async start after open and restore, before the first record (sinks recover here). */
  start?(): Promise<void>;
  /** Second input of two-input operators (connect, join). */
  processElement2?(record: StreamRecord<unknown>): void;
  /** Earliest processing time at which `onProcessingTime` has work; +Infinity when none. */
  nextProcessingTime?(): number;
  /** Processing time reached `now`: fire due processing-time timers. */
  onProcessingTime?(now: number): void;
  /**
   * Backpressure (operators with a bounded buffer, such as `mapAsync`): how many more elements the
   * operator takes before it is full. While any operator reports 0 the runner polls no source and
   * drains no iteration feedback; otherwise it asks a source for at most this many records per
   * poll. Elements that arrive beyond it anyway (a flatMap upstream fans out) are held by the
   * operator, bounded by one poll's output. Absent: the operator never applies backpressure.
   */
  capacityLeft?(): number;
  /** Emits what asynchronous work has completed (the runner calls it after `requestAsyncWork`). */
  processAsyncWork?(): void;
  /** True while the operator still waits for asynchronous work: the job does not end before. */
  hasPendingAsyncWork?(): boolean;
  snapshotState?(checkpointId: number): OperatorSnapshot;
  restoreState?(state: RestoredState): void;
  /** Event-time position for checkpoints (see {@link TimeState}). */
  snapshotTime?(): TimeState | undefined;
  /** Called before `open` on restore. */
  restoreTime?(time: TimeState): void;
  notifyCheckpointComplete?(checkpointId: number): void | Promise<void>;
  /** After the whole job ended: final commit of sinks (awaited). */
  finish?(): void | Promise<void>;
  close?(): void | Promise<void>;
}

export type { KeyedStateBackend };
