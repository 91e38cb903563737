/**
 * `env.execute()`: checks the checkpoint and restart settings, takes the checkpoint directory's
 * lock (one job per directory), chooses the checkpoint to restore from (restore-choice.ts),
 * runs the job, and on failure restarts it from its own newest checkpoint up to the configured
 * number of attempts. The lock is released on every way out.
 */
import { resolve } from 'node:path';
import { openCheckpointDirectory } from '../checkpoint/directory-access.js';
import type { DirectoryLock } from '../checkpoint/directory-lock.js';
import { DirectoryCheckpointStorage, type LoadedCheckpoint } from '../checkpoint/directory-storage.js';
import { chooseRestore } from '../checkpoint/restore-choice.js';
import { ConfigError, JobCancelledError, WeirError } from '../errors.js';
import { DEFAULT_MAX_PARALLELISM } from '../state/key-groups.js';
import { JobRun } from '../runtime/job-runner.js';
import type { JobSettings } from '../contract/operator.js';
import { logJobLifecycle } from '../logging/lifecycle.js';
import { startWebServer } from '../web/server.js';
import type { MetricsSnapshot } from './metrics.js';
import type { StreamEnvironment, StreamEnvironmentOptions } from './stream-environment.js';

/**
 * Options of one `execute()` call.
 *
 * @example
 * ```ts
 * const abort = new AbortController();
 * setTimeout(() => abort.abort(), 60_000);
 * await env.execute({ jobName: 'tail', signal: abort.signal, onWebServer: (url) => console.log(url) });
 * ```
 */
export interface ExecuteOptions {
  readonly jobName?: string;
  /** Cancels the job: `execute()` rejects with an `AbortError` (a `JobCancelledError`). */
  readonly signal?: AbortSignal;
  /** Called with the dashboard's address once it listens (environments with a `web` option). */
  readonly onWebServer?: (url: string) => void;
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

const shown = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : String(v));

/**
 * Checks the settings `execute()` acts on (options may have changed since `create()`): each bad
 * value is a ConfigError naming it and the fix.
 */
function checkSettings(o: StreamEnvironmentOptions): void {
  const cp = o.checkpointing;
  if (cp !== undefined) {
    const { intervalMs, retain, dir } = cp;
    if (typeof intervalMs !== 'number' || !(intervalMs > 0) || !Number.isFinite(intervalMs)) {
      throw new ConfigError(
        `checkpointing.intervalMs must be a positive, finite number of milliseconds (got ${shown(intervalMs)}); e.g. intervalMs: 1000 takes a checkpoint every second`,
      );
    }
    if (retain !== undefined && !(Number.isInteger(retain) && retain >= 1)) {
      throw new ConfigError(`checkpointing.retain must be a whole number, 1 or more (got ${shown(retain)}); e.g. retain: 3 keeps the newest three checkpoints (the default)`);
    }
    if (dir !== undefined && (typeof dir !== 'string' || dir === '')) {
      throw new ConfigError(`checkpointing.dir must be a directory path (got ${shown(dir)}); e.g. dir: './checkpoints' (the default)`);
    }
  }
  const rs = o.restartStrategy;
  if (rs !== undefined) {
    if (!(Number.isInteger(rs.attempts) && rs.attempts >= 0)) {
      throw new ConfigError(
        `restartStrategy.attempts must be a whole number, 0 or more (got ${shown(rs.attempts)}); e.g. attempts: 3 restarts a failed job up to three times, 0 never restarts it`,
      );
    }
    if (rs.delayMs !== undefined && !(typeof rs.delayMs === 'number' && rs.delayMs >= 0 && Number.isFinite(rs.delayMs))) {
      throw new ConfigError(
        `restartStrategy.delayMs must be a finite number of milliseconds, 0 or more (got ${shown(rs.delayMs)}); e.g. delayMs: 500 waits half a second before each restart`,
      );
    }
  }
}

export async function executeJob(env: StreamEnvironment, options: ExecuteOptions): Promise<JobResult> {
  const o = env.options;
  checkSettings(o);
  const jobName = options.jobName ?? 'weir job';
  const logger = o.logger ?? defaultLogger;
  const storage = o.checkpointing
    ? new DirectoryCheckpointStorage(resolve(o.checkpointing.dir ?? './checkpoints'), o.checkpointing.retain ?? 3, logger)
    : undefined;
  // Held from before anything in the directory is read or removed until execute() returns.
  const lock: DirectoryLock | undefined = storage ? await openCheckpointDirectory(storage.dir, jobName, logger) : undefined;
  try {
    if (storage && lock) {
      storage.holdLock(lock);
      await storage.removeLeftovers();
    }
    return await executeLocked(env, options, jobName, storage);
  } finally {
    await lock?.release();
  }
}

async function executeLocked(env: StreamEnvironment, options: ExecuteOptions, jobName: string, storage: DirectoryCheckpointStorage | undefined): Promise<JobResult> {
  const started = Date.now();
  const o = env.options;
  const logger = o.logger ?? defaultLogger;
  const graph = env.explain();
  const settings: JobSettings = {
    perElementWatermarks: o.perElementWatermarks ?? true,
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
  });
  if (restoreFrom) logger.info(`Restoring job '${jobName}' from checkpoint ${restoreFrom.checkpointId} (${restoreFrom.path})`);
  const firstRestore = restoreFrom ? { checkpointId: restoreFrom.checkpointId, path: restoreFrom.path } : undefined;
  const maxRestarts = o.restartStrategy?.attempts ?? (storage ? 3 : 0);
  const metrics = env.metricsRegistry;
  metrics.jobName = jobName;
  metrics.status = 'running';
  metrics.restarts = 0;
  metrics.startedAt = started;
  let restarts = 0;
  // A restart goes back to this run's own newest checkpoint (never to another job's that happens
  // to share the directory), or to the checkpoint the run started from, or to a fresh start.
  let ownLatest: string | undefined;
  const web = o.web
    ? await startWebServer(o.web, { jobName, graph, metrics: () => metrics.snapshot() })
    : undefined;
  if (web) {
    logger.info(`Job '${jobName}' dashboard: ${web.url}`);
    options.onWebServer?.(web.url);
  }
  // A logger given in the options gets structured lifecycle events (job started/finished/failed,
  // checkpoints, restarts, sampled dead letters); the default only warns.
  const lifecycle = o.logger ? logJobLifecycle({ metrics: () => metrics.snapshot() }, o.logger) : undefined;
  try {
    return await runWithRestarts();
  } finally {
    lifecycle?.stop();
    await web?.close();
  }

  async function runWithRestarts(): Promise<JobResult> {
    for (;;) {
      const run = new JobRun({
        jobName,
        graph,
        clock: env.clock,
        settings,
        signal: options.signal ?? new AbortController().signal,
        checkpoint: storage && o.checkpointing ? { storage, intervalMs: o.checkpointing.intervalMs } : undefined,
        restoreFrom,
        firstCheckpointIdAfter: storage ? await storage.highestId() : 0,
        allowNonRestoredState: o.allowNonRestoredState ?? false,
        logger,
        onWired: (w) => metrics.attach(w, graph, () => env.clock.now()),
        onCheckpoint: (c) => {
          metrics.recordCheckpoint(c);
          if (c.status === 'completed' && c.path !== undefined) ownLatest = c.path;
        },
      });
      try {
        const stats = await run.run();
        metrics.status = 'finished';
        metrics.stop();
        for (const s of env.observableSinks) s.complete();
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
          metrics.status = 'failed';
          metrics.stop();
          for (const s of env.observableSinks) s.error(e);
          throw e;
        }
        restarts++;
        metrics.restarts = restarts;
        if (!lifecycle) logger.warn(`Job '${jobName}' failed (${metrics.lastException}); restart ${restarts} of ${maxRestarts} from the latest checkpoint`);
        if (ownLatest !== undefined) restoreFrom = await storage.load(ownLatest);
        const delay = o.restartStrategy?.delayMs ?? 0;
        if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      }
    }
  }
}
