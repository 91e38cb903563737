/**
 * `RedisStreamSink`: appends records to a logical Redis stream (partition chosen by routing key),
 * exactly once.
 *
 * Two-phase commit: records of a checkpoint interval are buffered; at the barrier they are staged
 * in a Redis list `weir:txn:<stream>:<sinkId>:<txnId>` (pre-commit: durable as Redis is, not yet
 * in the stream). When the checkpoint is durable, one Lua script — atomic in Redis — checks the
 * transaction's committed marker and, only if absent, XADDs every staged entry to its partition,
 * sets the marker and deletes the staging list. A commit repeated after a crash finds the marker
 * and adds nothing: a replay adds no duplicates. `recover` deletes staged transactions of failed
 * attempts (those not in the restored checkpoint). Entries carry field `v` (JSON, or your
 * `encode`) and `ts` (the record's timestamp). Without checkpoints everything is committed at the
 * end of the job.
 */
import { randomBytes } from 'node:crypto';
import { CheckpointError, ConfigError, type Sink, type SinkContext, type SinkWriter, type TaskAwareSink, type TaskFence, type TaskInfo } from '@weir/core';
import type { Redis } from 'ioredis';
import { createClient, partitionKey, partitionOf, type RedisConnection } from './redis-client.js';
import { fenceArgs, fenceCheck, fencedError } from './redis-fencing.js';

/**
 * Options of {@link RedisStreamSink}.
 *
 * @example
 * ```ts
 * const options: RedisStreamSinkOptions<Order> = { redis: 'redis://127.0.0.1:6379', stream: 'orders', partitions: 4, routingKey: (o) => o.customer, sinkId: 'enricher' };
 * ```
 */
export interface RedisStreamSinkOptions<T> {
  readonly redis: RedisConnection;
  /** Logical stream: the key itself with one partition, else keys `<stream>:<p>`. */
  readonly stream: string;
  readonly partitions?: number;
  /** Routing key of a record: same key, same partition, order kept. */
  readonly routingKey: (value: T) => string;
  /** Fields of the entry (default `{ v: JSON.stringify(value) }`; `ts` is added). */
  readonly encode?: (value: T) => Record<string, string>;
  /** Names this sink's transactions; unique per job writing the stream (a restarted job keeps it). */
  readonly sinkId: string;
  /** Keep each partition to about this many entries (XADD MAXLEN ~). Default: no trimming. */
  readonly maxLen?: number;
  /** How long committed-transaction markers are kept, s. Default 7 days (longer than any restore you plan). */
  readonly markerTtlSeconds?: number;
}

/**
 * A pre-committed (staged) transaction.
 *
 * @example
 * ```ts
 * const c: RedisCommittable = { txnId: 'lx3k2-9f0a1b2c3d4e', entries: 128 };
 * ```
 */
export interface RedisCommittable {
  readonly txnId: string;
  readonly entries: number;
}

/**
 * KEYS: marker, staging, txn set, fence. ARGV: txnId, markerTtl, maxLen ('' for none), epoch ('' unfenced).
 * Staged items: JSON [key, f1, v1, ...].
 */
const COMMIT = `
${fenceCheck(4, 4)}
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if redis.call('EXISTS', KEYS[2]) == 0 then return -1 end
local items = redis.call('LRANGE', KEYS[2], 0, -1)
for _, raw in ipairs(items) do
  local e = cjson.decode(raw)
  local key = table.remove(e, 1)
  if ARGV[3] ~= '' then
    redis.call('XADD', key, 'MAXLEN', '~', ARGV[3], '*', unpack(e))
  else
    redis.call('XADD', key, '*', unpack(e))
  end
end
redis.call('SET', KEYS[1], '1', 'EX', ARGV[2])
redis.call('DEL', KEYS[2])
redis.call('SREM', KEYS[3], ARGV[1])
return #items`;

/** Drops a staged transaction. KEYS: staging, txn set, fence. ARGV: txnId, epoch. */
const DROP = `
${fenceCheck(3, 2)}
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[2], ARGV[1])
return 1`;

/** @internal The writer of a transaction: entries are buffered, staged at the barrier. */
export class RedisTxnWriter<T> implements SinkWriter<T, RedisCommittable> {
  private items: string[] = [];

  constructor(protected readonly sink: RedisStreamSink<T>) {}

  write(value: T, timestamp: number): void {
    const o = this.sink.options;
    const key = partitionKey(o.stream, partitionOf(o.routingKey(value), this.sink.partitions), this.sink.partitions);
    const fields = o.encode ? o.encode(value) : { v: JSON.stringify(value) };
    this.push(key, fields, timestamp);
  }

  /** Appends an entry for `key` to the open transaction (`ts` added unless the fields have one). */
  protected push(key: string, fields: Readonly<Record<string, string>>, timestamp: number): void {
    const flat: string[] = [key];
    for (const [f, v] of Object.entries(fields)) flat.push(f, v);
    if (Number.isFinite(timestamp) && fields.ts === undefined) flat.push('ts', String(timestamp));
    this.items.push(JSON.stringify(flat));
  }

  async prepareCommit(): Promise<RedisCommittable | undefined> {
    if (this.items.length === 0) return undefined;
    const items = this.items; // sealed before the first await: later writes go to the next transaction
    this.items = [];
    const txnId = `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`;
    const client = this.sink.client();
    const staging = this.sink.stagingKey(txnId);
    await client.sadd(this.sink.txnSetKey(), txnId);
    for (let i = 0; i < items.length; i += 1000) await client.rpush(staging, ...items.slice(i, i + 1000));
    return { txnId, entries: items.length };
  }

  /** The runtime closes writers after the last commit of an attempt: release the connection (a restart opens a new one). */
  async close(): Promise<void> {
    await this.sink.close();
  }
}

/**
 * An exactly-once sink into a (partitioned) Redis stream.
 *
 * @example
 * ```ts
 * sessions.sinkTo(new RedisStreamSink<Session>({ redis: 'redis://127.0.0.1:6379', stream: 'sessions',
 *   partitions: 8, routingKey: (s) => s.userId, sinkId: 'sessionizer' }));
 * ```
 */
export class RedisStreamSink<T> implements Sink<T, RedisCommittable>, TaskAwareSink<T> {
  readonly name: string;
  readonly partitions: number;
  private redis: Redis | undefined = undefined;
  /** Set on a task's instance of the sink (scale-out): commits are checked against it. */
  protected fence: TaskFence | undefined = undefined;
  protected taskId = '';

  constructor(readonly options: RedisStreamSinkOptions<T>) {
    this.partitions = options.partitions ?? 1;
    if (!Number.isInteger(this.partitions) || this.partitions < 1) throw new ConfigError(`RedisStreamSink: partitions must be a positive integer (got ${this.partitions})`);
    if (!options.sinkId) throw new ConfigError('RedisStreamSink: sinkId must be given (it names the transactions of this job)');
    this.name = `Redis Stream Sink ${options.stream}`;
  }

  /** @internal */
  createWriter(_ctx: SinkContext): SinkWriter<T, RedisCommittable> {
    return new RedisTxnWriter(this);
  }

  /**
   * The sink of one task of a scaled-out job: transactions named per task (`<sinkId>@<task>`),
   * commits refused once the task's epoch moved on.
   *
   * @example
   * ```ts
   * const perTask = sink.forTask(task); // done by the instance for every task it runs
   * ```
   */
  forTask(task: TaskInfo): RedisStreamSink<T> {
    const copy = this.copy(`${this.options.sinkId}@${task.taskId}`);
    copy.fence = task.fence;
    copy.taskId = task.taskId;
    return copy;
  }

  /** A sink with the same options under another sink id (subclasses return their own kind). */
  protected copy(sinkId: string): RedisStreamSink<T> {
    return new RedisStreamSink<T>({ ...this.options, sinkId });
  }

  /** @internal Atomic and idempotent per transaction. */
  async commit(committables: readonly RedisCommittable[]): Promise<void> {
    const client = this.client();
    const [fenceKey, epoch] = fenceArgs(this.fence, this.txnSetKey());
    for (const c of committables) {
      const r = Number(
        await client.eval(
          COMMIT,
          4,
          this.markerKey(c.txnId),
          this.stagingKey(c.txnId),
          this.txnSetKey(),
          fenceKey,
          c.txnId,
          String(this.options.markerTtlSeconds ?? 7 * 86_400),
          this.options.maxLen === undefined ? '' : String(this.options.maxLen),
          epoch,
        ),
      );
      if (r === -2) throw await fencedError(client, this.fence!, this.taskId, `the commit of transaction ${c.txnId} (${c.entries} entries) to '${this.options.stream}'`);
      if (r === -1) throw new CheckpointError(`Redis sink ${this.options.sinkId}: transaction ${c.txnId} (${c.entries} entries) is neither staged nor committed; its data is lost (did Redis lose data?)`);
    }
  }

  /** @internal Deletes staged transactions that no restored checkpoint covers. */
  async recover(restored: { readonly state: unknown; readonly committables: readonly RedisCommittable[] } | undefined): Promise<void> {
    const client = this.client();
    const keep = new Set((restored?.committables ?? []).map((c) => c.txnId));
    const staged = await client.smembers(this.txnSetKey());
    const [fenceKey, epoch] = fenceArgs(this.fence, this.txnSetKey());
    for (const txnId of staged) {
      if (keep.has(txnId)) continue;
      const r = Number(await client.eval(DROP, 3, this.stagingKey(txnId), this.txnSetKey(), fenceKey, txnId, epoch));
      if (r === -2) throw await fencedError(client, this.fence!, this.taskId, `dropping the orphaned transaction ${txnId}`);
    }
  }

  /** Closes the sink's connection (done when the job's writer closes; the next use reconnects). @example `await sink.close();` */
  async close(): Promise<void> {
    this.redis?.disconnect();
    this.redis = undefined;
  }

  /** @internal */
  client(): Redis {
    this.redis ??= createClient(this.options.redis, `weir:sink:${this.options.sinkId}`);
    return this.redis;
  }
  /** @internal */
  stagingKey(txnId: string): string {
    return `weir:txn:${this.options.stream}:${this.options.sinkId}:${txnId}`;
  }
  /** @internal */
  txnSetKey(): string {
    return `weir:txns:${this.options.stream}:${this.options.sinkId}`;
  }
  private markerKey(txnId: string): string {
    return `weir:committed:${this.options.stream}:${this.options.sinkId}:${txnId}`;
  }
}
