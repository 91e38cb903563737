/**
 * Everything a scaled-out job needs from Redis in one call: the coordinator (membership, leases,
 * epochs) and the repartition transport.
 */
import { RedisCoordinator } from './redis-coordinator.js';
import type { RedisConnection } from './redis-client.js';
import { type RedisRepartitionOptions, RedisRepartitionTransport } from './redis-repartition.js';

/**
 * Options of {@link redisScaleOut}.
 *
 * @example
 * ```ts
 * const options: RedisScaleOutOptions = { redis: 'redis://127.0.0.1:6379', leaseMs: 3000 };
 * ```
 */
export interface RedisScaleOutOptions {
  readonly redis: RedisConnection;
  /** How long an instance's lease on a task and its membership last without renewal, ms. Default 3000. */
  readonly leaseMs?: number;
  /** Options of the repartition streams. */
  readonly repartition?: Omit<RedisRepartitionOptions, 'redis'>;
}

/**
 * The coordinator and the repartition transport of a scaled-out job on Redis.
 *
 * @example
 * ```ts
 * await runInstance(env, { jobName: 'sessionizer', ...redisScaleOut({ redis: 'redis://127.0.0.1:6379' }) });
 * ```
 */
export function redisScaleOut(options: RedisScaleOutOptions): { coordinator: RedisCoordinator; transport: RedisRepartitionTransport } {
  return {
    coordinator: new RedisCoordinator({ redis: options.redis, ...(options.leaseMs !== undefined ? { leaseMs: options.leaseMs } : {}) }),
    transport: new RedisRepartitionTransport({ ...options.repartition, redis: options.redis }),
  };
}
