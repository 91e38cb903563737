/**
 * The seams of scale-out (a keyed job across processes, docs/scale-out.md). Core knows tasks,
 * sub-topologies and the plan rewrite; it knows nothing of Redis. A connector supplies:
 * - partitioned sources ({@link PartitionedSource}): a source that can be restricted to one
 *   partition for one task;
 * - task-aware sinks ({@link TaskAwareSink}): a sink that names its transactions per task and
 *   refuses to commit for a task whose epoch moved on (fencing);
 * - a {@link RepartitionTransport}: a sink/source pair per repartition stream;
 * - a {@link TaskCoordinator}: membership, one lease and one epoch per task.
 *
 * Example: task `1_3` is partition 3 of sub-topology 1; an instance that acquires it gets epoch
 * 7 and a fence `{ key: '<where the epoch lives>', epoch: 7 }`; its sinks commit only while the
 * epoch under `key` is still 7.
 */
import type { Sink } from '../../contract/sink.js';
import type { Source } from '../../contract/source.js';

/**
 * What a task's sources and sinks must check before they commit: the task's epoch, stored by the
 * coordinator under `key`, must still be `epoch`.
 *
 * @example
 * ```ts
 * const fence: TaskFence = { key: 'weir:sessionizer:task:0_3:epoch', epoch: 7 };
 * ```
 */
export interface TaskFence {
  /** Where the coordinator keeps the task's current epoch (a Redis key for the Redis coordinator). */
  readonly key: string;
  /** The epoch this instance acquired the task with. */
  readonly epoch: number;
}

/**
 * One task as its sources and sinks see it.
 *
 * @example
 * ```ts
 * const sink = { forTask: (task: TaskInfo) => new RedisStreamSink({ ...options, sinkId: `${options.sinkId}@${task.taskId}` }) };
 * ```
 */
export interface TaskInfo {
  readonly jobName: string;
  /** `<sub-topology>_<partition>`, as Kafka Streams names tasks. */
  readonly taskId: string;
  readonly subtopology: number;
  readonly partition: number;
  /** Partitions (tasks) of the sub-topology. */
  readonly partitions: number;
  readonly epoch: number;
  readonly fence: TaskFence;
  /** The instance running the task. */
  readonly instanceId: string;
}

/**
 * A source whose input is split into partitions, each readable by one task.
 *
 * @example
 * ```ts
 * const byUser = (c: Click) => c.user;
 * const clicks = new RedisStreamSource<Click>({ redis, stream: 'clicks', partitions: 8, group: 'g', partitionKey: byUser });
 * env.fromSource(clicks).keyBy(byUser); // co-partitioned: no repartition stream
 * ```
 */
export interface PartitionedSource<T> extends Source<T> {
  readonly partitions: number;
  /**
   * The key the input is partitioned by, if known. A `keyBy` with this very function is
   * co-partitioned with the source and is not repartitioned.
   */
  readonly partitionKey?: ((value: T) => unknown) | undefined;
  /** The partition a key of `partitionKey` lives in (checked on co-partitioned edges). */
  partitionOf(key: unknown): number;
  /** The source restricted to `task.partition`, committing its offsets under `task.fence`. */
  forTask(task: TaskInfo): Source<T>;
}

/**
 * A sink that can be instantiated per task (its own transactions, fenced commits).
 *
 * @example
 * ```ts
 * const perTask: TaskAwareSink<string> = { createWriter: () => ({ write: () => {} }), forTask: () => perTask };
 * ```
 */
export interface TaskAwareSink<T> extends Sink<T> {
  forTask(task: TaskInfo): Sink<T>;
}

/**
 * What a repartition stream is: where the plan was cut, and how records are routed into it.
 *
 * @example
 * ```ts
 * const spec: RepartitionSpec = { jobName: 'j', index: 1, name: 'j-repartition-1', partitions: 8, upstreamTasks: 8,
 *   key: (v) => (v as { page: string }).page, partitionOf: () => 0 };
 * ```
 */
export interface RepartitionSpec {
  readonly jobName: string;
  /** 1 for the plan's first repartition, 2 for the second, ... */
  readonly index: number;
  /** `<job>-repartition-<index>`: the stream's name in the transport. */
  readonly name: string;
  readonly partitions: number;
  /** Tasks writing into the stream (the upstream sub-topology's partitions): the watermark is their minimum. */
  readonly upstreamTasks: number;
  /** The key of the `keyBy` that was cut. */
  readonly key: (value: unknown) => unknown;
  /** The partition of a key: its key group's range (Flink's operator index for a key group). */
  readonly partitionOf: (key: unknown) => number;
}

/**
 * The repartition streams of a transport (Redis: one Redis stream per partition).
 *
 * @example
 * ```ts
 * const { sink, source } = transport.repartition(spec); // sink ends the upstream sub-topology, source starts the downstream one
 * ```
 */
export interface RepartitionTransport {
  repartition(spec: RepartitionSpec): { readonly sink: TaskAwareSink<unknown>; readonly source: PartitionedSource<unknown> };
}

/**
 * One instance's membership in a scaled-out job: heartbeats, leases and epochs of tasks. All
 * methods may throw when the coordination store is unreachable; the instance retries.
 *
 * @example
 * ```ts
 * const session = await coordinator.join('sessionizer', 'host-a-1234');
 * const epoch = await session.acquire('0_3'); // undefined: another instance holds it
 * ```
 */
export interface CoordinatorSession {
  readonly instanceId: string;
  /** How long a lease and a membership last without renewal, ms. */
  readonly leaseMs: number;
  /**
   * Renews this instance's membership and returns the live members (sorted); `expired` when this
   * instance's membership had lapsed meanwhile (it was presumed dead for a while: the others may
   * have started taking its tasks, which `renew` then tells).
   */
  heartbeat(): Promise<{ readonly members: readonly string[]; readonly expired: boolean }>;
  /** Takes the task's lease if it is free; returns the new epoch, or undefined when another instance holds it. */
  acquire(taskId: string): Promise<number | undefined>;
  /**
   * Extends the lease; false when the task moved on to a newer epoch (another instance acquired
   * it: this one lost it). A lease that merely expired, with nobody acquiring the task since, is
   * taken again at the same epoch.
   */
  renew(taskId: string, epoch: number): Promise<boolean>;
  /** Gives the task up (only if still held at this epoch). */
  release(taskId: string, epoch: number): Promise<void>;
  /** The holder of each task's lease (tasks without one are absent). */
  owners(taskIds: readonly string[]): Promise<ReadonlyMap<string, string>>;
  /** The fence a task's commits are checked against. */
  fence(taskId: string, epoch: number): TaskFence;
  /** Resolves at the next membership or ownership change anyone announces (or after `ms`). */
  changed(ms: number): Promise<void>;
  /** Leaves the group (membership removed, changes announced). */
  leave(): Promise<void>;
}

/**
 * Where instances of a job agree on who runs which task.
 *
 * @example
 * ```ts
 * const session = await coordinator.join('sessionizer', instanceId);
 * ```
 */
export interface TaskCoordinator {
  join(jobName: string, instanceId: string): Promise<CoordinatorSession>;
}

/** True when `source` can be split into partitions for tasks. */
export function isPartitionedSource(source: unknown): source is PartitionedSource<unknown> {
  const s = source as Partial<PartitionedSource<unknown>> | undefined;
  return typeof s?.forTask === 'function' && typeof s.partitionOf === 'function' && Number.isInteger(s.partitions);
}

/** True when `sink` can be instantiated per task. */
export function isTaskAwareSink(sink: unknown): sink is TaskAwareSink<unknown> {
  return typeof (sink as Partial<TaskAwareSink<unknown>> | undefined)?.forTask === 'function';
}
