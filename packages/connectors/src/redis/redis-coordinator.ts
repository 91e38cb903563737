/**
 * Where the instances of a scaled-out job agree on who runs which task: Redis.
 *
 * Keys, for job `j` (prefix `weir:so:j:`):
 * - `members`: a sorted set of instance ids scored by when their membership expires (Redis
 *   time, ms); a heartbeat re-scores the instance and drops members that expired;
 * - `task:<id>:owner`: the task's lease, the owner's instance id with a time-to-live (`SET NX PX`);
 * - `task:<id>:epoch`: the task's epoch, incremented by every acquisition (in the same script as
 *   the lease), checked by every commit for the task (redis-fencing.ts);
 * - `changes`: a pub/sub channel on which joins, leaves, acquisitions and releases are
 *   announced, so that the others react at once rather than at their next tick.
 *
 * Every check-and-act is one Lua script: renewing or releasing acts only at this instance's epoch
 * (renewing takes an expired lease back when nobody acquired the task since), so a paused
 * instance can never extend or free a lease that moved on.
 */
import type { CoordinatorSession, TaskCoordinator, TaskFence } from '@weir/core';
import type { Redis } from 'ioredis';
import { createClient, type RedisConnection } from './redis-client.js';

const NOW = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/** KEYS: members. ARGV: instance, leaseMs. Returns {expired (0/1), members...}. */
const HEARTBEAT = `${NOW}
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
local expired = 0
if (not score) or tonumber(score) < now then expired = 1 end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - 1)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
local out = { expired }
for _, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do out[#out + 1] = m end
return out`;

/** KEYS: members. ARGV: instance, leaseMs. */
const JOIN = `${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - 1)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
return 1`;

/** KEYS: owner, epoch. ARGV: instance, leaseMs. Returns the new epoch, or nil when taken. */
const ACQUIRE = `if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return redis.call('INCR', KEYS[2]) end
return false`;

/**
 * KEYS: owner, epoch. ARGV: instance, epoch, leaseMs. Extends the lease; a lease that expired
 * while nobody took the task (the epoch is unchanged: nobody ran it since) is taken again at the
 * same epoch, so a Redis that stalled (an fsync) or a short outage does not fence anyone.
 */
const RENEW = `if redis.call('GET', KEYS[2]) ~= ARGV[2] then return 0 end
local owner = redis.call('GET', KEYS[1])
if owner == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
if not owner then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3]) return 2 end
return 0`;

/** KEYS: owner, epoch. ARGV: instance, epoch. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] and redis.call('GET', KEYS[2]) == ARGV[2] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * Options of {@link RedisCoordinator}.
 *
 * @example
 * ```ts
 * const options: RedisCoordinatorOptions = { redis: 'redis://127.0.0.1:6379', leaseMs: 3000 };
 * ```
 */
export interface RedisCoordinatorOptions {
  readonly redis: RedisConnection;
  /** How long a lease or membership lasts without renewal, ms (renewed every third of it). Default 3000. */
  readonly leaseMs?: number;
}

/** The Redis key prefix of a scaled-out job's coordination. */
export const coordinationPrefix = (jobName: string) => `weir:so:${jobName}:`;

/** The Redis key that holds a task's epoch (what commits are fenced against). */
export const epochKey = (jobName: string, taskId: string) => `${coordinationPrefix(jobName)}task:${taskId}:epoch`;

/**
 * Task assignment for scaled-out jobs through Redis (membership, leases, epochs).
 *
 * @example
 * ```ts
 * await runInstance(env, { jobName: 'sessionizer', coordinator: new RedisCoordinator({ redis: 'redis://127.0.0.1:6379' }), transport });
 * ```
 */
export class RedisCoordinator implements TaskCoordinator {
  constructor(private readonly options: RedisCoordinatorOptions) {}

  /** @internal */
  async join(jobName: string, instanceId: string): Promise<CoordinatorSession> {
    const session = new RedisSession(this.options, jobName, instanceId);
    try {
      await session.open();
    } catch (e) {
      session.close(); // Redis away: the caller retries with a new session
      throw e;
    }
    return session;
  }
}

class RedisSession implements CoordinatorSession {
  readonly leaseMs: number;
  private readonly cmd: Redis;
  private sub: Redis | undefined = undefined;
  private readonly prefix: string;
  private waiters: Array<() => void> = [];

  constructor(
    private readonly options: RedisCoordinatorOptions,
    private readonly jobName: string,
    readonly instanceId: string,
  ) {
    this.leaseMs = options.leaseMs ?? 3000;
    this.prefix = coordinationPrefix(jobName);
    this.cmd = createClient(options.redis, `weir:so:${instanceId}`);
  }

  async open(): Promise<void> {
    const sub = createClient(this.options.redis, `weir:so:${this.instanceId}:changes`);
    this.sub = sub;
    sub.on('message', () => this.notify());
    await sub.subscribe(this.channel);
    await this.cmd.eval(JOIN, 1, this.members, this.instanceId, String(this.leaseMs));
    await this.announce('join');
  }

  async heartbeat(): Promise<{ members: readonly string[]; expired: boolean }> {
    const r = (await this.cmd.eval(HEARTBEAT, 1, this.members, this.instanceId, String(this.leaseMs))) as [number, ...string[]];
    const [expired, ...members] = r;
    return { members: members.sort(), expired: Number(expired) === 1 };
  }

  async acquire(taskId: string): Promise<number | undefined> {
    const r = await this.cmd.eval(ACQUIRE, 2, this.ownerKey(taskId), epochKey(this.jobName, taskId), this.instanceId, String(this.leaseMs));
    if (r === null) return undefined;
    await this.announce('acquire');
    return Number(r);
  }

  async renew(taskId: string, epoch: number): Promise<boolean> {
    const r = await this.cmd.eval(RENEW, 2, this.ownerKey(taskId), epochKey(this.jobName, taskId), this.instanceId, String(epoch), String(this.leaseMs));
    return Number(r) > 0;
  }

  async release(taskId: string, epoch: number): Promise<void> {
    const r = await this.cmd.eval(RELEASE, 2, this.ownerKey(taskId), epochKey(this.jobName, taskId), this.instanceId, String(epoch));
    if (Number(r) === 1) await this.announce('release');
  }

  async owners(taskIds: readonly string[]): Promise<ReadonlyMap<string, string>> {
    const out = new Map<string, string>();
    if (taskIds.length === 0) return out;
    const values = await this.cmd.mget(...taskIds.map((t) => this.ownerKey(t)));
    taskIds.forEach((t, i) => {
      const v = values[i];
      if (v !== null && v !== undefined) out.set(t, v);
    });
    return out;
  }

  fence(taskId: string, epoch: number): TaskFence {
    return { key: epochKey(this.jobName, taskId), epoch };
  }

  changed(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.waiters.push(done);
    });
  }

  async leave(): Promise<void> {
    try {
      await this.cmd.zrem(this.members, this.instanceId);
      await this.announce('leave');
    } finally {
      this.sub?.disconnect();
      this.cmd.disconnect();
      this.notify();
    }
  }

  /** Drops the connections (a session that could not open). */
  close(): void {
    this.sub?.disconnect();
    this.cmd.disconnect();
  }

  private notify(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private async announce(what: string): Promise<void> {
    await this.cmd.publish(this.channel, `${what} ${this.instanceId}`);
  }

  private get members(): string {
    return `${this.prefix}members`;
  }
  private get channel(): string {
    return `${this.prefix}changes`;
  }
  private ownerKey(taskId: string): string {
    return `${this.prefix}task:${taskId}:owner`;
  }
}
