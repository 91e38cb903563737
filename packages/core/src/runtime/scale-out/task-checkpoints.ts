/**
 * Where a task's checkpoints live in the shared checkpoint storage, and which one a task restores
 * when an instance acquires it. This is the one seam between scale-out and checkpoint storage:
 * when the storage interface of issue #17 lands, this file moves onto it.
 *
 * Layout: `<checkpointing.dir>/<job>/<task>/e<epoch>/` holds the checkpoints the owner of that
 * epoch wrote (an ordinary checkpoint directory, with its lock and commit record) and a `BASE`
 * file naming the checkpoint that owner restored (or none), written before it did anything else.
 *
 * Choice for epoch E: the epochs below E, newest first; the first that has a valid checkpoint
 * gives its newest one; one without checkpoints but with a `BASE` gives that `BASE` (its owner
 * started from there and committed nothing beyond it, since it never completed a checkpoint);
 * an epoch with neither never started and is skipped. A paused old owner (a zombie) can still
 * write checkpoints into its own epoch's directory, but once a newer epoch wrote its `BASE`
 * they are never chosen: the history of a task is one chain.
 *
 * Example: e3 has chk-12 and chk-13, e4 has only BASE = e3/chk-13 (its owner died before its
 * first checkpoint), e5 is being acquired: e4's BASE wins, e3/chk-13 is restored; a chk-14 that
 * e3's paused owner wrote afterwards is ignored.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { chooseRestore } from '../../checkpoint/restore-choice.js';
import { DirectoryCheckpointStorage } from '../../checkpoint/directory-storage.js';
import { replaceFilesDurably } from '../../checkpoint/durable-files.js';
import type { JobGraph } from '../../contract/plan.js';
import { CheckpointError } from '../../errors.js';

const BASE_FILE = 'BASE';

/** Where a task writes and what it restores. */
export interface TaskCheckpointLocation {
  /** The epoch's checkpoint directory. */
  readonly dir: string;
  /** The checkpoint to restore, or undefined for a fresh start. */
  readonly restoreFrom: string | undefined;
}

interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

/** The directory of all epochs of a task. */
export function taskDirectory(base: string, jobName: string, taskId: string): string {
  return join(base, encodeURIComponent(jobName), taskId);
}

const epochDirName = (epoch: number) => `e${String(epoch).padStart(10, '0')}`;
const parseEpochDirName = (name: string) => (/^e(\d{10})$/.test(name) ? Number(name.slice(1)) : undefined);

/** The job name a task's checkpoints are written under. */
export const taskJobName = (jobName: string, taskId: string) => `${jobName} task ${taskId}`;

/**
 * Chooses the checkpoint epoch `epoch` of a task starts from and records the choice (`BASE`).
 *
 * @example
 * ```ts
 * const where = await prepareTaskCheckpoints({ base: '/shared/ck', jobName: 'j', taskId: '0_3', epoch: 5, graph, logger });
 * ```
 */
export async function prepareTaskCheckpoints(r: {
  readonly base: string;
  readonly jobName: string;
  readonly taskId: string;
  readonly epoch: number;
  /** The task's graph (to recognise its checkpoints). */
  readonly graph: JobGraph;
  readonly logger: Logger;
  /** Negative control: start every task from scratch (state and offsets lost). */
  readonly skipRestore?: boolean;
}): Promise<TaskCheckpointLocation> {
  const root = taskDirectory(r.base, r.jobName, r.taskId);
  const dir = join(root, epochDirName(r.epoch));
  const restoreFrom = r.skipRestore ? undefined : await choose(root, r);
  await fs.mkdir(dir, { recursive: true });
  // Atomic (tmp + rename): a BASE is either whole or absent.
  await replaceFilesDurably([{ path: join(dir, BASE_FILE), data: Buffer.from(JSON.stringify({ restoreFrom: restoreFrom ?? null, epoch: r.epoch })) }]);
  return { dir, restoreFrom };
}

async function choose(root: string, r: Parameters<typeof prepareTaskCheckpoints>[0]): Promise<string | undefined> {
  let names: string[];
  try {
    names = await fs.readdir(root);
  } catch {
    return undefined;
  }
  const epochs = names
    .map(parseEpochDirName)
    .filter((e): e is number => e !== undefined && e < r.epoch)
    .sort((a, b) => b - a);
  const jobName = taskJobName(r.jobName, r.taskId);
  for (const e of epochs) {
    const dir = join(root, epochDirName(e));
    const storage = new DirectoryCheckpointStorage(dir, 1, r.logger);
    const loaded = await chooseRestore({
      restore: 'latest',
      storage,
      jobName,
      jobOperators: r.graph.nodes.map((n) => ({ uid: n.uid, kind: n.kind })),
      logger: r.logger,
    });
    if (loaded !== undefined) return loaded.path;
    const base = await readBase(dir);
    if (base !== undefined) return base ?? undefined;
  }
  return undefined;
}

/** The checkpoint an epoch started from: a path, null for a fresh start, undefined when the epoch never started. */
async function readBase(dir: string): Promise<string | null | undefined> {
  let text: string;
  try {
    text = await fs.readFile(join(dir, BASE_FILE), 'utf8');
  } catch {
    return undefined;
  }
  let parsed: { restoreFrom?: unknown };
  try {
    parsed = JSON.parse(text) as { restoreFrom?: unknown };
  } catch (e) {
    throw new CheckpointError(`The BASE file of '${dir}' is damaged (${(e as Error).message}); which checkpoint this task's history continues from is unknown`, undefined, { cause: e });
  }
  if (parsed.restoreFrom !== null && typeof parsed.restoreFrom !== 'string') throw new CheckpointError(`The BASE file of '${dir}' names no checkpoint`);
  return parsed.restoreFrom;
}

/**
 * Deletes the directories of epochs before `epoch - 1` once `epoch` completed a checkpoint of its
 * own: nothing refers to them any more. The previous epoch's directory is kept until the next
 * epoch, so that an owner of it that was paused (a zombie) finds its directory as it left it and
 * its commits are refused by the task's epoch, not by an accident of the file system.
 *
 * @example
 * ```ts
 * await pruneOlderEpochs('/shared/ck', 'j', '0_3', 5); // removes e1..e3, keeps e4 and e5
 * ```
 */
export async function pruneOlderEpochs(base: string, jobName: string, taskId: string, epoch: number): Promise<void> {
  const root = taskDirectory(base, jobName, taskId);
  let names: string[];
  try {
    names = await fs.readdir(root);
  } catch {
    return;
  }
  for (const name of names) {
    const e = parseEpochDirName(name);
    if (e !== undefined && e < epoch - 1) await fs.rm(join(root, name), { recursive: true, force: true });
  }
}
