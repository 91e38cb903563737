/**
 * Observers watch a job from the outside: the dashboard and Prometheus endpoint (@weir/web), the
 * structured lifecycle log (lifecycle-log.ts), or a user's own. The runtime starts each one when
 * the job starts and closes what it returned when `execute()` ends, so it depends on none of them
 * (Flink's metric reporters and web UI are modules of their own in the same way).
 */
import type { JobGraph } from '../contract/plan.js';
import type { MetricsSnapshot } from './metrics.js';

/**
 * What an observer sees of a running job.
 *
 * @example
 * ```ts
 * const observer: JobObserver = { start: (job: ObservedJob) => console.log(job.jobName, job.metrics().status) };
 * ```
 */
export interface ObservedJob {
  readonly jobName: string;
  readonly graph: JobGraph;
  /** A snapshot of the job's metrics now (plain data). */
  metrics(): MetricsSnapshot;
  /** The environment's logger (info and warnings). */
  readonly logger: { info(message: string): void; warn(message: string): void };
}

/**
 * Closed when `execute()` ends, whatever the outcome.
 *
 * @example
 * ```ts
 * const handle: ObserverHandle = { close: () => clearInterval(timer) };
 * ```
 */
export interface ObserverHandle {
  close(): void | Promise<void>;
}

/**
 * Something that watches jobs: started once per `execute()`, before the first record.
 *
 * @example
 * ```ts
 * const progress: JobObserver = {
 *   start(job) {
 *     const timer = setInterval(() => console.log(job.metrics().operators.length), 1000);
 *     return { close: () => clearInterval(timer) };
 *   },
 * };
 * StreamEnvironment.create({ observers: [progress] });
 * ```
 */
export interface JobObserver {
  start(job: ObservedJob): void | ObserverHandle | Promise<void | ObserverHandle>;
}

/** @internal Starts every observer; the returned function closes them in reverse order. */
export async function startObservers(observers: readonly JobObserver[], job: ObservedJob): Promise<() => Promise<void>> {
  const handles: ObserverHandle[] = [];
  const closeAll = async () => {
    for (const h of handles.reverse()) await Promise.resolve(h.close()).catch(() => {});
  };
  try {
    for (const o of observers) {
      const h = await o.start(job);
      if (h) handles.push(h);
    }
  } catch (e) {
    await closeAll();
    throw e;
  }
  return closeAll;
}
