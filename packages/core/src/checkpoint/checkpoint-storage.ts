/**
 * Where a job's checkpoints go: the interface between the runtime and a storage. The embedded
 * default is a directory ({@link DirectoryCheckpointStorage}, directory-storage.ts), which may
 * be on a file system several processes share. Another storage (an object store) implements the
 * same few calls; what it must guarantee is listed on each, and docs/operations.md says how the
 * directory does it.
 */
import type { CheckpointJobInfo, LoadedCheckpoint, SkippedCheckpoint, WrittenCheckpoint } from './checkpoint-types.js';
import type { OperatorStateToWrite } from './checkpoint-codec.js';
import type { CommitHistory } from './commit-record.js';
import type { SinkCommit } from './checkpoint-format.js';
import type { KeyGroupRange } from '../state/key-groups.js';

/**
 * What to read of a checkpoint.
 *
 * @example
 * ```ts
 * const firstHalf = await storage.load('./checkpoints/chk-0000000042', { keyGroups: { start: 0, end: 64 } });
 * ```
 */
export interface LoadOptions {
  /** Only the keyed state of these key groups (others are neither read nor restored). */
  readonly keyGroups?: KeyGroupRange;
}

/**
 * The checkpoint storage of a job.
 *
 * @example
 * ```ts
 * const storage: CheckpointStorage = new DirectoryCheckpointStorage('/mnt/shared/checkpoints/prices', { retain: 5 });
 * const env = StreamEnvironment.create({ checkpointing: { intervalMs: 1000, storage } });
 * ```
 */
export interface CheckpointStorage {
  /** Where the checkpoints are (for messages): a directory path, a bucket URL. */
  readonly location: string;
  /**
   * Prepares the storage for a job before anything is read or written: creates it, makes sure no
   * other job writes it (the directory's lock), removes what crashed attempts left. The returned
   * function releases it; it runs on every way out of the job.
   */
  open(jobName: string): Promise<() => Promise<void>>;
  /**
   * Writes checkpoint `checkpointId` durably. When the promise resolves the checkpoint is
   * complete: a crash from then on restores it (or a newer one); before, the previous complete
   * checkpoints are untouched. Keyed state that is a delta refers to files of earlier
   * checkpoints (`keyed.base`): they must stay until no retained checkpoint refers to them.
   */
  write(checkpointId: number, jobName: string, operators: readonly OperatorStateToWrite[], job?: CheckpointJobInfo): Promise<WrittenCheckpoint>;
  /** The newest valid checkpoint (if any) and the newer ones passed over as unusable, newest first. */
  scan(): Promise<{ loaded: LoadedCheckpoint | undefined; skipped: SkippedCheckpoint[] }>;
  /** Reads and verifies one checkpoint; a damaged one is a {@link CheckpointCorruptError}. */
  load(path: string, options?: LoadOptions): Promise<LoadedCheckpoint>;
  /** Whether `path` is a checkpoint of this storage. */
  contains(path: string): boolean;
  /** Whether a delta written here may refer to the keyed-state files of `checkpoint` (same storage, shared files). */
  canExtend(checkpoint: LoadedCheckpoint): boolean;
  /** The highest checkpoint id the storage has seen (valid or not, committed or gone): new ids go above it. */
  highestId(): Promise<number>;
  /** Which checkpoints' output the sinks committed (commit-record.ts). */
  commitHistory(): Promise<CommitHistory>;
  /** Records durably, before the sinks commit, that checkpoint `checkpointId` is being committed. */
  recordCommit(checkpointId: number, jobName: string, sinks: readonly SinkCommit[] | null): Promise<void>;
}
