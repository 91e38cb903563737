/**
 * The on-disk checkpoint format (version 1).
 *
 * ```
 * <dir>/
 *   LATEST                   name of the newest complete checkpoint (written tmp + fsync + rename)
 *   chk-0000000042/          one complete checkpoint (written as .chk-0000000042.tmp, renamed)
 *     manifest               "WEIR-CHECKPOINT 1 <sha256 of body>\n" + JSON body
 *     op-0.bin ... op-N.bin  one file per stateful operator: its parts back to back
 * ```
 *
 * The manifest lists every file with its size and SHA-256 and every part (key group, operator
 * state, sink committable, source position) with its offset and length, so a torn or bit-flipped
 * checkpoint is always detected before anything is restored from it.
 */

export const FORMAT_VERSION = 1;
export const MANIFEST_MAGIC = 'WEIR-CHECKPOINT';
export const LATEST_POINTER = 'LATEST';

/** One serialised piece of an operator's state inside its file. */
export interface PartRef {
  readonly kind: 'keyGroup' | 'operator' | 'committable' | 'position' | 'time';
  readonly keyGroup?: number;
  readonly offset: number;
  readonly length: number;
}

/** State of one operator (or source) in a checkpoint. */
export interface OperatorEntry {
  readonly uid: string;
  readonly name: string;
  readonly file: string;
  readonly maxParallelism?: number;
  readonly parts: readonly PartRef[];
}

/** The manifest body. */
export interface Manifest {
  readonly formatVersion: number;
  readonly checkpointId: number;
  readonly jobName: string;
  readonly timestamp: number;
  readonly operators: readonly OperatorEntry[];
  readonly files: Readonly<Record<string, { readonly bytes: number; readonly sha256: string }>>;
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
