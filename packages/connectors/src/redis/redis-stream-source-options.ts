/**
 * Options of {@link RedisStreamSource}.
 */
import type { RedisConnection } from './redis-client.js';

/**
 * Which partitions a process may own, and how leases on them behave.
 *
 * @example
 * ```ts
 * const ownership: PartitionOwnership = { maxPartitions: 4, leaseMs: 10_000 };
 * ```
 */
export interface PartitionOwnership {
  /** Partitions this process may take (default: all). */
  readonly partitions?: readonly number[];
  /** Most partitions owned at once (default: all it may take). Free ones are taken as they appear (standby). */
  readonly maxPartitions?: number;
  /** Lease time-to-live, ms; renewed every third of it. Default 10 000. */
  readonly leaseMs?: number;
  /** This process's identity in lease keys. Default `<hostname>-<pid>-<random>`. */
  readonly ownerId?: string;
}

/**
 * @example
 * ```ts
 * const options: RedisStreamSourceOptions<Click> = { redis: 'redis://127.0.0.1:6379', stream: 'clicks', partitions: 8, group: 'sessionizer' };
 * ```
 */
export interface RedisStreamSourceOptions<T> {
  /** `redis://host:port/db` or ioredis options. */
  readonly redis: RedisConnection;
  /** Logical stream: the Redis key itself with one partition, else keys `<stream>:<p>`. */
  readonly stream: string;
  /** Number of partitions (stream keys) of the logical stream. Default 1. */
  readonly partitions?: number;
  /** Consumer group (created with MKSTREAM when missing). */
  readonly group: string;
  /** Consumer name within the group. Default `<hostname>-<pid>-<random>`. */
  readonly consumer?: string;
  /** Where a newly created group starts: `'earliest'` (default, ID 0) or `'latest'` (`$`). */
  readonly startAt?: 'earliest' | 'latest';
  /**
   * Turns an entry into a record; may throw (the entry then goes to the dead letters). Default:
   * JSON of field `v` when present, else the fields as an object.
   */
  readonly decode?: (fields: Readonly<Record<string, string>>, id: string) => T;
  /**
   * The key the entries are partitioned by: the `routingKey` of the `RedisStreamSink` (or your
   * producer) that wrote them, as a function of the decoded record. In a scaled-out job
   * (`runInstance`), a `keyBy` with this very function is co-partitioned with the stream and needs
   * no repartition stream; each task checks that its entries belong to its partition (others go
   * to the dead letters).
   */
  readonly partitionKey?: (value: T) => string;
  /** Share the partitions among processes with leases (`SET NX PX`). Default: own every partition, no leases. */
  readonly ownership?: PartitionOwnership;
  /** Read what the partitions hold when they are taken, then end. Default false. */
  readonly bounded?: boolean;
  /** Entries per XREADGROUP. Default 512. */
  readonly batchSize?: number;
  /** XREADGROUP BLOCK, ms. Default 100. */
  readonly blockMs?: number;
  /** Fail the job when Redis stays unreachable this long, ms. Default 30 000. */
  readonly maxOutageMs?: number;
}
