/**
 * The reader of {@link RedisStreamSource}.
 *
 * Exactly-once with consumer groups, step by step:
 * 1. Positions: the checkpointed state is the ID of the last entry emitted per partition key.
 * 2. Acks: an entry is XACKed only when a checkpoint covering it completes
 *    (`notifyCheckpointComplete`). So every entry after the latest complete checkpoint is still in
 *    the group's pending list (PEL) — delivered, not acknowledged.
 * 3. Taking a partition (start, restore, or a lease won from a dead owner): XAUTOCLAIM moves its
 *    whole PEL to this consumer; entries at or before the restored position are acknowledged
 *    (a checkpoint covered them; only the ack was lost), the others are emitted again first, in
 *    ID order; then XREADGROUP `>` continues with entries never delivered. Nothing covered by the
 *    checkpoint repeats, nothing after it is lost.
 * Checkpoints and their completions come in order, one at a time, so completions are matched to
 * snapshots first-in first-out.
 * @internal
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { type PollStatus, RecordQueue, SourceError, type SourceOutput, type SourceReader, type SourceReaderContext } from '@weir/core';
import type { Redis } from 'ioredis';
import { Leases } from './leases.js';
import { collectEntry, compareIds, createClient, defaultDecode, type Entry, fieldsToObject, isBusyGroup, parseStreamsReply, partitionKey } from './redis-client.js';
import { FetchGate } from './fetch-gate.js';
import type { RedisStreamSourceOptions } from './redis-stream-source-options.js';

type Item = { readonly key: string; readonly id: string; readonly fields: readonly string[] } | { readonly key: string; readonly id: string; readonly dead: string };

/** State shared with the source object (ownership is visible to callers). */
export interface RedisSourceShared {
  owned: number[];
  consumer: string;
  ownerId: string;
}

interface PartitionState {
  readonly key: string;
  /** Bounded reading: the last ID present when the partition was taken. */
  endId: string | undefined;
  done: boolean;
}


export class RedisStreamReader<T> implements SourceReader<T> {
  private readonly queue = new RecordQueue<Item>();
  private positions: Record<string, string> = {};
  private readonly delivered = new Map<string, string[]>();
  private readonly deliveredTotal = new Map<string, number>();
  private readonly ackedTotal = new Map<string, number>();
  private readonly snapshots: Array<Map<string, number>> = [];
  private toAck = new Map<string, string[]>();
  private readonly owned = new Map<number, PartitionState>();
  private cmd: Redis | undefined = undefined;
  private blk: Redis | undefined = undefined;
  private leases: Leases | undefined = undefined;
  private leaseTimer: NodeJS.Timeout | undefined = undefined;
  private stopped = false;
  private readonly gate = new FetchGate();
  private readonly partitions: number;

  constructor(
    private readonly options: RedisStreamSourceOptions<T>,
    private readonly shared: RedisSourceShared,
    private readonly ctx: SourceReaderContext,
  ) {
    this.partitions = options.partitions ?? 1;
  }

  restorePosition(position: unknown): void {
    this.positions = { ...(position as Record<string, string>) };
  }

  async start(): Promise<void> {
    this.cmd = createClient(this.options.redis, `weir:${this.shared.consumer}`);
    this.blk = createClient(this.options.redis, `weir:${this.shared.consumer}:read`);
    const own = this.options.ownership;
    if (own === undefined) {
      for (let p = 0; p < this.partitions; p++) await this.take(p);
    } else {
      this.leases = new Leases(this.cmd, this.options.stream, this.shared.ownerId, own.leaseMs ?? 10_000);
      await this.maintainLeases();
      this.leaseTimer = setInterval(() => void this.maintainLeases(), Math.max(50, Math.floor(this.leases.ttlMs / 3)));
    }
    void this.fetchLoop();
  }

  pollNext(output: SourceOutput<T>, maxRecords: number): PollStatus {
    const decode = this.options.decode;
    for (let n = 0; n < maxRecords; n++) {
      const item = this.queue.shift();
      if (item === undefined) break;
      this.positions[item.key] = item.id;
      this.delivered.get(item.key)!.push(item.id);
      this.deliveredTotal.set(item.key, (this.deliveredTotal.get(item.key) ?? 0) + 1);
      if ('dead' in item) {
        output.deadLetter({ input: { key: item.key, id: item.id }, reason: item.dead, position: { key: item.key, id: item.id } });
        continue;
      }
      const fields = fieldsToObject(item.fields);
      let value: T;
      try {
        value = decode ? decode(fields, item.id) : defaultDecode<T>(fields);
      } catch (e) {
        output.deadLetter({ input: fields, reason: `cannot decode entry: ${(e as Error).message}`, position: { key: item.key, id: item.id } });
        continue;
      }
      collectEntry(output, value, fields);
    }
    this.gate.polled(this.queue.length);
    return this.queue.pollStatus();
  }

  isAvailable(): Promise<void> {
    return this.queue.whenAvailable();
  }

  snapshotPosition(): Record<string, string> {
    this.snapshots.push(new Map(this.deliveredTotal));
    return { ...this.positions };
  }

  async notifyCheckpointComplete(): Promise<void> {
    const snap = this.snapshots.shift();
    if (snap === undefined) return;
    for (const [key, total] of snap) {
      const n = total - (this.ackedTotal.get(key) ?? 0);
      if (n <= 0) continue;
      const ids = this.delivered.get(key)!.splice(0, n);
      this.ackedTotal.set(key, total);
      this.toAck.set(key, [...(this.toAck.get(key) ?? []), ...ids]);
    }
    await this.flushAcks();
  }

  async close(): Promise<void> {
    this.stopped = true;
    clearInterval(this.leaseTimer);
    this.gate.release();
    this.blk?.disconnect();
    if (this.leases && this.cmd?.status === 'ready') {
      for (const p of this.owned.keys()) await this.leases.release(p).catch(() => {});
    }
    this.cmd?.disconnect();
    this.shared.owned = [];
  }

  /** Acknowledges entries covered by completed checkpoints; on failure keeps them for the next try. */
  private async flushAcks(): Promise<void> {
    const pending = this.toAck;
    this.toAck = new Map();
    for (const [key, ids] of pending) {
      try {
        for (let i = 0; i < ids.length; i += 1000) await this.cmd!.call('XACK', key, this.options.group, ...ids.slice(i, i + 1000));
      } catch {
        this.toAck.set(key, [...ids, ...(this.toAck.get(key) ?? [])]); // Redis away: ack later (a restore acks them too)
      }
    }
  }

  /** Takes partition `p`: group, bounded end, and the replay of its pending entries. */
  private async take(p: number): Promise<void> {
    const key = partitionKey(this.options.stream, p, this.partitions);
    const cmd = this.cmd!;
    const { group } = this.options;
    try {
      await cmd.call('XGROUP', 'CREATE', key, group, this.options.startAt === 'latest' ? '$' : '0', 'MKSTREAM');
    } catch (e) {
      if (!isBusyGroup(e)) throw e;
    }
    let endId: string | undefined;
    if (this.options.bounded) {
      const last = (await cmd.call('XREVRANGE', key, '+', '-', 'COUNT', '1')) as Entry[];
      endId = last[0]?.[0] ?? '0-0';
    }
    const restored = this.positions[key];
    const covered: string[] = [];
    let cursor = '0-0';
    do {
      const [next, entries, deleted] = (await cmd.call('XAUTOCLAIM', key, group, this.shared.consumer, '0', cursor, 'COUNT', '1000')) as [string, Entry[], string[]];
      for (const [id, fields] of entries) {
        if (restored !== undefined && compareIds(id, restored) <= 0) covered.push(id);
        else if (fields === null) this.queue.push({ key, id, dead: `entry ${id} was deleted (trimmed) before it was processed` });
        else this.queue.push({ key, id, fields });
      }
      for (const id of deleted ?? []) {
        if (restored !== undefined && compareIds(id, restored) <= 0) covered.push(id);
        else this.queue.push({ key, id, dead: `entry ${id} was deleted (trimmed) before it was processed` });
      }
      cursor = next;
    } while (cursor !== '0-0');
    for (let i = 0; i < covered.length; i += 1000) await cmd.call('XACK', key, group, ...covered.slice(i, i + 1000));
    if (!this.delivered.has(key)) this.delivered.set(key, []);
    this.owned.set(p, { key, endId, done: false });
    this.shared.owned = [...this.owned.keys()].sort((a, b) => a - b);
  }

  /** Renews owned leases (a lost one fails the job) and takes free partitions up to the maximum. */
  private async maintainLeases(): Promise<void> {
    const own = this.options.ownership!;
    const leases = this.leases!;
    try {
      for (const p of this.owned.keys()) {
        if (!(await leases.renew(p))) {
          const holder = await leases.owner(p);
          this.queue.fail(new SourceError(this.ctx.sourceName, `lost the lease of partition ${p} of '${this.options.stream}' to ${holder ?? 'nobody'}; restart to take partitions again`));
          return;
        }
      }
      const candidates = own.partitions ?? Array.from({ length: this.partitions }, (_, i) => i);
      const max = own.maxPartitions ?? candidates.length;
      for (const p of candidates) {
        if (this.stopped || this.owned.size >= max) break;
        if (this.owned.has(p)) continue;
        if (await leases.acquire(p)) await this.take(p);
      }
    } catch {
      // Redis away: renewal is retried on the next tick; the fetch loop reports long outages.
    }
  }

  private async fetchLoop(): Promise<void> {
    let failingSince: number | undefined;
    let attempt = 0;
    const maxOutage = this.options.maxOutageMs ?? 30_000;
    while (!this.stopped) {
      if (this.gate.full(this.queue.length)) {
        await this.gate.drained();
        continue;
      }
      const active = [...this.owned.values()].filter((s) => !s.done);
      if (active.length === 0) {
        if (this.options.bounded && this.owned.size > 0) return this.queue.end();
        await sleep(50);
        continue;
      }
      const keys = active.map((s) => s.key);
      const args = ['GROUP', this.options.group, this.shared.consumer, 'COUNT', String(this.options.batchSize ?? 512)];
      if (!this.options.bounded) args.push('BLOCK', String(this.options.blockMs ?? 100));
      try {
        const reply = await this.blk!.call('XREADGROUP', ...args, 'STREAMS', ...keys, ...keys.map(() => '>'));
        failingSince = undefined;
        attempt = 0;
        const got = new Set<string>();
        for (const [key, entries] of parseStreamsReply(reply)) {
          for (const [id, fields] of entries) {
            got.add(key);
            if (fields === null) this.queue.push({ key, id, dead: `entry ${id} was deleted (trimmed) before it was processed` });
            else this.queue.push({ key, id, fields });
          }
          const s = active.find((a) => a.key === key);
          if (s?.endId !== undefined && entries.length > 0 && compareIds(entries[entries.length - 1]![0], s.endId) >= 0) s.done = true;
        }
        if (this.options.bounded) for (const s of active) if (!got.has(s.key)) s.done = true;
      } catch (e) {
        if (this.stopped) return;
        const message = (e as Error).message;
        if (message.startsWith('NOGROUP')) {
          return this.queue.fail(new SourceError(this.ctx.sourceName, `consumer group '${this.options.group}' is gone (${message}); did Redis lose its data?`, { cause: e }));
        }
        failingSince ??= Date.now();
        if (Date.now() - failingSince > maxOutage) {
          return this.queue.fail(new SourceError(this.ctx.sourceName, `Redis unreachable for more than ${maxOutage} ms: ${message}`, { cause: e }));
        }
        await sleep(Math.min(50 * ++attempt, 1000));
      }
    }
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A consumer or owner name unique to this process. */
export function processIdentity(): string {
  return `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}
