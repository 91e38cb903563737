/**
 * The on-disk checkpoint format (version 3; versions 1 and 2 are still read).
 *
 * ```
 * <dir>/
 *   LOCK                     the job using the directory: pid, host, process start, job name
 *   LATEST                   name of the newest complete checkpoint (a hint; tmp + fsync + rename)
 *   COMMITTED, COMMITTED.copy  the commit record (two checksummed copies): the checkpoints whose
 *                            output the sinks committed, with records per sink (commit-record.ts)
 *   shared/                  keyed state, one file per keyed operator per checkpoint that wrote
 *     42-0-1f9c2ab0.bin      any: its key groups' segments back to back (full, or deltas of
 *                            what changed since the previous checkpoint); a file stays while a
 *                            retained checkpoint refers to it
 *   chk-0000000042/          one complete checkpoint (written as .chk-0000000042.tmp, renamed)
 *     manifest               "WEIR-CHECKPOINT 3 <sha256 of body>\n" + JSON body
 *     manifest.copy          the same bytes again
 *     small.bin              every other part of every operator: operator state, sink
 *     small.copy.bin         committables, source positions, event time; and its copy
 * ```
 *
 * The manifest lists every file the checkpoint reads, its own and the shared ones (paths relative
 * to the checkpoint directory, `../shared/<name>`), with its size and SHA-256 (and the name of its
 * copy, if it has one), and every part (key-group segment, operator state, sink committable,
 * source position) with its file, offset and length, so a torn, bit-flipped or missing file is
 * always detected before anything is restored from it. A key group's parts are its chain: its
 * last full segment (`full: true`), then the deltas after it, oldest first (state/segment.ts).
 * Everything restore needs but the keyed state is small and kept twice: one damaged copy is read
 * from the other, with a logged warning. Keyed state can be large, so it is kept once: damaged
 * keyed state makes every checkpoint that refers to it unusable.
 *
 * A savepoint (savepoint.ts) is a checkpoint directory that holds all its files itself: no
 * `../shared/` paths, so it can be copied anywhere and restored from there.
 *
 * Version 2 kept each keyed operator's state in `op-i.bin` inside the checkpoint directory, full
 * segments only. Version 1 had one manifest and put all parts of an operator in its `op-i.bin`
 * (`OperatorEntry.file`); its parts have no `file`. Versions above 3 are refused as unusable
 * ({@link CheckpointCorruptError}, naming the versions this weir reads).
 */

export const FORMAT_VERSION = 3;
export const SUPPORTED_FORMAT_VERSIONS: readonly number[] = [1, 2, 3];
export const MANIFEST_MAGIC = 'WEIR-CHECKPOINT';
export const MANIFEST_FILE = 'manifest';
export const MANIFEST_COPY = 'manifest.copy';
export const SMALL_STATE_FILE = 'small.bin';
export const SMALL_STATE_COPY = 'small.copy.bin';
export const LATEST_POINTER = 'LATEST';
/** The directory of keyed-state files that several checkpoints share. */
export const SHARED_DIR = 'shared';
/** How a checkpoint's manifest names a shared file. */
export const SHARED_PREFIX = `../${SHARED_DIR}/`;

/**
 * One serialised piece of an operator's state inside a file.
 *
 * @example
 * ```ts
 * const part: PartRef = { kind: 'keyGroup', keyGroup: 17, file: '../shared/42-0-9f3c01aa.bin', offset: 0, length: 512, full: true };
 * ```
 */
export interface PartRef {
  readonly kind: 'keyGroup' | 'operator' | 'committable' | 'position' | 'time';
  readonly keyGroup?: number;
  /** The file holding the part (versions 2, 3); version 1: the operator's `file`. */
  readonly file?: string;
  /** Version 3 key groups: the part is a full segment, where its key group's chain starts. */
  readonly full?: boolean;
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

/**
 * One operator of the job that wrote a checkpoint (stateful or not): its identity.
 *
 * @example
 * ```ts
 * const op: JobOperator = { uid: 'sums', kind: 'keyed-aggregation' };
 * ```
 */
export interface JobOperator {
  readonly uid: string;
  readonly kind: string;
}

/**
 * Records one transactional sink received since the previous checkpoint: what committing this one makes visible.
 *
 * @example
 * ```ts
 * const commit: SinkCommit = { uid: 'out', name: 'File Sink', records: 120 };
 * ```
 */
export interface SinkCommit {
  readonly uid: string;
  readonly name: string;
  readonly records: number;
}

/**
 * A file of the checkpoint; `copy` names its second copy (same bytes) when it has one.
 *
 * @example
 * ```ts
 * const entry: FileEntry = { bytes: 1024, sha256: '9f86d0...', copy: 'small.copy.bin' };
 * ```
 */
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
  /** Version 3: a savepoint, whose files are all in its own directory. */
  readonly savepoint?: boolean;
}

/** @internal Directory name of checkpoint `id`. */
export function checkpointDirName(id: number): string {
  return `chk-${String(id).padStart(10, '0')}`;
}

/** @internal Whether a manifest's file name is one a checkpoint may refer to: its own file, or a shared one. */
export function isValidFileRef(file: string): boolean {
  const name = file.startsWith(SHARED_PREFIX) ? file.slice(SHARED_PREFIX.length) : file;
  return name !== '' && !name.includes('/') && !name.includes('\\') && name !== '.' && name !== '..';
}

/** @internal */
export function parseCheckpointDirName(name: string): number | undefined {
  const m = /^chk-(\d{10})$/.exec(name);
  return m ? Number(m[1]) : undefined;
}
