/**
 * Job execution (what `env.execute()` runs): takes the checkpoint directory's lock (one job per
 * directory), chooses the checkpoint to restore from (restore-choice.ts), starts the observers,
 * runs the job, and on failure restarts it from its own newest checkpoint up to the configured
 * number of attempts. The lock is released and the observers closed on every way out. It takes
 * the graph, the options and the observers as data: it knows neither the API nor any observer.
 */
import { resolve } from 'node:path';
import type { CheckpointStorage } from '../checkpoint/checkpoint-storage.js';
import type { LoadedCheckpoint } from '../checkpoint/checkpoint-types.js';
import { DirectoryCheckpointStorage } from '../checkpoint/directory-storage.js';
import type { FaultHooks } from '../checkpoint/failpoints.js';
import { DEFAULT_FULL_EVERY } from '../checkpoint/incremental-policy.js';
import { chooseRestore } from '../checkpoint/restore-choice.js';
import { ConfigError, JobCancelledError, WeirError } from '../errors.js';
import { DEFAULT_MAX_PARALLELISM, type KeyGroupRange } from '../state/key-groups.js';
import { JobRun } from './job-runner.js';
import type { JobSettings } from '../contract/operator.js';
import type { JobGraph } from '../contract/plan.js';
import type { Clock } from '../time/clock.js';
import { type JobObserver, startObservers } from './job-observer.js';
import type { MetricsRegistry, MetricsSnapshot } from './metrics.js';

/**
 * The options that govern a job's execution (a part of `StreamEnvironmentOptions`).
 *
 * @example
 * ```ts
 * const options: ExecutionOptions = { checkpointing: { intervalMs: 1000 }, restore: 'latest' };
 * ```
 */
export interface ExecutionOptions {
  /**
   * Take a checkpoint every `intervalMs` into `dir` (default `./checkpoints`), keeping the newest
   * `retain` (default 3); or into `storage`, a checkpoint storage of your own (then `dir` and
   * `retain` are the storage's business). Checkpoints are incremental (`incremental`, default
   * true): a checkpoint writes only the keyed state that changed since the previous one and refers
   * to the files of earlier ones; at least every `fullEvery` checkpoints (default 10) one is full.
   */
  readonly checkpointing?: {
    readonly intervalMs: number;
    readonly dir?: string;
    readonly retain?: number;
    readonly storage?: CheckpointStorage;
    readonly incremental?: boolean;
    readonly fullEvery?: number;
    /** @internal Chain up to `fullEvery` whatever the sizes (the fault suite). */
    readonly chainAlways?: boolean;
  };
  /**
   * `'latest'`: continue from the newest complete checkpoint in the checkpoint directory (start
   * fresh when there is none); a path: that checkpoint; `false` (default): start fresh.
   */
  readonly restore?: 'latest' | string | false;
  /** Restart from the last checkpoint after a failure, up to `attempts` times (default 3 with checkpointing, else 0). */
  readonly restartStrategy?: { readonly attempts: number; readonly delayMs?: number };
  /**
   * Emit watermarks after every element (`onPeriodicEmit` per element), so lateness depends on the
   * input order alone. Default false: watermarks are emitted every `autoWatermarkIntervalMs` and at
   * the end of each source batch (Flink's periodic watermarks), which spares a watermark per element.
   */
  readonly perElementWatermarks?: boolean;
  /** Processing-time period of watermark emission and idleness checks, ms (default 200, as Flink). */
  readonly autoWatermarkIntervalMs?: number;
  /** Number of key groups of keyed state (default 128, as Flink). Fixed for the life of the checkpoints. */
  readonly maxParallelism?: number;
  /** Restore even if the checkpoint has state for operators this job no longer has (that state is dropped). */
  readonly allowNonRestoredState?: boolean;
  /**
   * The key groups this instance of the job owns (default: all): a restore keeps the keyed state
   * of these and drops the rest, so state restored into instances by ranges equals the whole.
   */
  readonly keyGroups?: KeyGroupRange;
  /** @internal The fault-injection suite's hooks (failpoints). */
  readonly faults?: FaultHooks;
  /** Where lifecycle messages go (default: warnings on stderr, info silent). */
  readonly logger?: { info(message: string): void; warn(message: string): void };
}

/** @internal Everything one execution needs. */
export interface JobExecution {
  readonly jobName: string;
  readonly graph: JobGraph;
  readonly options: ExecutionOptions;
  readonly clock: Clock;
  readonly metrics: MetricsRegistry;
  readonly signal: AbortSignal | undefined;
  readonly observers: readonly JobObserver[];
  /** Called once when the job has ended: without an error when it finished, with it when it failed. */
  readonly onEnd: (error?: unknown) => void;
}

/**
 * What `execute()` resolves with.
 *
 * @example
 * ```ts
 * const result = await env.execute('prices');
 * console.log(result.durationMs, result.restarts, result.checkpoints.completed, result.restoredFrom?.path);
 * ```
 */
export interface JobResult {
  readonly jobName: string;
  readonly durationMs: number;
  /** How many times the job was restarted after a failure. */
  readonly restarts: number;
  readonly checkpoints: { readonly completed: number; readonly lastCheckpointId: number };
  /** The checkpoint the (first) attempt started from, if any. */
  readonly restoredFrom: { readonly checkpointId: number; readonly path: string } | undefined;
  readonly metrics: MetricsSnapshot;
}

const defaultLogger = {
  info: (_m: string) => {},
  warn: (m: string) => process.emitWarning(m, { code: 'WEIR' }),
};

const NOT_RESTARTABLE = new Set(['CONFIG', 'CHECKPOINT_CORRUPT', 'CANCELLED', 'CHECKPOINT_FOREIGN', 'CHECKPOINT_FALLBACK', 'CHECKPOINT_LOCKED']);

/** @internal Runs a job to its end (see the module comment). */
export async function executeJob(job: JobExecution): Promise<JobResult> {
  const o = job.options;
  const jobName = job.jobName;
  const logger = o.logger ?? defaultLogger;
  const cp = o.checkpointing;
  const storage: CheckpointStorage | undefined = cp
    ? (cp.storage ?? new DirectoryCheckpointStorage(resolve(cp.dir ?? './checkpoints'), { retain: cp.retain ?? 3, logger, faults: o.faults }))
    : undefined;
  // Held from before anything in the storage is read or removed until execute() returns.
  const release = storage ? await storage.open(jobName) : undefined;
  try {
    return await executeLocked(job, storage);
  } finally {
    await release?.();
  }
}

async function executeLocked(job: JobExecution, storage: CheckpointStorage | undefined): Promise<JobResult> {
  const started = Date.now();
  const { jobName, graph, options: o, metrics } = job;
  const logger = o.logger ?? defaultLogger;
  const settings: JobSettings = {
    perElementWatermarks: o.perElementWatermarks ?? false,
    autoWatermarkIntervalMs: o.autoWatermarkIntervalMs ?? 200,
    maxParallelism: o.maxParallelism ?? DEFAULT_MAX_PARALLELISM,
    checkpointing: o.checkpointing !== undefined,
  };
  let restoreFrom: LoadedCheckpoint | undefined = await chooseRestore({
    restore: o.restore,
    storage,
    jobName,
    jobOperators: graph.nodes.map((n) => ({ uid: n.uid, kind: n.kind })),
    logger,
    load: o.keyGroups ? { keyGroups: o.keyGroups } : undefined,
  });
  if (restoreFrom) logger.info(`Restoring job '${jobName}' from checkpoint ${restoreFrom.checkpointId} (${restoreFrom.path})`);
  const firstRestore = restoreFrom ? { checkpointId: restoreFrom.checkpointId, path: restoreFrom.path } : undefined;
  const maxRestarts = o.restartStrategy?.attempts ?? (storage ? 3 : 0);
  metrics.jobName = jobName;
  metrics.status = 'running';
  metrics.restarts = 0;
  metrics.startedAt = started;
  let restarts = 0;
  // A restart goes back to this run's own newest checkpoint (never to another job's that happens
  // to share the directory), or to the checkpoint the run started from, or to a fresh start.
  let ownLatest: string | undefined;
  const closeObservers = await startObservers(job.observers, { jobName, graph, metrics: () => metrics.snapshot(), logger });
  try {
    return await runWithRestarts();
  } finally {
    await closeObservers();
  }

  async function runWithRestarts(): Promise<JobResult> {
    for (;;) {
      const run = new JobRun({
        jobName,
        graph,
        clock: job.clock,
        settings,
        signal: job.signal ?? new AbortController().signal,
        checkpoint:
          storage && o.checkpointing
            ? {
                storage,
                intervalMs: o.checkpointing.intervalMs,
                incremental: o.checkpointing.incremental ?? true,
                fullEvery: o.checkpointing.fullEvery ?? DEFAULT_FULL_EVERY,
                chainAlways: o.checkpointing.chainAlways ?? false,
              }
            : undefined,
        restoreFrom,
        firstCheckpointIdAfter: storage ? await storage.highestId() : 0,
        allowNonRestoredState: o.allowNonRestoredState ?? false,
        keyGroups: o.keyGroups,
        logger,
        faults: o.faults,
        onWired: (w) => metrics.attach(w, graph, () => job.clock.now()),
        onCheckpoint: (c) => {
          metrics.recordCheckpoint(c);
          if (c.status === 'completed' && c.path !== undefined) ownLatest = c.path;
        },
      });
      try {
        const stats = await run.run();
        metrics.status = 'finished';
        metrics.stop();
        job.onEnd();
        return {
          jobName,
          durationMs: Date.now() - started,
          restarts,
          checkpoints: { completed: stats.checkpointsCompleted, lastCheckpointId: stats.lastCheckpointId },
          restoredFrom: firstRestore,
          metrics: metrics.snapshot(),
        };
      } catch (e) {
        metrics.recordFailure(e);
        const code = e instanceof WeirError ? e.code : undefined;
        const restartable = !(e instanceof JobCancelledError) && !(e instanceof ConfigError) && !NOT_RESTARTABLE.has(code ?? '');
        if (!restartable || restarts >= maxRestarts || !storage) {
          metrics.status = e instanceof JobCancelledError ? 'cancelled' : 'failed';
          metrics.stop();
          job.onEnd(e);
          throw e;
        }
        restarts++;
        metrics.restarts = restarts;
        // With a logger, the lifecycle log reports restarts (job.restarted); without, a warning does.
        if (o.logger === undefined) logger.warn(`Job '${jobName}' failed (${metrics.lastException}); restart ${restarts} of ${maxRestarts} from the latest checkpoint`);
        if (ownLatest !== undefined) restoreFrom = await storage.load(ownLatest, o.keyGroups ? { keyGroups: o.keyGroups } : undefined);
        const delay = o.restartStrategy?.delayMs ?? 0;
        if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      }
    }
  }
}
