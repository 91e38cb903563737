/**
 * `RedisStreamSource`: reads a logical stream — one Redis stream key, or N partition keys
 * `<stream>:<p>` — through a consumer group.
 *
 * Guarantee: exactly-once (with checkpoints and a transactional or idempotent sink): positions
 * are checkpointed and entries are acknowledged only when a checkpoint covering them completes;
 * see RedisStreamReader for the protocol. Several processes can share the partitions with
 * `ownership` (leases, `SET NX PX`): each partition has one owner at a time, a process takes
 * free partitions up to `maxPartitions`, and a standby takes over the partitions of an owner
 * whose lease expired (replaying its unacknowledged entries — exactly-once per partition for
 * what the new owner checkpoints; keyed state of the old owner does not move with it).
 * Bad entries (undecodable, trimmed before processing) go to the dead-letter output; a Redis
 * outage is ridden out (reconnects, retries) up to `maxOutageMs`, then the job fails with a
 * SourceError.
 */
import { ConfigError, type PartitionedSource, type Source, type SourceReader, type SourceReaderContext, type TaskInfo } from '@weir/core';
import { partitionKey, partitionOf } from './redis-client.js';
import { processIdentity, type RedisSourceShared, RedisStreamReader } from './redis-stream-reader.js';
import type { RedisStreamSourceOptions } from './redis-stream-source-options.js';
import { RedisTaskReader } from './redis-task-reader.js';

/**
 * A replayable source over Redis Streams with consumer groups and partition leases.
 *
 * @example
 * ```ts
 * const clicks = env.fromSource(new RedisStreamSource<Click>({
 *   redis: 'redis://127.0.0.1:6379', stream: 'clicks', partitions: 8, group: 'sessionizer',
 *   ownership: { maxPartitions: 4, leaseMs: 10_000 },   // two processes share 8 partitions
 * }));
 * ```
 */
export class RedisStreamSource<T> implements Source<T>, PartitionedSource<T> {
  readonly bounded: boolean;
  readonly replayable = true;
  readonly name: string;
  readonly partitions: number;
  readonly partitionKey: ((value: T) => string) | undefined;
  private readonly shared: RedisSourceShared;

  constructor(private readonly options: RedisStreamSourceOptions<T>) {
    const n = options.partitions ?? 1;
    if (!Number.isInteger(n) || n < 1) throw new ConfigError(`RedisStreamSource: partitions must be a positive integer (got ${n})`);
    if (!options.stream) throw new ConfigError('RedisStreamSource: stream must be given');
    if (!options.group) throw new ConfigError('RedisStreamSource: group must be given');
    for (const p of options.ownership?.partitions ?? []) {
      if (!Number.isInteger(p) || p < 0 || p >= n) throw new ConfigError(`RedisStreamSource: ownership partition ${p} is not in 0..${n - 1}`);
    }
    this.bounded = options.bounded ?? false;
    this.partitions = n;
    this.partitionKey = options.partitionKey;
    this.name = `Redis Stream ${options.stream}`;
    const id = processIdentity();
    this.shared = { owned: [], consumer: options.consumer ?? id, ownerId: options.ownership?.ownerId ?? id };
  }

  /**
   * Partitions this process owns now (all of them without `ownership`, once started).
   *
   * @example
   * ```ts
   * console.log(`reading partitions ${source.ownedPartitions().join(',')}`);
   * ```
   */
  ownedPartitions(): readonly number[] {
    return this.shared.owned;
  }

  /** @internal */
  createReader(ctx: SourceReaderContext): SourceReader<T> {
    return new RedisStreamReader(this.options, this.shared, ctx);
  }

  /**
   * The partition a key lives in, as `RedisStreamSink` routes it.
   *
   * @example
   * ```ts
   * source.partitionOf('alice'); // the same as partitionOf('alice', partitions)
   * ```
   */
  partitionOf(key: unknown): number {
    return partitionOf(key as string, this.partitions);
  }

  /**
   * The source of one task of a scaled-out job: partition `task.partition` only, read from the
   * task's checkpointed position, offsets committed under the task's fence (redis-task-reader.ts).
   *
   * @example
   * ```ts
   * const reader = source.forTask(task).createReader(ctx); // done by the instance for every task it runs
   * ```
   */
  forTask(task: TaskInfo): Source<T> {
    if (this.bounded) throw new ConfigError(`${this.name}: a bounded source cannot be split into tasks of a scaled-out job`);
    if (task.partitions !== this.partitions) throw new ConfigError(`${this.name}: task ${task.taskId} expects ${task.partitions} partitions, the stream has ${this.partitions}`);
    const o = this.options;
    const key = o.partitionKey;
    return {
      name: this.name,
      bounded: false,
      replayable: true,
      createReader: (ctx) =>
        new RedisTaskReader<T>(
          {
            redis: o.redis,
            key: partitionKey(o.stream, task.partition, this.partitions),
            group: o.group,
            ...(o.startAt ? { startAt: o.startAt } : {}),
            ...(o.decode ? { decode: o.decode } : {}),
            ...(o.batchSize ? { batchSize: o.batchSize } : {}),
            ...(o.blockMs ? { blockMs: o.blockMs } : {}),
            ...(o.maxOutageMs ? { maxOutageMs: o.maxOutageMs } : {}),
            ...(key
              ? {
                  checkKey: (v: T) => {
                    const k = key(v);
                    const p = partitionOf(k, this.partitions);
                    return p === task.partition ? undefined : `key ${JSON.stringify(k)} belongs to partition ${p}, not ${task.partition}: the producer did not partition by partitionKey`;
                  },
                }
              : {}),
          },
          task,
          ctx,
        ),
    };
  }
}
