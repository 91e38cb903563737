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
import { ConfigError, type Source, type SourceReader, type SourceReaderContext } from '@weir/core';
import { processIdentity, type RedisSourceShared, RedisStreamReader } from './redis-stream-reader.js';
import type { RedisStreamSourceOptions } from './redis-stream-source-options.js';

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
export class RedisStreamSource<T> implements Source<T> {
  readonly bounded: boolean;
  readonly replayable = true;
  readonly name: string;
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
}
