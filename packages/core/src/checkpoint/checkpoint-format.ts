/**
 * The on-disk checkpoint format (version 2; version 1 is still read).
 *
 * ```
 * <dir>/
 *   LOCK                     the job using the directory: pid, host, process start, job name
 *   LATEST                   name of the newest complete checkpoint (a hint; tmp + fsync + rename)
 *   COMMITTED, COMMITTED.copy  the commit record (two checksummed copies): the checkpoints whose
 *                            output the sinks committed, with records per sink (commit-record.ts)
 *   chk-0000000042/          one complete checkpoint (written as .chk-0000000042.tmp, renamed)
 *     manifest               "WEIR-CHECKPOINT 2 <sha256 of body>\n" + JSON body
 *     manifest.copy          the same bytes again
 *     op-0.bin ... op-N.bin  keyed state (key groups back to back) of each keyed operator
 *     small.bin              every other part of every operator: operator state, sink
 *     small.copy.bin         committables, source positions, event time; and its copy
 * ```
 *
 * The manifest lists every file with its size and SHA-256 (and the name of its copy, if it has
 * one) and every part (key group, operator state, sink committable, source position) with its
 * file, offset and length, so a torn or bit-flipped checkpoint is always detected before
 * anything is restored from it. Everything restore needs but the keyed state is small and kept
 * twice: one damaged copy is read from the other, with a logged warning. Keyed state can be
 * large, so it is kept once: damaged keyed state makes the checkpoint unusable.
 *
 * Version 1 had one manifest and put all parts of an operator in its `op-i.bin`
 * (`OperatorEntry.file`); its parts have no `file`.
 */

export const FORMAT_VERSION = 2;
export const SUPPORTED_FORMAT_VERSIONS: readonly number[] = [1, 2];
export const MANIFEST_MAGIC = 'WEIR-CHECKPOINT';
export const MANIFEST_FILE = 'manifest';
export const MANIFEST_COPY = 'manifest.copy';
export const SMALL_STATE_FILE = 'small.bin';
export const SMALL_STATE_COPY = 'small.copy.bin';
export const LATEST_POINTER = 'LATEST';

/** One serialised piece of an operator's state inside a file. */
export interface PartRef {
  readonly kind: 'keyGroup' | 'operator' | 'committable' | 'position' | 'time';
  readonly keyGroup?: number;
  /** The file holding the part (version 2); version 1: the operator's `file`. */
  readonly file?: string;
  readonly offset: number;
  readonly length: number;
}

/** State of one operator (or source) in a checkpoint. */
export interface OperatorEntry {
  readonly uid: string;
  readonly name: string;
  /** Version 1 only: the file of all the operator's parts. */
  readonly file?: string;
  readonly maxParallelism?: number;
  readonly parts: readonly PartRef[];
}

/** One operator of the job that wrote a checkpoint (stateful or not): its identity. */
export interface JobOperator {
  readonly uid: string;
  readonly kind: string;
}

/** Records one transactional sink received since the previous checkpoint: what committing this one makes visible. */
export interface SinkCommit {
  readonly uid: string;
  readonly name: string;
  readonly records: number;
}

/** A file of the checkpoint; `copy` names its second copy (same bytes) when it has one. */
export interface FileEntry {
  readonly bytes: number;
  readonly sha256: string;
  readonly copy?: string;
}

/** The manifest body. */
export interface Manifest {
  readonly formatVersion: number;
  readonly checkpointId: number;
  readonly jobName: string;
  readonly timestamp: number;
  /** Every operator of the job that wrote it (version 2), to recognise the job on restore. */
  readonly job?: { readonly operators: readonly JobOperator[] };
  readonly operators: readonly OperatorEntry[];
  readonly files: Readonly<Record<string, FileEntry>>;
  /** What the sinks commit with this checkpoint (version 2; only sinks that received records). */
  readonly sinkRecords?: readonly SinkCommit[];
}

/** @internal Directory name of checkpoint `id`. */
export function checkpointDirName(id: number): string {
  return `chk-${String(id).padStart(10, '0')}`;
}

/** @internal */
export function parseCheckpointDirName(name: string): number | undefined {
  const m = /^chk-(\d{10})$/.exec(name);
  return m ? Number(m[1]) : undefined;
}
