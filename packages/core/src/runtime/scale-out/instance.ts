/**
 * An instance of a scaled-out job: the same program started in N processes, each running
 * `runInstance`. An instance joins the job's group, and on every tick (a third of the lease, or
 * at once when someone announces a change):
 * 1. renews its membership and its tasks' leases (on a loop of its own); a task that another
 *    instance acquired meanwhile (a newer epoch) means this one was presumed dead (a zombie): it
 *    stops everything, leaves, and rejoins as a new member (fenced);
 * 2. reaps tasks that ended (a failed task is given up, and not taken again by this instance for
 *    `retryDelayMs`);
 * 3. moves towards its fair share of every sub-topology's tasks (assignment.ts): gives up the
 *    tasks it prefers least when it holds too many (stopped first, then released), and acquires
 *    free tasks it prefers most when it holds too few, starting each with its new epoch.
 *
 * Stopping (signal or `stop()`) stops every task, releases its leases and leaves the group, so
 * the others take its tasks at their next tick instead of after the lease.
 *
 * Example: three instances of a job with 8 source partitions and one repartition stream of 8
 * run 16 tasks, 5 or 6 each; kill one and, after its leases expire, the two others run 8 each.
 */
import { resolve } from 'node:path';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { ConfigError } from '../../errors.js';
import type { JobGraph } from '../../contract/plan.js';
import { DEFAULT_MAX_PARALLELISM, type KeyGroupRange } from '../../state/key-groups.js';
import type { Clock } from '../../time/clock.js';
import type { ExecutionOptions } from '../execute-job.js';
import { type JobObserver, startObservers } from '../job-observer.js';
import type { MetricsSnapshot } from '../metrics.js';
import { fairShare, preferenceOrder } from './assignment.js';
import { keyGroupRangeOf } from './key-group-range.js';
import { instanceSnapshot, type ScaledOutSnapshot } from './instance-snapshot.js';
import { planScaleOut, type ScaleOutPlan } from './plan-scale-out.js';
import type { InstanceMetrics, TaskMetrics } from './scale-out-metrics.js';
import { taskMetrics } from './scale-out-metrics.js';
import { type CoordinatorSession, isTaskAwareSink, type RepartitionTransport, type TaskCoordinator, type TaskInfo } from './scale-out-types.js';
import { findFenced, TaskFencedError } from './task-fenced-error.js';
import { pruneOlderEpochs } from './task-checkpoints.js';
import { type RunningTask, startTask } from './task-run.js';

/**
 * What `runInstance` needs of the program: its plan and options (a `StreamEnvironment` is one).
 *
 * @example
 * ```ts
 * const program: ScaleOutProgram = env; // StreamEnvironment.create({ checkpointing: { intervalMs: 1000, dir: '/shared/ck' } })
 * ```
 */
export interface ScaleOutProgram {
  explain(): JobGraph;
  readonly options: ExecutionOptions;
  readonly clock: Clock;
}

/**
 * Options of {@link runInstance}.
 *
 * @example
 * ```ts
 * const options: ScaleOutOptions = { jobName: 'sessionizer', ...redisScaleOut({ redis: 'redis://127.0.0.1:6379' }) };
 * ```
 */
export interface ScaleOutOptions {
  /** Names the job's group, its repartition streams and its checkpoints: the same in every instance. */
  readonly jobName: string;
  readonly coordinator: TaskCoordinator;
  /** Needed when a keyBy is not on the sources' partitioning key (the plan has repartition streams). */
  readonly transport?: RepartitionTransport;
  /** This instance's id (default `<hostname>-<pid>-<random>`); unique among the job's instances. */
  readonly instanceId?: string;
  /** Partitions of every repartition stream (default: as many as the upstream sub-topology's). */
  readonly repartitionPartitions?: number;
  /** Stops the instance (gracefully: tasks handed over at once). */
  readonly signal?: AbortSignal;
  /** How long a task that failed here is left to other instances before this one takes it again, ms (default 2000). */
  readonly retryDelayMs?: number;
  /**
   * What an instance does once it was fenced (paused or cut off past its lease, its tasks given to
   * others): stop its tasks and `rejoin` as a new member (default, as Kafka Streams), or `leave`
   * (then `done` rejects with the `TaskFencedError`).
   */
  readonly onFenced?: 'rejoin' | 'leave';
  /** @internal Negative controls of the scale-out suite (a broken instance the tests must catch). */
  readonly faults?: { readonly skipRestore?: boolean };
  /** Called after every tick with the instance's metrics (for a dashboard or a log). */
  readonly onMetrics?: (metrics: InstanceMetrics) => void;
  /**
   * Observers of this instance (e.g. `webDashboard({ port })` of @weir/web; one port per
   * instance): they see the plan with its repartition nodes and a snapshot that sums this
   * instance's tasks, with the tasks themselves under `scaleOut`.
   */
  readonly observers?: readonly JobObserver[];
}

/**
 * A running instance.
 *
 * @example
 * ```ts
 * const instance = startInstance(env, { jobName: 'sessionizer', ...redisScaleOut({ redis }) });
 * process.on('SIGTERM', () => void instance.stop());
 * await instance.done;
 * ```
 */
export interface ScaleOutInstance {
  readonly instanceId: string;
  readonly plan: ScaleOutPlan;
  /** Resolves once stopped; rejects with `TaskFencedError` when fenced with `onFenced: 'leave'`, or with the error that ended it. */
  readonly done: Promise<void>;
  /** Stops the tasks, releases them and leaves the group. */
  stop(): Promise<void>;
  metrics(): InstanceMetrics;
  /** The instance as one job snapshot (what observers see). */
  snapshot(): ScaledOutSnapshot;
}

const defaultLogger = {
  info: (_m: string) => {},
  warn: (m: string) => process.emitWarning(m, { code: 'WEIR' }),
};

/**
 * Runs this process's instance of a scaled-out job until it is stopped (see the module comment).
 *
 * @example
 * ```ts
 * await runInstance(env, { jobName: 'sessionizer', ...redisScaleOut({ redis: 'redis://127.0.0.1:6379' }), signal });
 * ```
 */
export function runInstance(program: ScaleOutProgram, options: ScaleOutOptions): Promise<void> {
  return startInstance(program, options).done;
}

/**
 * Starts this process's instance of a scaled-out job (see {@link runInstance}).
 *
 * @example
 * ```ts
 * const instance = startInstance(env, { jobName: 'sessionizer', ...redisScaleOut({ redis }) });
 * ```
 */
export function startInstance(program: ScaleOutProgram, options: ScaleOutOptions): ScaleOutInstance {
  const o = program.options;
  if (o.checkpointing === undefined) {
    throw new ConfigError('Scale-out needs checkpointing (a task moves with its last checkpoint): create the environment with checkpointing: { intervalMs, dir }, dir on storage every instance can reach');
  }
  const plan = planScaleOut(program.explain(), {
    jobName: options.jobName,
    ...(options.transport ? { transport: options.transport } : {}),
    maxParallelism: o.maxParallelism ?? DEFAULT_MAX_PARALLELISM,
    ...(options.repartitionPartitions !== undefined ? { repartitionPartitions: options.repartitionPartitions } : {}),
  });
  if (plan.repartitions.length > 0 && options.transport === undefined) {
    throw new ConfigError(`Scale-out: the plan repartitions ${plan.repartitions.map((r) => `before '${plan.graph.nodes.find((n) => n.id === r.to)!.name}'`).join(', ')}; give a transport for repartition streams`);
  }
  const logger = o.logger ?? defaultLogger;
  for (const n of plan.graph.nodes) {
    if (n.kind === 'sink' && !isTaskAwareSink(n.spec.sink)) {
      logger.warn(`weir scale-out: sink '${n.name}' cannot be instantiated per task: its output is not fenced, at-least-once across failover (a task-aware sink, such as RedisStreamSink, is exactly-once)`);
    }
  }
  return new Instance(program, options, plan);
}

interface Held {
  readonly running: RunningTask;
  readonly subtopology: number;
  /** Set once older epochs' directories were removed. */
  pruned: boolean;
  /** Set when the task ended by itself: finished, or failed with `error`. */
  outcome: { readonly error?: unknown } | undefined;
}

class Instance implements ScaleOutInstance {
  readonly instanceId: string;
  readonly done: Promise<void>;
  private readonly held = new Map<string, Held>();
  private readonly backoff = new Map<string, number>();
  private members: readonly string[] = [];
  private rebalances = 0;
  private fencings = 0;
  private fenced: string | undefined = undefined;
  /** Set when this session was fenced: the loops end, the tasks stop, the instance leaves. */
  private fence: TaskFencedError | undefined = undefined;
  private stopping = false;
  private wake: (() => void) | undefined = undefined;
  private readonly logger: { info(message: string): void; warn(message: string): void };
  private readonly checkpointBase: string;
  private readonly ended: TaskMetrics[] = [];
  private readonly startedAt = Date.now();
  private status: MetricsSnapshot['status'] = 'running';

  constructor(
    private readonly program: ScaleOutProgram,
    private readonly options: ScaleOutOptions,
    readonly plan: ScaleOutPlan,
  ) {
    this.instanceId = options.instanceId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    this.logger = program.options.logger ?? defaultLogger;
    this.checkpointBase = resolve(program.options.checkpointing!.dir ?? './checkpoints');
    const onAbort = () => void this.stop();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    this.done = this.run().finally(() => options.signal?.removeEventListener('abort', onAbort));
    this.done.catch(() => {});
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.done.catch(() => {});
  }

  metrics(): InstanceMetrics {
    return {
      instanceId: this.instanceId,
      jobName: this.plan.jobName,
      members: [...this.members],
      rebalances: this.rebalances,
      fencings: this.fencings,
      fenced: this.fenced,
      subtopologies: this.plan.subtopologies.map((s) => ({ id: s.id, partitions: s.partitions })),
      tasks: [...this.held.values()].map((h) => taskMetrics(h.running, 'running')),
      endedTasks: this.ended.slice(-20),
    };
  }

  snapshot(): ScaledOutSnapshot {
    const tasks = [...this.held.values()].map((h) => h.running.metrics());
    return instanceSnapshot(this.plan.graph, this.plan.jobName, this.startedAt, this.status, tasks, this.metrics());
  }

  /** Joins, runs a session until stopped or fenced; after a fence, rejoins (or leaves, with `onFenced: 'leave'`). */
  private async run(): Promise<void> {
    const { jobName } = this.options;
    const closeObservers = await startObservers(this.options.observers ?? [], { jobName, graph: this.plan.graph, metrics: () => this.snapshot(), logger: this.logger });
    try {
      for (;;) {
        const fence = await this.session();
        if (fence === undefined) {
          this.status = 'cancelled';
          return;
        }
        this.fencings++;
        this.fenced = fence.message;
        if ((this.options.onFenced ?? 'rejoin') === 'leave' || this.stopping) throw fence;
        this.logger.warn(`weir scale-out: instance ${this.instanceId} rejoins job '${jobName}' as a new member`);
      }
    } catch (e) {
      this.status = 'failed';
      throw e;
    } finally {
      await closeObservers();
    }
  }

  /** One membership: returns the fence that ended it, or undefined when the instance was stopped. */
  private async session(): Promise<TaskFencedError | undefined> {
    const { jobName } = this.options;
    const session = await this.join();
    if (session === undefined) return undefined; // stopped before it could join
    this.fence = undefined;
    this.logger.info(`weir scale-out: instance ${this.instanceId} joined job '${jobName}' (${this.plan.subtopologies.map((s) => `sub-topology ${s.id}: ${s.partitions} tasks`).join(', ')})`);
    const tick = Math.max(20, Math.floor(session.leaseMs / 3));
    const keepAlive = this.keepAlive(session, tick);
    // Instances started together register first, so that the first one does not take every task.
    await this.pause(session, tick);
    while (!this.stopping && this.fence === undefined) {
      try {
        await this.assign(session);
      } catch (e) {
        const fenced = findFenced(e);
        if (fenced) this.fence ??= fenced;
        else this.logger.warn(`weir scale-out: instance ${this.instanceId}: coordination failed (${(e as Error).message}); retrying`);
      }
      this.options.onMetrics?.(this.metrics());
      if (this.stopping || this.fence !== undefined) break;
      await this.pause(session, tick);
    }
    const fence = this.fence;
    this.wake?.();
    await this.stopAll(session, fence === undefined);
    this.options.onMetrics?.(this.metrics());
    await keepAlive;
    await session.leave().catch(() => {});
    if (fence === undefined) this.logger.info(`weir scale-out: instance ${this.instanceId} left job '${jobName}'`);
    else this.logger.warn(`weir scale-out: instance ${this.instanceId} left job '${jobName}': ${fence.message}`);
    return fence;
  }

  /** Joins the group, retrying while the coordination store is unreachable (undefined: stopped meanwhile). */
  private async join(): Promise<CoordinatorSession | undefined> {
    const { coordinator, jobName } = this.options;
    for (let attempt = 1; ; attempt++) {
      try {
        return await coordinator.join(jobName, this.instanceId);
      } catch (e) {
        if (this.stopping) return undefined;
        this.logger.warn(`weir scale-out: instance ${this.instanceId} cannot join job '${jobName}' (${(e as Error).message}); retrying`);
        await new Promise<void>((r) => {
          const timer = setTimeout(r, Math.min(200 * attempt, 5000));
          this.wake = () => {
            clearTimeout(timer);
            r();
          };
        });
        if (this.stopping) return undefined;
      }
    }
  }

  private pause(session: CoordinatorSession, ms: number): Promise<void> {
    return Promise.race([session.changed(ms), new Promise<void>((r) => (this.wake = r))]);
  }

  /**
   * Renews the membership and the leases every tick, independently of task starts and stops
   * (which may take a while): a task that another instance acquired meanwhile (a newer epoch)
   * fences the session.
   */
  private async keepAlive(session: CoordinatorSession, tick: number): Promise<void> {
    while (this.fence === undefined && !(this.stopping && this.held.size === 0)) {
      try {
        const { members, expired } = await session.heartbeat();
        this.members = members;
        if (expired) {
          // Presumed dead for a while (paused, cut off, or Redis itself stalled): the renewals
          // below tell whether another instance took any task meanwhile.
          this.logger.warn(`weir scale-out: instance ${this.instanceId}'s membership had lapsed (no heartbeat for the ${session.leaseMs} ms lease); checking its tasks`);
        }
        for (const [id, h] of [...this.held]) {
          if (this.fence !== undefined) break;
          if (!this.held.has(id)) continue;
          if (!(await session.renew(id, h.running.task.epoch)) && this.held.has(id)) {
            this.fence ??= new TaskFencedError(id, h.running.task.epoch, undefined, `fenced: lost task ${id} (epoch ${h.running.task.epoch}) to another instance after a pause longer than the ${session.leaseMs} ms lease`);
          }
        }
      } catch (e) {
        this.logger.warn(`weir scale-out: instance ${this.instanceId}: heartbeat failed (${(e as Error).message}); retrying`);
      }
      if (this.fence !== undefined) {
        this.wake?.();
        return;
      }
      await new Promise((r) => setTimeout(r, tick));
    }
  }

  /** Reaps ended tasks, then moves towards this instance's fair share of every sub-topology. */
  private async assign(session: CoordinatorSession): Promise<void> {
    await this.reap(session);
    const members = this.members;
    let changed = false;
    for (const sub of this.plan.subtopologies) {
      if (this.fence !== undefined || this.stopping) return;
      const ids = Array.from({ length: sub.partitions }, (_, p) => `${sub.id}_${p}`);
      const target = fairShare(sub.partitions, members, this.instanceId, sub.id);
      const mine = ids.filter((id) => this.held.has(id));
      if (mine.length > target) {
        const order = preferenceOrder(this.instanceId, mine).reverse();
        for (const id of order.slice(0, mine.length - target)) await this.giveUp(session, id, 'rebalance');
        changed = true;
      } else if (mine.length < target) {
        const owners = await session.owners(ids);
        let have = mine.length;
        for (const id of preferenceOrder(this.instanceId, ids)) {
          if (have >= target || this.fence !== undefined || this.stopping) break;
          if (owners.has(id) || this.held.has(id) || (this.backoff.get(id) ?? 0) > Date.now()) continue;
          const epoch = await session.acquire(id);
          if (epoch === undefined) continue;
          this.start(session, sub.id, Number(id.slice(id.indexOf('_') + 1)), sub.partitions, epoch);
          have++;
          changed = true;
        }
      }
    }
    if (changed) this.rebalances++;
    for (const [id, h] of this.held) {
      if (!h.pruned && h.running.metrics().checkpoints.completed > 0) {
        h.pruned = true;
        await pruneOlderEpochs(this.checkpointBase, this.plan.jobName, id, h.running.task.epoch).catch(() => {});
      }
    }
  }

  private start(session: CoordinatorSession, subtopology: number, partition: number, partitions: number, epoch: number): void {
    const taskId = `${subtopology}_${partition}`;
    const task: TaskInfo = {
      jobName: this.plan.jobName,
      taskId,
      subtopology,
      partition,
      partitions,
      epoch,
      fence: session.fence(taskId, epoch),
      instanceId: this.instanceId,
    };
    const running = startTask({
      plan: this.plan,
      task,
      options: this.program.options as Parameters<typeof startTask>[0]['options'],
      checkpointBase: this.checkpointBase,
      clock: this.program.clock,
      logger: this.logger,
      ...(this.options.faults?.skipRestore ? { skipRestore: true } : {}),
      ...(this.keyGroupsOf(subtopology, partition, partitions) ?? {}),
    });
    const held: Held = { running, subtopology, pruned: false, outcome: undefined };
    this.held.set(taskId, held);
    this.logger.info(`weir scale-out: instance ${this.instanceId} runs task ${taskId} (epoch ${epoch})`);
    running.done.then(
      () => {
        held.outcome = {};
        this.wake?.();
      },
      (error: unknown) => {
        held.outcome = { error };
        const fenced = findFenced(error);
        if (fenced) this.fence ??= fenced;
        this.wake?.();
      },
    );
  }

  /**
   * The key groups a task of a sub-topology fed only by repartition streams owns: its partition's
   * key-group range (key-group-range.ts). Its restore keeps only those (issue #17's restore by
   * key-group range). A sub-topology read from source partitions holds the keys its producer put
   * there, which is no range: it restores all of its own checkpoint.
   */
  private keyGroupsOf(subtopology: number, partition: number, partitions: number): { keyGroups: KeyGroupRange } | undefined {
    const sub = this.plan.subtopologies[subtopology]!;
    const repartitionSources = new Set(this.plan.repartitions.map((r) => r.sourceNode));
    const sources = this.plan.graph.nodes.filter((n) => n.kind === 'source' && sub.nodes.includes(n.id));
    if (sources.length === 0 || !sources.every((n) => repartitionSources.has(n.id))) return undefined;
    return { keyGroups: keyGroupRangeOf(partition, this.program.options.maxParallelism ?? DEFAULT_MAX_PARALLELISM, partitions) };
  }

  /** Gives up tasks that ended by themselves (a failed one is left to others for a while). */
  private async reap(session: CoordinatorSession): Promise<void> {
    for (const [id, h] of [...this.held]) {
      const outcome = h.outcome;
      if (outcome === undefined) continue;
      const failed = 'error' in outcome;
      this.ended.push(taskMetrics(h.running, failed ? 'failed' : 'finished'));
      if (failed) {
        this.backoff.set(id, Date.now() + (this.options.retryDelayMs ?? 2000));
        this.logger.warn(`weir scale-out: task ${id} failed on instance ${this.instanceId} (${(outcome.error as Error).message}); giving it up`);
      }
      this.held.delete(id);
      await session.release(id, h.running.task.epoch);
      this.rebalances++;
    }
  }

  private async giveUp(session: CoordinatorSession, id: string, why: string): Promise<void> {
    const h = this.held.get(id)!;
    await this.stopWithin(h.running, session.leaseMs); // renewed meanwhile: the lease is ours until the task can no longer commit
    this.ended.push(taskMetrics(h.running, 'stopped'));
    this.held.delete(id);
    await session.release(id, h.running.task.epoch);
    this.logger.info(`weir scale-out: instance ${this.instanceId} handed over task ${id} (${why})`);
  }

  /**
   * Stops a task, waiting at most `ms`: a task that does not stop by then (stuck starting while
   * Redis is away, a checkpoint write that hangs) is given up anyway. That is safe because its
   * next owner acquires it with a new epoch, and every commit the stuck task may still attempt is
   * refused by that epoch.
   */
  private async stopWithin(running: RunningTask, ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const stopped = await Promise.race([running.stop().then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)))]);
    clearTimeout(timer);
    if (!stopped) this.logger.warn(`weir scale-out: task ${running.task.taskId} did not stop within ${ms} ms on instance ${this.instanceId}; given up anyway (its commits are fenced by the next owner's epoch)`);
  }

  /** Stops every task; releases their leases when this instance still holds them. */
  private async stopAll(session: CoordinatorSession, release: boolean): Promise<void> {
    const held = [...this.held.entries()];
    await Promise.all(held.map(([, h]) => this.stopWithin(h.running, session.leaseMs)));
    for (const [id, h] of held) {
      this.ended.push(taskMetrics(h.running, 'stopped'));
      this.held.delete(id);
      if (release) await session.release(id, h.running.task.epoch).catch(() => {});
    }
  }
}
