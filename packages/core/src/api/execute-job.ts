/**
 * `env.execute()`: chooses the checkpoint to restore from, runs the job, and on failure restarts
 * it from the newest checkpoint up to the configured number of attempts.
 */
import { resolve } from 'node:path';
import { DirectoryCheckpointStorage, type LoadedCheckpoint } from '../checkpoint/directory-storage.js';
import { ConfigError, JobCancelledError, WeirError } from '../errors.js';
import { DEFAULT_MAX_PARALLELISM } from '../state/key-groups.js';
import { JobRun } from '../runtime/job-runner.js';
import type { JobSettings } from '../runtime/operator.js';
import { logJobLifecycle } from '../logging/lifecycle.js';
import { startWebServer } from '../web/server.js';
import type { MetricsSnapshot } from './metrics.js';
import type { StreamEnvironment } from './stream-environment.js';

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

const NOT_RESTARTABLE = new Set(['CONFIG', 'CHECKPOINT_CORRUPT', 'CANCELLED']);

export async function executeJob(env: StreamEnvironment, options: ExecuteOptions): Promise<JobResult> {
  const started = Date.now();
  const jobName = options.jobName ?? 'weir job';
  const o = env.options;
  const logger = o.logger ?? defaultLogger;
  const graph = env.explain();
  const settings: JobSettings = {
    perElementWatermarks: o.perElementWatermarks ?? true,
    autoWatermarkIntervalMs: o.autoWatermarkIntervalMs ?? 200,
    maxParallelism: o.maxParallelism ?? DEFAULT_MAX_PARALLELISM,
    checkpointing: o.checkpointing !== undefined,
  };
  const storage = o.checkpointing
    ? new DirectoryCheckpointStorage(resolve(o.checkpointing.dir ?? './checkpoints'), o.checkpointing.retain ?? 3, logger)
    : undefined;
  let restoreFrom: LoadedCheckpoint | undefined;
  if (o.restore === 'latest') restoreFrom = await storage!.latest();
  else if (typeof o.restore === 'string') {
    restoreFrom = await new DirectoryCheckpointStorage(resolve(o.restore, '..'), 1, logger).load(resolve(o.restore));
  }
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
