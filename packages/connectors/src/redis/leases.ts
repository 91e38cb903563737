/**
 * Partition leases: a process owns partition `p` of a logical stream while it holds the key
 * `weir:lease:<stream>:<p>` (value: its owner id), taken with `SET NX PX` and renewed before it
 * expires. Renewal and release are Lua scripts that act only if the key still names this owner,
 * so a process that stalled past its lease can never extend or delete the new owner's lease.
 * @internal
 */
import type { Redis } from 'ioredis';

const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 2 end
return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export const leaseKey = (stream: string, partition: number) => `weir:lease:${stream}:${partition}`;

export class Leases {
  constructor(
    private readonly client: Redis,
    private readonly stream: string,
    readonly ownerId: string,
    readonly ttlMs: number,
  ) {}

  /** Takes the lease if it is free; true when this owner holds it afterwards. */
  async acquire(partition: number): Promise<boolean> {
    const key = leaseKey(this.stream, partition);
    const r = await this.client.set(key, this.ownerId, 'PX', this.ttlMs, 'NX');
    if (r === 'OK') return true;
    return (await this.client.get(key)) === this.ownerId;
  }

  /**
   * Extends the lease; if it expired meanwhile (a long outage) and nobody took it, takes it
   * again. False when another owner holds it: this process has lost the partition.
   */
  async renew(partition: number): Promise<boolean> {
    const r = await this.client.eval(RENEW, 1, leaseKey(this.stream, partition), this.ownerId, String(this.ttlMs));
    return Number(r) > 0;
  }

  async release(partition: number): Promise<void> {
    await this.client.eval(RELEASE, 1, leaseKey(this.stream, partition), this.ownerId);
  }

  /** Who holds the lease now (undefined: nobody). */
  async owner(partition: number): Promise<string | undefined> {
    return (await this.client.get(leaseKey(this.stream, partition))) ?? undefined;
  }
}
