/**
 * Opening a checkpoint directory for a job: create it if needed, take its lock. A directory that
 * cannot be used is a ConfigError that names it, the real cause and the fix, found by looking at
 * the nearest existing ancestor (a recursive mkdir may report a missing parent, "ENOENT", where
 * the cause is a read-only parent or a file in the way).
 * @internal
 */
import { constants, promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError, WeirError } from '../errors.js';
import { DirectoryLock } from './directory-lock.js';
import type { CheckpointLogger } from './directory-storage.js';

/** Creates `dir` if needed and takes its lock for `jobName`. */
export async function openCheckpointDirectory(dir: string, jobName: string, logger: CheckpointLogger): Promise<DirectoryLock> {
  try {
    await fs.mkdir(dir, { recursive: true });
    return await DirectoryLock.acquire(dir, jobName, logger);
  } catch (e) {
    if (e instanceof WeirError || (e as NodeJS.ErrnoException).syscall === undefined) throw e;
    throw await unusableDirectory(dir, e as NodeJS.ErrnoException);
  }
}

/** The nearest path at or above `path` that exists, with whether it is a directory. */
async function nearestExisting(path: string): Promise<{ path: string; isDirectory: boolean } | undefined> {
  for (let p = path; ; p = dirname(p)) {
    try {
      return { path: p, isDirectory: (await fs.stat(p)).isDirectory() };
    } catch {
      if (dirname(p) === p) return undefined;
    }
  }
}

async function unusableDirectory(dir: string, error: NodeJS.ErrnoException): Promise<ConfigError> {
  const found = await nearestExisting(dir);
  let code = error.code;
  let where = found?.path ?? dir;
  if (found && !found.isDirectory) code = 'ENOTDIR';
  else if (found) {
    try {
      await fs.access(found.path, constants.W_OK | constants.X_OK);
    } catch (e) {
      code = (e as NodeJS.ErrnoException).code ?? code;
    }
    // The directory may exist and be writable while a file in it is the problem (e.g. LOCK).
    if (code === error.code && error.path) where = error.path;
  }
  const uid = process.getuid?.();
  const [cause, fix] =
    code === 'ENOTDIR'
      ? [`'${where}' is not a directory (ENOTDIR)`, `Set checkpointing.dir to a path with no file on the way (e.g. checkpointing: { dir: './checkpoints' }), or move '${where}' away.`]
      : code === 'EACCES' || code === 'EPERM'
        ? [
            `this process${uid === undefined ? '' : ` (uid ${uid})`} may not create files in '${where}' (${code})`,
            `Make '${where}' writable for this user (chown or chmod), or set checkpointing.dir to a writable directory.`,
          ]
        : code === 'EROFS'
          ? [`'${where}' is on a read-only file system (EROFS)`, `Mount it read-write, or set checkpointing.dir to a directory on a writable volume.`]
          : code === 'ENOSPC' || code === 'EDQUOT'
            ? [`no space left for '${where}' (${code})`, `Free some space, or set checkpointing.dir to a writable directory on another volume.`]
            : [`${error.message} (${code})`, `Set checkpointing.dir to a writable directory.`];
  return new ConfigError(`Checkpoint directory '${dir}' cannot be used: ${cause}. ${fix}`, { cause: error });
}
