/**
 * The lock of a checkpoint directory: one job at a time writes checkpoints into a directory
 * (two would delete each other's temporary checkpoints and overwrite each other's `chk-N`).
 *
 * `LOCK` holds JSON `{ pid, hostname, processStart, startedAt, jobName, token }`. It is created
 * exclusively and complete: the content is written and fsynced to a temporary file that is then
 * hard-linked to `LOCK` (the link fails if `LOCK` exists; where hard links are not supported, an
 * O_EXCL create). A `LOCK` that exists belongs to:
 * - a live process on this host: the directory is in use, CheckpointDirectoryLockedError;
 * - a dead pid, or a pid now used by another process (its start time, from /proc, differs):
 *   stale, left by a killed job; taken over with a logged warning. The takeover itself is
 *   serialised by `LOCK.takeover` (created the same way), and `LOCK` is removed only if it still
 *   holds the stale owner's token, so two jobs restarting at once do not both take it;
 * - another host: not checkable from here, refused; the message says how to remove it.
 *
 * The holder releases it on every way out of `execute()`, and on process exit; it checks before
 * each checkpoint that the lock is still its own (someone removing it by hand, or a takeover by
 * mistake, stops the job instead of letting two jobs write).
 * @internal
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, promises as fs, unlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { CheckpointDirectoryLockedError } from '../errors.js';
import type { CheckpointLogger } from './directory-storage.js';
import { writeFileDurably } from './durable-files.js';

export const LOCK_FILE = 'LOCK';
const TAKEOVER_FILE = 'LOCK.takeover';
const ATTEMPTS = 20;

/** The content of a lock file. */
export interface LockOwner {
  readonly pid: number;
  readonly hostname: string;
  /** The process's start time as the kernel tells it (Linux: /proc/<pid>/stat field 22); pid reuse detection. */
  readonly processStart?: string;
  readonly startedAt: string;
  readonly jobName: string;
  readonly token: string;
}

/** The start time of process `pid`, where the platform tells it (Linux); undefined elsewhere. */
async function processStart(pid: number): Promise<string | undefined> {
  try {
    const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: count after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

type Liveness = 'alive' | 'dead' | 'reused' | 'other-host';

async function liveness(owner: LockOwner): Promise<Liveness> {
  if (owner.hostname !== hostname()) return 'other-host';
  try {
    process.kill(owner.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return 'dead';
  }
  if (owner.processStart === undefined) return 'alive';
  const now = await processStart(owner.pid);
  return now !== undefined && now !== owner.processStart ? 'reused' : 'alive';
}

/** Creates `path` with `content`, failing with EEXIST if it exists; never leaves it half-written. */
async function createExclusive(path: string, content: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
  await writeFileDurably(tmp, [Buffer.from(content)]);
  try {
    await fs.link(tmp, path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS')) throw e;
    // No hard links here: an exclusive create (the content follows at once).
    const h = await fs.open(path, 'wx');
    try {
      await h.writeFile(content);
      await h.sync();
    } finally {
      await h.close();
    }
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

/** The owner named in a lock file; undefined if there is none; 'unreadable' if it is garbage. */
async function readOwner(path: string): Promise<LockOwner | undefined | 'unreadable'> {
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const o = JSON.parse(text) as LockOwner;
    return Number.isInteger(o.pid) && o.pid > 0 && typeof o.hostname === 'string' && typeof o.token === 'string' ? o : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

const describeOwner = (o: LockOwner) => `job '${o.jobName}' (pid ${o.pid} on host '${o.hostname}', started ${o.startedAt})`;

/**
 * The lock a running job holds on its checkpoint directory.
 *
 * @example
 * ```ts
 * const lock = await DirectoryLock.acquire('./checkpoints', 'prices', console);
 * try { await run(); } finally { await lock.release(); }
 * ```
 */
export class DirectoryLock {
  private released = false;
  private readonly onExit = (): void => this.releaseSync();

  private constructor(
    readonly dir: string,
    readonly owner: LockOwner,
  ) {
    process.once('exit', this.onExit);
  }

  get file(): string {
    return join(this.dir, LOCK_FILE);
  }

  /** Takes the lock of `dir` (which must exist) for `jobName`, taking over a stale one. */
  static async acquire(dir: string, jobName: string, logger: CheckpointLogger): Promise<DirectoryLock> {
    const me: LockOwner = {
      pid: process.pid,
      hostname: hostname(),
      processStart: await processStart(process.pid),
      startedAt: new Date().toISOString(),
      jobName,
      token: randomUUID(),
    };
    const file = join(dir, LOCK_FILE);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      try {
        await createExclusive(file, JSON.stringify(me));
        return new DirectoryLock(dir, me);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        // ENOENT: the holder removed our temporary file as a leftover; the lock is taken.
        if (code !== 'EEXIST' && code !== 'ENOENT') throw e;
      }
      const owner = await readOwner(file);
      if (owner === undefined) continue; // released meanwhile: try again
      if (owner === 'unreadable') {
        throw new CheckpointDirectoryLockedError(
          { dir, lockFile: file },
          `Checkpoint directory '${dir}' is locked by '${file}', which cannot be read. If no job uses this directory, delete '${file}' and start again.`,
        );
      }
      const state = await liveness(owner);
      if (state === 'alive' || state === 'other-host') {
        const details = { dir, lockFile: file, ownerPid: owner.pid, ownerHostname: owner.hostname, ownerJobName: owner.jobName };
        const fix =
          state === 'alive'
            ? `Give each job its own checkpointing.dir, or stop that job first.`
            : `weir cannot tell from here whether that process still runs. If it does not, delete '${file}' and start again; else give each job its own checkpointing.dir.`;
        throw new CheckpointDirectoryLockedError(details, `Checkpoint directory '${dir}' is in use by ${describeOwner(owner)} (lock file '${file}'). ${fix}`);
      }
      await takeOver(dir, owner, state, me, logger);
    }
    throw new CheckpointDirectoryLockedError({ dir, lockFile: file }, `Could not take the lock '${file}' of checkpoint directory '${dir}' in ${ATTEMPTS} attempts: other jobs keep taking it.`);
  }

  /** Throws if the lock file is no longer this job's. */
  async verify(): Promise<void> {
    const now = await readOwner(this.file);
    if (now !== undefined && now !== 'unreadable' && now.token === this.owner.token) return;
    const who = now === undefined ? 'it was removed' : now === 'unreadable' ? 'it was overwritten' : `it now names ${describeOwner(now)}`;
    throw new CheckpointDirectoryLockedError(
      { dir: this.dir, lockFile: this.file, ...(typeof now === 'object' ? { ownerPid: now.pid, ownerHostname: now.hostname, ownerJobName: now.jobName } : {}) },
      `Job '${this.owner.jobName}' no longer holds the lock '${this.file}' of its checkpoint directory (${who}); stopping so that two jobs do not write the same directory.`,
    );
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    process.removeListener('exit', this.onExit);
    const now = await readOwner(this.file).catch(() => undefined);
    if (typeof now === 'object' && now.token === this.owner.token) await fs.rm(this.file, { force: true });
  }

  private releaseSync(): void {
    if (this.released) return;
    this.released = true;
    try {
      if ((JSON.parse(readFileSync(this.file, 'utf8')) as LockOwner).token === this.owner.token) unlinkSync(this.file);
    } catch {
      // gone or not ours: nothing to release
    }
  }
}

/** Removes a stale `LOCK` (if it still is that stale one), serialised by `LOCK.takeover`. */
async function takeOver(dir: string, stale: LockOwner, state: Liveness, me: LockOwner, logger: CheckpointLogger): Promise<void> {
  const file = join(dir, LOCK_FILE);
  const mutex = join(dir, TAKEOVER_FILE);
  try {
    await createExclusive(mutex, JSON.stringify(me));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    const other = await readOwner(mutex);
    // A takeover by a process that died meanwhile would block the directory for good.
    if (other === 'unreadable' || (other !== undefined && (await liveness(other)) !== 'alive' && other.hostname === me.hostname)) {
      await fs.rm(mutex, { force: true });
    } else {
      await new Promise((r) => setTimeout(r, 20));
    }
    return;
  }
  try {
    const still = await readOwner(file);
    if (typeof still === 'object' && still.token === stale.token) {
      const why = state === 'dead' ? `pid ${stale.pid} is no longer running` : `pid ${stale.pid} now belongs to another process (different start time)`;
      logger.warn(`Taking over the lock '${file}' of ${describeOwner(stale)}: ${why}, so it was left by a job that was killed.`);
      await fs.rm(file, { force: true });
    }
  } finally {
    await fs.rm(mutex, { force: true });
  }
}
