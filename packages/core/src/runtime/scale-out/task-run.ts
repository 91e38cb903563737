/**
 * One task running on this instance: its sub-topology's graph for its partition, executed as an
 * ordinary job (its own checkpoints in its epoch's directory, restored from the chosen
 * checkpoint, its own metrics), stopped by aborting it. A task is not restarted in place: when it
 * fails, the instance gives it up and it is acquired again (maybe elsewhere) with a new epoch.
 *
 * Example: `startTask({ plan, task: 0_3 @ epoch 5, ... })` restores `e0000000004/chk-0000000012`
 * and runs `source(partition 3) -> window -> sink(0_3)` until aborted.
 */
import type { Clock } from '../../time/clock.js';
import type { Source, SourceReader } from '../../contract/source.js';
import type { JobGraph } from '../../contract/plan.js';
import type { KeyGroupRange } from '../../state/key-groups.js';
import { type ExecutionOptions, executeJob, type JobResult } from '../execute-job.js';
import { MetricsRegistry, type MetricsSnapshot } from '../metrics.js';
import type { ScaleOutPlan } from './plan-scale-out.js';
import type { TaskInfo } from './scale-out-types.js';
import { prepareTaskCheckpoints, taskJobName } from './task-checkpoints.js';
import { taskGraph } from './task-graph.js';

/** What starting a task needs. */
export interface TaskStart {
  readonly plan: ScaleOutPlan;
  readonly task: TaskInfo;
  /** The program's execution options (checkpointing is required). */
  readonly options: ExecutionOptions & { readonly checkpointing: { readonly intervalMs: number; readonly dir?: string; readonly retain?: number } };
  readonly checkpointBase: string;
  readonly clock: Clock;
  readonly logger: { info(message: string): void; warn(message: string): void };
  /** Negative control: start from scratch instead of restoring. */
  readonly skipRestore?: boolean;
  /** The key groups the task owns, when they are a range: the restore keeps only those. */
  readonly keyGroups?: KeyGroupRange;
}

/** A task started on this instance. */
export interface RunningTask {
  readonly task: TaskInfo;
  /** Wall-clock time the task was acquired, ms. */
  readonly acquiredAt: number;
  /** Ms from acquisition until every source of the task was reading (restore included); undefined until then. */
  restoreMs(): number | undefined;
  /** The checkpoint it restored (undefined: fresh start, or not chosen yet). */
  restoredFrom(): string | undefined;
  metrics(): MetricsSnapshot;
  /** Settles when the task ended: resolves when it finished or was stopped, rejects with its failure. */
  readonly done: Promise<JobResult | undefined>;
  /** Stops the task (no final checkpoint: the next owner continues from the last completed one). */
  stop(): Promise<void>;
}

/**
 * Starts a task in the background.
 *
 * @example
 * ```ts
 * const running = startTask({ plan, task, options: env.options, checkpointBase, clock, logger });
 * await running.stop();
 * ```
 */
export function startTask(s: TaskStart): RunningTask {
  const acquiredAt = Date.now();
  const metrics = new MetricsRegistry();
  const abort = new AbortController();
  let readyAt: number | undefined;
  let restoredFrom: string | undefined;
  let sourcesToStart = 0;
  const graph = withStartSignal(taskGraph(s.plan, s.task), () => {
    if (--sourcesToStart === 0) readyAt = Date.now();
  });
  sourcesToStart = graph.nodes.filter((n) => n.kind === 'source').length;
  const done = (async (): Promise<JobResult | undefined> => {
    const jobName = taskJobName(s.plan.jobName, s.task.taskId);
    const where = await prepareTaskCheckpoints({
      base: s.checkpointBase,
      jobName: s.plan.jobName,
      taskId: s.task.taskId,
      epoch: s.task.epoch,
      graph,
      logger: s.logger,
      ...(s.skipRestore ? { skipRestore: true } : {}),
    });
    restoredFrom = where.restoreFrom;
    if (abort.signal.aborted) return undefined;
    return executeJob({
      jobName,
      graph,
      options: {
        ...s.options,
        checkpointing: { ...s.options.checkpointing, dir: where.dir },
        restore: where.restoreFrom ?? false,
        // A failed task is given up and acquired again with a new epoch, not restarted in place.
        restartStrategy: { attempts: 0 },
        ...(s.keyGroups ? { keyGroups: s.keyGroups } : {}),
        logger: s.logger,
      },
      clock: s.clock,
      metrics,
      signal: abort.signal,
      observers: [],
      onEnd: () => {},
    });
  })();
  done.catch(() => {}); // observed by the instance
  return {
    task: s.task,
    acquiredAt,
    restoreMs: () => (readyAt === undefined ? undefined : readyAt - acquiredAt),
    restoredFrom: () => restoredFrom,
    metrics: () => metrics.snapshot(),
    done,
    stop: async () => {
      abort.abort();
      await done.catch(() => {});
    },
  };
}

/** The graph with every source's reader reporting when it has started (after the restore). */
function withStartSignal(graph: JobGraph, started: () => void): JobGraph {
  return {
    edges: graph.edges,
    nodes: graph.nodes.map((n) => (n.kind === 'source' ? { ...n, spec: { source: observeStart(n.spec.source, started) } } : n)),
  };
}

function observeStart<T>(source: Source<T>, started: () => void): Source<T> {
  const wrapped = Object.create(source) as Source<T>;
  wrapped.createReader = (ctx) => {
    const reader: SourceReader<T> = source.createReader(ctx);
    const start = reader.start?.bind(reader);
    reader.start = async () => {
      await start?.();
      started();
    };
    return reader;
  };
  return wrapped;
}
