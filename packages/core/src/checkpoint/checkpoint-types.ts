/**
 * What checkpoint storages hand back: checkpoints written, loaded and skipped.
 * @internal
 */
import type { CheckpointCorruptError } from '../errors.js';
import type { KeyedChain, RestoredOperator } from './checkpoint-codec.js';
import type { JobOperator, SinkCommit } from './checkpoint-format.js';

/**
 * Where checkpoint lifecycle messages go.
 *
 * @example
 * ```ts
 * const storage = new DirectoryCheckpointStorage('./checkpoints', { logger: { info: () => {}, warn: (m) => console.warn(m) } });
 * ```
 */
export interface CheckpointLogger {
  info(message: string): void;
  warn(message: string): void;
}

/**
 * A checkpoint read back from storage.
 *
 * @example
 * ```ts
 * const cp: LoadedCheckpoint | undefined = await storage.latest();
 * if (cp) console.log(cp.checkpointId, cp.jobName, cp.path, [...cp.operators.keys()]);
 * ```
 */
export interface LoadedCheckpoint {
  readonly checkpointId: number;
  readonly path: string;
  readonly jobName: string;
  /** The manifest's format version. */
  readonly formatVersion: number;
  /** True for a savepoint (all its files in its own directory). */
  readonly savepoint: boolean;
  /** Every operator (uid and kind) of the job that wrote it; undefined for format version 1. */
  readonly jobOperators?: readonly JobOperator[];
  /** Records each sink commits with this checkpoint; undefined for format version 1 (not recorded). */
  readonly sinkRecords?: readonly SinkCommit[];
  readonly operators: ReadonlyMap<string, RestoredOperator>;
}

/**
 * What a checkpoint records about the job besides its state.
 *
 * @example
 * ```ts
 * await storage.write(7, 'prices', operators, { operators: [{ uid: 'sums', kind: 'keyed-aggregation' }], sinkRecords: [] });
 * ```
 */
export interface CheckpointJobInfo {
  /** Every operator (uid and kind) of the job, to recognise it on restore. */
  readonly operators?: readonly JobOperator[];
  /** Records each transactional sink commits with this checkpoint. */
  readonly sinkRecords?: readonly SinkCommit[];
}

/**
 * A checkpoint `latest` passed over, and why.
 *
 * @example
 * ```ts
 * const { loaded, skipped } = await storage.scan();
 * for (const s of skipped) console.warn(s.checkpointId, s.error.file);
 * ```
 */
export interface SkippedCheckpoint {
  readonly checkpointId: number;
  readonly path: string;
  readonly error: CheckpointCorruptError;
}

/**
 * Result of a completed write.
 *
 * @example
 * ```ts
 * const written = await storage.write(7, 'prices', operators);
 * console.log(written.path, written.bytes, written.stateBytes);
 * ```
 */
export interface WrittenCheckpoint {
  readonly checkpointId: number;
  readonly path: string;
  /** Bytes this checkpoint wrote (new files only: a delta refers to earlier ones). */
  readonly bytes: number;
  /** Bytes of the state it holds (every file it refers to, small state counted once). */
  readonly stateBytes: number;
  /** Bytes written per operator uid. */
  readonly operators: Readonly<Record<string, number>>;
  /** Each keyed operator's chains in this checkpoint (the base of the next delta). */
  readonly keyed: ReadonlyMap<string, KeyedChain>;
}
