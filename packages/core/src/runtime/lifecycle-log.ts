/**
 * Lifecycle events of a job as structured log lines, each with a stable `event` field:
 *
 * | event                  | level | fields                                                    |
 * |------------------------|-------|-----------------------------------------------------------|
 * | `job.started`          | info  | job, sources, operators                                    |
 * | `checkpoint.completed` | info  | job, checkpointId, durationMs, syncPauseMs, bytes          |
 * | `checkpoint.failed`    | warn  | job, checkpointId, durationMs, reason                      |
 * | `job.restarted`        | warn  | job, restarts, error                                       |
 * | `dead_letters`         | warn  | job, operator, uid, count (since the last line), total     |
 * | `job.finished`         | info  | job, durationMs, recordsRead, checkpoints, restarts        |
 * | `job.cancelled`        | info  | job, durationMs, recordsRead, checkpoints                  |
 * | `job.failed`           | error | job, durationMs, error, operator, key                      |
 *
 * A job stopped through `execute({ signal })` (it rejects with a `JobCancelledError`, named
 * `AbortError`) is cancelled, not failed: a program that stops on Ctrl-C should not report an
 * error.
 *
 * Dead letters are sampled: at most one line per operator per `deadLetterEveryMs` (default
 * 10 s), carrying how many arrived since the previous line, so a flood of bad input costs a
 * line every ten seconds, not one per record. (The restore line, "Restoring job … from
 * checkpoint N", is written by `execute()` itself through the same logger.)
 *
 * The events are derived from the job's metrics snapshots ({@link logJobLifecycle} compares
 * each snapshot with the previous one), so they need nothing from the runtime beyond
 * `env.metrics()`; `stop()` compares a last time, so nothing that happened is left out.
 */
import type { MetricsSnapshot } from './metrics.js';
import type { JobObserver } from './job-observer.js';

/**
 * Structured fields of a log line.
 *
 * @example
 * ```ts
 * const fields: LogFields = { event: 'job.started', job: 'prices' };
 * ```
 */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * What the lifecycle log writes to: any logger of this shape (`createLogger()` of `@weir/web` is one).
 *
 * @example
 * ```ts
 * const sink: LifecycleLogger = { info: (m, fields) => console.log(m, fields), warn: (m, fields) => console.warn(m, fields) };
 * ```
 */
export interface LifecycleLogger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error?(message: string, fields?: LogFields): void;
}

/**
 * Options of {@link logJobLifecycle}.
 *
 * @example
 * ```ts
 * const options: LifecycleLogOptions = { intervalMs: 1000, deadLetterEveryMs: 60_000 };
 * ```
 */
export interface LifecycleLogOptions {
  /** How often the snapshot is read, ms (default 1000). */
  readonly intervalMs?: number;
  /** At most one dead-letter line per operator this often, ms (default 10 000). */
  readonly deadLetterEveryMs?: number;
  /** Wall clock for the sampling (tests). */
  readonly now?: () => number;
}

/**
 * A running lifecycle log.
 *
 * @example
 * ```ts
 * const log = logJobLifecycle(env, logger);
 * await env.execute('orders');
 * log.stop();
 * ```
 */
export interface LifecycleLog {
  /** Compares the current snapshot with the last one and logs the differences. */
  poll(): void;
  /** Polls a last time (dead letters not yet reported are logged now) and stops. */
  stop(): void;
}


interface Seen {
  status: MetricsSnapshot['status'];
  checkpointId: number;
  restarts: number;
  deadLetters: Map<string, { reported: number; lastAt: number }>;
}

/**
 * Logs a job's lifecycle events, polling `job.metrics()` (an environment, or anything with
 * the same method) until the job has ended and `stop()` is called.
 *
 * @example
 * ```ts
 * // The environment's own logger gets these events by itself; this sends them to another one.
 * const env = StreamEnvironment.create({ checkpointing: { intervalMs: 1000 } });
 * // ... build the job ...
 * const log = logJobLifecycle(env, auditLog);
 * try { await env.execute('orders'); } finally { log.stop(); }
 * ```
 */
export function logJobLifecycle(job: { metrics(): MetricsSnapshot }, logger: LifecycleLogger, options: LifecycleLogOptions = {}): LifecycleLog {
  const now = options.now ?? Date.now;
  const every = options.deadLetterEveryMs ?? 10_000;
  const seen: Seen = { status: 'created', checkpointId: 0, restarts: 0, deadLetters: new Map() };
  const error = (m: string, f: LogFields) => (logger.error ? logger.error(m, f) : logger.warn(m, f));

  function deadLetters(s: MetricsSnapshot, final: boolean): void {
    const t = now();
    const all = [...s.sources, ...s.operators];
    for (const o of all) {
      if (o.deadLetters === 0) continue;
      const d = seen.deadLetters.get(o.uid) ?? { reported: 0, lastAt: Number.NEGATIVE_INFINITY };
      const count = o.deadLetters - d.reported;
      if (count > 0 && (final || t - d.lastAt >= every)) {
        logger.warn(`${count} dead letter${count === 1 ? '' : 's'} at ${o.name}`, {
          event: 'dead_letters',
          job: s.jobName,
          operator: o.name,
          uid: o.uid,
          count,
          total: o.deadLetters,
        });
        seen.deadLetters.set(o.uid, { reported: o.deadLetters, lastAt: t });
      }
    }
  }

  function poll(final = false): void {
    const s = job.metrics();
    const jobName = s.jobName;
    const ended = s.status === 'finished' || s.status === 'failed' || s.status === 'cancelled';
    // 'running' is set just before the operators are wired: wait for them, so the line can say how many.
    const wired = s.operators.length + s.sources.length > 0;
    if (seen.status === 'created' && s.status !== 'created' && (wired || ended)) {
      logger.info(`job '${jobName}' started`, { event: 'job.started', job: jobName, sources: s.sources.length, operators: s.operators.length });
    }
    for (const c of s.checkpoints.history) {
      if (c.id <= seen.checkpointId) continue;
      if (c.status === 'completed') {
        logger.info(`checkpoint ${c.id} completed`, {
          event: 'checkpoint.completed',
          job: jobName,
          checkpointId: c.id,
          durationMs: c.durationMs,
          syncPauseMs: c.syncPauseMs,
          bytes: c.bytes,
        });
      } else {
        logger.warn(`checkpoint ${c.id} failed: ${c.reason ?? 'unknown reason'}`, {
          event: 'checkpoint.failed',
          job: jobName,
          checkpointId: c.id,
          durationMs: c.durationMs,
          reason: c.reason,
        });
      }
      seen.checkpointId = c.id;
    }
    if (s.restarts > seen.restarts) {
      logger.warn(`job '${jobName}' restarted from its latest checkpoint (restart ${s.restarts})`, {
        event: 'job.restarted',
        job: jobName,
        restarts: s.restarts,
        error: s.lastException,
      });
      seen.restarts = s.restarts;
    }
    deadLetters(s, final || ended);
    if (ended && seen.status !== s.status) {
      const durationMs = s.startedAt > 0 ? Date.now() - s.startedAt : 0;
      if (s.status === 'finished') {
        logger.info(`job '${jobName}' finished`, {
          event: 'job.finished',
          job: jobName,
          durationMs,
          recordsRead: s.sources.reduce((n, o) => n + o.recordsOut, 0),
          checkpoints: s.checkpoints.completed,
          restarts: s.restarts,
        });
      } else if (s.status === 'cancelled') {
        logger.info(`job '${jobName}' cancelled`, {
          event: 'job.cancelled',
          job: jobName,
          durationMs,
          recordsRead: s.sources.reduce((n, o) => n + o.recordsOut, 0),
          checkpoints: s.checkpoints.completed,
        });
      } else {
        error(`job '${jobName}' failed: ${s.lastException ?? 'unknown error'}`, {
          event: 'job.failed',
          job: jobName,
          durationMs,
          error: s.lastException,
          operator: s.lastFailure?.operator,
          key: s.lastFailure?.key,
        });
      }
    }
    if (s.status !== 'running' || wired) seen.status = s.status;
  }

  const timer = setInterval(() => poll(), options.intervalMs ?? 1000);
  timer.unref();
  return {
    poll: () => poll(),
    stop() {
      clearInterval(timer);
      poll(true);
    },
  };
}

/**
 * The lifecycle log as a job observer: `StreamEnvironment.create({ logger })` adds it for the
 * environment's logger; pass it in `observers` to log to another one.
 *
 * @example
 * ```ts
 * StreamEnvironment.create({ observers: [lifecycleLogObserver(myLogger)] });
 * ```
 */
export function lifecycleLogObserver(logger: LifecycleLogger, options: LifecycleLogOptions = {}): JobObserver {
  return {
    start(job) {
      const log = logJobLifecycle(job, logger, options);
      return { close: () => log.stop() };
    },
  };
}
