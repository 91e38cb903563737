/**
 * Redis plumbing shared by the Redis Streams source and sink: client creation (fast failure of
 * single commands, automatic reconnection, errors never unhandled), stream-ID comparison, reply
 * parsing (RESP2 nested arrays and RESP3 maps flattened by the client), and the partition layout.
 * @internal
 */
import { keyGroupOf } from '@weir/core';
import { Redis, type RedisOptions } from 'ioredis';
import type { SourceOutput } from '@weir/core';

/**
 * A Redis URL (`redis://127.0.0.1:6379/0`) or ioredis options.
 *
 * @example
 * ```ts
 * const a: RedisConnection = 'redis://127.0.0.1:6379/0'; const b: RedisConnection = { host: '127.0.0.1', port: 6379 };
 * ```
 */
export type RedisConnection = string | RedisOptions;

/** A client whose commands fail fast while the server is away (callers retry) and that reconnects by itself. */
export function createClient(connection: RedisConnection, name: string): Redis {
  const base: RedisOptions = {
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(50 * times, 500),
    connectionName: name,
    lazyConnect: false,
  };
  const client = typeof connection === 'string' ? new Redis(connection, base) : new Redis({ ...base, ...connection });
  client.on('error', () => {}); // surfaced through failing commands, which the callers handle
  return client;
}

/**
 * The Redis key of partition `p` of a logical stream: the name itself when there is one partition.
 *
 * @example
 * ```ts
 * partitionKey('clicks', 3, 8); // 'clicks:3'
 * ```
 */
export function partitionKey(stream: string, partition: number, partitions: number): string {
  return partitions === 1 ? stream : `${stream}:${partition}`;
}

/**
 * The partition of a routing key (the same hash as the embedded stream store and keyed state).
 *
 * @example
 * ```ts
 * const p = partitionOf(click.userId, 8); // the partition a RedisStreamSink writes this user to
 * ```
 */
export function partitionOf(routingKey: string, partitions: number): number {
  return keyGroupOf(routingKey, partitions);
}

/** Compares stream IDs `ms-seq` numerically. */
export function compareIds(a: string, b: string): number {
  const [am, as] = split(a);
  const [bm, bs] = split(b);
  return am !== bm ? (am < bm ? -1 : 1) : as === bs ? 0 : as < bs ? -1 : 1;
}
function split(id: string): [bigint, bigint] {
  const i = id.indexOf('-');
  return i < 0 ? [BigInt(id), 0n] : [BigInt(id.slice(0, i)), BigInt(id.slice(i + 1))];
}

/** An entry: its ID and its field/value pairs. */
export type Entry = readonly [id: string, fields: readonly string[] | null];

/** Parses an XREAD/XREADGROUP reply into `[key, entries]` pairs, whichever shape the client returned. */
export function parseStreamsReply(reply: unknown): Array<[string, Entry[]]> {
  if (reply == null) return [];
  const arr = reply as unknown[];
  if (arr.length === 0) return [];
  if (typeof arr[0] === 'string') {
    const out: Array<[string, Entry[]]> = [];
    for (let i = 0; i + 1 < arr.length; i += 2) out.push([arr[i] as string, arr[i + 1] as Entry[]]);
    return out;
  }
  return arr as Array<[string, Entry[]]>;
}

/** Field/value pairs as an object. */
export function fieldsToObject(fields: readonly string[]): Record<string, string> {
  const o: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) o[fields[i]!] = fields[i + 1]!;
  return o;
}

/** JSON of field `v` when present, else the fields themselves (an entry's default decoding). */
export function defaultDecode<T>(fields: Record<string, string>): T {
  return (fields.v !== undefined ? JSON.parse(fields.v) : fields) as T;
}

/** Hands a decoded entry to the job, stamped with its `ts` field when that is a finite number. */
export function collectEntry<T>(output: SourceOutput<T>, value: T, fields: Record<string, string>): void {
  const ts = fields.ts === undefined ? Number.NaN : Number(fields.ts);
  if (Number.isFinite(ts)) output.collect(value, ts);
  else output.collect(value);
}

/** True for the error Redis answers when a consumer group already exists. */
export const isBusyGroup = (e: unknown) => e instanceof Error && e.message.startsWith('BUSYGROUP');
