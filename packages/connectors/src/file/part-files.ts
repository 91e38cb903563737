/**
 * Names and lifecycle of the part files a {@link FileSink} writes. A part file goes through
 * three names, all in the sink's directory:
 *
 * ```
 * .part-<writer>-<n>.inprogress     being written (hidden: readers skip dot-files)
 * .part-<checkpoint>-<seq>.pending  sealed at the checkpoint barrier: flushed, fsynced, renamed
 * part-<checkpoint>-<seq>           committed once the checkpoint is durable (visible)
 * ```
 *
 * The visible name depends only on the checkpoint id and the sequence number inside it, so a
 * commit that is repeated after a restore renames the same pending file to the same name, or
 * finds it already committed: idempotent. Checkpoint ids are zero-padded, so `ls` order is
 * output order. A job without checkpoints seals its only transaction as `part-end-<seq>`.
 * @internal
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { CheckpointError } from '@weir/core';

/**
 * What a FileSink hands to the runtime at a checkpoint: its sealed, still hidden files.
 *
 * @example
 * ```ts
 * // what a FileSink writer hands over at checkpoint 7: hidden files, and their visible names
 * const c: FileCommittable = { checkpointId: 7, files: [{ pending: 'out/.part-0000000007-0.pending', final: 'out/part-0000000007-0' }] };
 * ```
 */
export interface FileCommittable {
  readonly checkpointId: number;
  readonly files: ReadonlyArray<{ readonly pending: string; readonly final: string }>;
}

/** @internal */
export function checkpointLabel(checkpointId: number): string {
  return checkpointId < 0 ? 'end' : String(checkpointId).padStart(10, '0');
}

/** @internal */
export function pendingName(prefix: string, checkpointId: number, seq: number): string {
  return `.${prefix}-${checkpointLabel(checkpointId)}-${seq}.pending`;
}

/** @internal */
export function finalName(prefix: string, checkpointId: number, seq: number, suffix: string): string {
  return `${prefix}-${checkpointLabel(checkpointId)}-${seq}${suffix}`;
}

/** @internal */
export function inProgressName(prefix: string, writer: string, n: number): string {
  return `.${prefix}-${writer}-${n}.inprogress`;
}

/** True for hidden files of this sink (in progress or pending). @internal */
export function isHiddenPart(prefix: string, name: string): boolean {
  return name.startsWith(`.${prefix}-`) && (name.endsWith('.inprogress') || name.endsWith('.pending'));
}

/** @internal */
export async function fsyncDir(dir: string): Promise<void> {
  const h = await fs.open(dir, 'r');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

/**
 * Makes the pending files of `committables` visible. Idempotent: a file already renamed is
 * skipped; a file that is neither pending nor visible means committed output was lost (someone
 * removed it), which is an error, never ignored.
 * @internal
 */
export async function commitParts(dir: string, committables: readonly FileCommittable[]): Promise<void> {
  let renamed = false;
  for (const c of committables) {
    for (const f of c.files) {
      try {
        await fs.rename(join(dir, f.pending), join(dir, f.final));
        renamed = true;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        const done = await fs.stat(join(dir, f.final)).then(
          () => true,
          () => false,
        );
        if (!done) {
          throw new CheckpointError(
            `FileSink '${dir}': part file ${f.pending} of checkpoint ${c.checkpointId} is neither pending nor committed as ${f.final}; the output of that checkpoint is gone`,
            c.checkpointId,
          );
        }
      }
    }
  }
  if (renamed) await fsyncDir(dir);
}

/**
 * Deletes hidden files left by attempts that did not complete: everything in progress, and
 * every pending file that is not to be committed (`keep`).
 * @internal
 */
export async function discardUncommitted(dir: string, prefix: string, keep: ReadonlySet<string>): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const removed: string[] = [];
  for (const n of names) {
    if (!isHiddenPart(prefix, n) || keep.has(n)) continue;
    await fs.rm(join(dir, n), { force: true });
    removed.push(n);
  }
  if (removed.length > 0) await fsyncDir(dir);
  return removed;
}
