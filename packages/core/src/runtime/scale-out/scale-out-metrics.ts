/**
 * Metrics of a scaled-out instance and of each task it runs, derived from the tasks' own job
 * metrics: records in (what the task's sources emitted) and out (what its sinks received),
 * lag per input partition (a source reports it in its `currentPosition()` as `lag`, entries not
 * read yet per partition), state entries, checkpoints, the epoch and how long the restore took.
 *
 * Example: `{ taskId: '1_3', epoch: 5, restoreMs: 180, recordsIn: 120_000, lag: { 'j-repartition-1:3': 42 } }`.
 */
import type { MetricsSnapshot } from '../metrics.js';
import type { RunningTask } from './task-run.js';

/**
 * One task as an instance reports it.
 *
 * @example
 * ```ts
 * for (const t of instance.metrics().tasks) console.log(t.taskId, t.epoch, t.recordsIn, t.lag, t.restoreMs);
 * ```
 */
export interface TaskMetrics {
  readonly taskId: string;
  readonly subtopology: number;
  readonly partition: number;
  readonly epoch: number;
  readonly state: 'running' | 'stopped' | 'failed' | 'finished';
  /** Wall-clock time the instance acquired the task, ms. */
  readonly acquiredAt: number;
  /** Acquisition to reading again (restore included), ms; null while restoring. */
  readonly restoreMs: number | null;
  /** The checkpoint it restored; null for a fresh start. */
  readonly restoredFrom: string | null;
  /** Records the task's sources emitted. */
  readonly recordsIn: number;
  readonly recordsInPerSecond: number;
  /** Records the task's sinks received (repartition sinks included). */
  readonly recordsOut: number;
  /** Entries not read yet, per input partition (as the sources report it). */
  readonly lag: Readonly<Record<string, number>>;
  readonly stateEntries: number;
  readonly checkpointsCompleted: number;
  readonly lastCheckpointId: number;
  readonly lastFailure: string | null;
}

/**
 * One instance of a scaled-out job.
 *
 * @example
 * ```ts
 * const m: InstanceMetrics = instance.metrics();
 * console.log(`${m.instanceId}: ${m.tasks.length} tasks of ${m.members.length} instances, ${m.rebalances} rebalances`);
 * ```
 */
export interface InstanceMetrics {
  readonly instanceId: string;
  readonly jobName: string;
  /** Live instances of the job, as of the last heartbeat. */
  readonly members: readonly string[];
  /** Ticks that changed this instance's tasks (acquired, handed over, given up). */
  readonly rebalances: number;
  /** Times this instance was fenced out (and left, or rejoined). */
  readonly fencings: number;
  /** Why the instance was last fenced out, if it was. */
  readonly fenced: string | undefined;
  readonly subtopologies: ReadonlyArray<{ readonly id: number; readonly partitions: number }>;
  readonly tasks: readonly TaskMetrics[];
  /** The last tasks this instance stopped, handed over or lost (newest last, at most 20). */
  readonly endedTasks: readonly TaskMetrics[];
}

/** @internal A task's metrics from its job metrics. */
export function taskMetrics(running: RunningTask, state: TaskMetrics['state']): TaskMetrics {
  const m: MetricsSnapshot = running.metrics();
  const lag: Record<string, number> = {};
  let recordsIn = 0;
  let recordsInPerSecond = 0;
  for (const s of m.sources) {
    recordsIn += s.recordsOut;
    recordsInPerSecond += s.recordsOutPerSecond;
    const reported = (s.position as { lag?: Record<string, number> } | undefined)?.lag;
    if (reported) Object.assign(lag, reported);
  }
  let recordsOut = 0;
  let stateEntries = 0;
  for (const o of m.operators) {
    if (o.kind === 'sink') recordsOut += o.recordsIn;
    stateEntries += o.stateEntries;
  }
  const t = running.task;
  return {
    taskId: t.taskId,
    subtopology: t.subtopology,
    partition: t.partition,
    epoch: t.epoch,
    state,
    acquiredAt: running.acquiredAt,
    restoreMs: running.restoreMs() ?? null,
    restoredFrom: running.restoredFrom() ?? null,
    recordsIn,
    recordsInPerSecond,
    recordsOut,
    lag,
    stateEntries,
    checkpointsCompleted: m.checkpoints.completed,
    lastCheckpointId: m.checkpoints.lastCheckpointId,
    lastFailure: m.lastException ?? null,
  };
}
