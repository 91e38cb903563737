/**
 * Which checkpoint a starting job restores, and when it must refuse to.
 *
 * - `restore: 'latest'`: the newest valid checkpoint of the job's directory, which must have been
 *   written by a job of the same name (a directory belongs to one job: ForeignCheckpointError).
 *   If that checkpoint is older than the newest one whose output the sinks committed (the newer
 *   one is damaged beyond repair, or gone), replaying from it would commit that output again:
 *   CommittedOutputWouldRepeatError, naming both checkpoints and how many records would repeat,
 *   unless the commit record shows that nothing would. A fallback over a checkpoint that was
 *   durable but never committed (a crash between the two) is allowed, with its warning.
 * - `restore: '<path>'`: that checkpoint, the explicit choice (repetition included). Written
 *   under another job name, it is accepted only when the operators (uid and kind of every node)
 *   are exactly this job's, i.e. the job was renamed, with a logged warning; as in Flink, state
 *   follows uids, and a changed job restores under its own name.
 * @internal
 */
import { basename, dirname, resolve } from 'node:path';
import { CommittedOutputWouldRepeatError, ForeignCheckpointError } from '../errors.js';
import type { JobOperator } from './checkpoint-format.js';
import type { CheckpointStorage, LoadOptions } from './checkpoint-storage.js';
import type { CheckpointLogger, LoadedCheckpoint, SkippedCheckpoint } from './checkpoint-types.js';
import { repeatedAfter } from './commit-record.js';
import { DirectoryCheckpointStorage } from './directory-storage.js';

export interface RestoreRequest {
  readonly restore: 'latest' | string | false | undefined;
  /** The job's checkpoint storage (required for 'latest'). */
  readonly storage: CheckpointStorage | undefined;
  readonly jobName: string;
  readonly jobOperators: readonly JobOperator[];
  readonly logger: CheckpointLogger;
  /** What to read of an explicitly named checkpoint (e.g. only some key groups). */
  readonly load?: LoadOptions;
}

export async function chooseRestore(r: RestoreRequest): Promise<LoadedCheckpoint | undefined> {
  if (r.restore === 'latest') {
    const storage = r.storage!;
    const { loaded, skipped } = await storage.scan();
    if (loaded === undefined && skipped.length > 0) throw skipped[0]!.error;
    if (loaded !== undefined && loaded.jobName !== r.jobName) {
      throw new ForeignCheckpointError(
        { path: loaded.path, jobName: r.jobName, checkpointJobName: loaded.jobName },
        `Checkpoint '${loaded.path}' was written by job '${loaded.jobName}', not by '${r.jobName}': a checkpoint directory belongs to one job. ` +
          `Give job '${r.jobName}' its own checkpointing.dir. If '${r.jobName}' is '${loaded.jobName}' renamed, restore it once explicitly with ` +
          `restore: '${loaded.path}' (accepted when the operators' uids are the same).`,
      );
    }
    await refuseRepeatedOutput(storage, loaded, skipped, r);
    return loaded;
  }
  if (typeof r.restore === 'string' && r.restore !== '') {
    const path = resolve(r.restore);
    const from = r.storage?.contains(path) ? r.storage : new DirectoryCheckpointStorage(dirname(path), 1, r.logger);
    const loaded = await from.load(path, r.load);
    if (loaded.jobName !== r.jobName) acceptRename(loaded, r);
    return loaded;
  }
  return undefined;
}

const key = (o: JobOperator) => `'${o.uid}' (${o.kind})`;

function acceptRename(cp: LoadedCheckpoint, r: RestoreRequest): void {
  const details = { path: cp.path, jobName: r.jobName, checkpointJobName: cp.jobName };
  const intro = `Checkpoint '${cp.path}' was written by job '${cp.jobName}', not by '${r.jobName}'`;
  if (cp.jobOperators === undefined) {
    throw new ForeignCheckpointError(
      details,
      `${intro}, by a weir that did not record the job's operators, so a rename cannot be told from another job. Restore it under its own name ('${cp.jobName}').`,
    );
  }
  const theirs = new Set(cp.jobOperators.map(key));
  const ours = new Set(r.jobOperators.map(key));
  const onlyTheirs = [...theirs].filter((k) => !ours.has(k));
  const onlyOurs = [...ours].filter((k) => !theirs.has(k));
  if (onlyTheirs.length > 0 || onlyOurs.length > 0) {
    const list = (xs: string[]) => (xs.length === 0 ? 'none' : xs.join(', '));
    throw new ForeignCheckpointError(
      details,
      `${intro}, and its operators are not this job's (only in the checkpoint: ${list(onlyTheirs)}; only in this job: ${list(onlyOurs)}). ` +
        `A checkpoint is restored into another job only as a rename (the same operators with the same uids). ` +
        `To change the job too, restore under the old name '${cp.jobName}' first; or give '${r.jobName}' its own checkpoint.`,
    );
  }
  r.logger.warn(`Restoring checkpoint '${cp.path}' of job '${cp.jobName}' into job '${r.jobName}': the same operators (uids and kinds), taken as the job renamed`);
}

const count = (n: number) => n.toLocaleString('en-US');

/** Throws if restoring `loaded` (undefined: a fresh start) would commit already committed output again. */
async function refuseRepeatedOutput(
  storage: CheckpointStorage,
  loaded: LoadedCheckpoint | undefined,
  skipped: readonly SkippedCheckpoint[],
  r: RestoreRequest,
): Promise<void> {
  const history = await storage.commitHistory();
  const restoredId = loaded?.checkpointId ?? 0;
  const isFallback = skipped.length > 0 || loaded === undefined;
  let committedId = history.through;
  let why: string;
  let amount: string;
  let repeated: ReturnType<typeof repeatedAfter> | undefined;
  if (history.unreadable !== undefined) {
    if (!isFallback) {
      r.logger.warn(`The commit record of '${storage.location}' is damaged (${history.unreadable}); restoring the newest checkpoint, ${restoredId}, repeats nothing`);
      return;
    }
    committedId = skipped[0]?.checkpointId ?? restoredId;
    why = `the commit record is damaged (${history.unreadable}), so whether the output of checkpoint ${committedId} was committed is not known`;
    amount = 'an unknown number of records';
  } else {
    if (committedId <= restoredId) return;
    repeated = repeatedAfter(history, restoredId);
    const skip = skipped.find((s) => s.checkpointId === committedId);
    why = skip ? `checkpoint ${committedId} is unusable: ${skip.error.message}` : `checkpoint ${committedId} is gone from '${storage.location}'`;
    if (repeated.known && repeated.total === 0) {
      r.logger.warn(`Restoring checkpoint ${restoredId} although ${why}: the sinks committed no records after checkpoint ${restoredId}, so nothing is repeated`);
      return;
    }
    const bySink = Object.entries(repeated.bySink)
      .filter(([, n]) => n > 0)
      .map(([sink, n]) => `${count(n)} by '${sink}'`)
      .join(', ');
    amount = repeated.known ? `${count(repeated.total)} records (${bySink})` : repeated.total > 0 ? `at least ${count(repeated.total)} records (${bySink}; the rest is not recorded)` : 'an unknown number of records';
  }
  const target = loaded ? `the newest valid checkpoint, ${restoredId} ('${loaded.path}'),` : 'from scratch (no valid checkpoint is left)';
  const accept = loaded
    ? `To accept that repetition, restore that checkpoint explicitly: restore: '${loaded.path}'.`
    : `To accept that, start afresh with restore: false.`;
  const avoid = `To avoid it, put back an intact copy of ${basename(skipped[0]?.path ?? `checkpoint ${committedId}`)}, or remove from the sinks' output what was committed after checkpoint ${restoredId}.`;
  throw new CommittedOutputWouldRepeatError(
    {
      committedCheckpointId: committedId,
      fallbackCheckpointId: loaded?.checkpointId,
      fallbackPath: loaded?.path,
      repeatedRecords: repeated?.known ? repeated.total : undefined,
      repeatedBySink: repeated?.bySink ?? {},
    },
    `Restoring job '${r.jobName}' would commit output twice: the sinks already committed the output of checkpoint ${committedId}, but ${why}. ` +
      `Restoring ${target} replays its input and commits again ${amount}. ${accept} ${avoid}`,
  );
}
