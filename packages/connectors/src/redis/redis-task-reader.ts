/**
 * The reader of one partition for one task of a scaled-out job (docs/scale-out.md).
 *
 * Unlike the consumer-group reader (redis-stream-reader.ts), it reads with `XREAD` from its own
 * position, never through the group's shared cursor: a paused old owner that wakes up and reads
 * cannot move entries away from the new owner, so nothing is lost to a zombie. Exactly-once:
 * 1. the position (last entry ID emitted, and how many entries were read up to it) is
 *    checkpointed with the task's state;
 * 2. a task starts after its restored position, or, without a checkpoint, after the consumer
 *    group's committed offset (where the group was created: the start or the end of the stream);
 * 3. when a checkpoint completes, its position is committed to the group
 *    (`XGROUP SETID ... ENTRIESREAD`), fenced by the task's epoch: a zombie's offsets never land.
 *    The group's offset is what `XINFO GROUPS` and the lag metric show, and what a repartition
 *    stream is trimmed to (`XTRIM MINID`): entries every downstream task has committed are gone.
 *
 * Repartition streams carry watermark markers (`w`: watermark, `f`: upstream task) between the
 * records; the reader keeps the latest watermark of every upstream task (checkpointed with the
 * position) and emits their minimum once every upstream task has spoken.
 * @internal
 */
import { type PollStatus, RecordQueue, SourceError, type SourceOutput, type SourceReader, type SourceReaderContext, type TaskInfo } from '@weir/core';
import type { Redis } from 'ioredis';
import { collectEntry, createClient, defaultDecode, type Entry, fieldsToObject, isBusyGroup, parseStreamsReply } from './redis-client.js';
import { FetchGate } from './fetch-gate.js';
import { fenceArgs, fenceCheck, fencedError } from './redis-fencing.js';

/** What a task reader reads and how. */
export interface TaskReaderOptions<T> {
  readonly redis: import('./redis-client.js').RedisConnection;
  /** The Redis key of the partition. */
  readonly key: string;
  readonly group: string;
  readonly startAt?: 'earliest' | 'latest';
  readonly decode?: (fields: Readonly<Record<string, string>>, id: string) => T;
  readonly batchSize?: number;
  readonly blockMs?: number;
  readonly maxOutageMs?: number;
  /** Keys read by this partition's producer come out in this partition: checked per record (undefined: no check). */
  readonly checkKey?: (value: T) => string | undefined;
  /** Repartition stream: how many upstream tasks send watermarks; trim to the committed offset. */
  readonly repartition?: { readonly upstreamTasks: number };
}

/** The checkpointed position of a task's partition. */
export interface TaskPosition {
  readonly id: string;
  /** Entries read up to `id` since the stream began (null: unknown). */
  readonly read: number | null;
  /** Repartition streams: the latest watermark of each upstream task (null: none yet). */
  readonly marks?: ReadonlyArray<number | null>;
}

/** KEYS: stream, fence. ARGV: group, id, entries read ('' unknown), epoch, trim (1/0). */
const COMMIT_OFFSET = `
${fenceCheck(2, 4)}
if ARGV[3] ~= '' then redis.call('XGROUP', 'SETID', KEYS[1], ARGV[1], ARGV[2], 'ENTRIESREAD', ARGV[3])
else redis.call('XGROUP', 'SETID', KEYS[1], ARGV[1], ARGV[2]) end
if ARGV[5] == '1' then redis.call('XTRIM', KEYS[1], 'MINID', ARGV[2]) end
return 1`;

type Item = { readonly id: string; readonly fields: readonly string[] };

const LAG_EVERY_MS = 1000;

export class RedisTaskReader<T> implements SourceReader<T> {
  private readonly queue = new RecordQueue<Item>();
  /** The position after the last entry emitted (primitives: updated per entry). */
  private positionId = '0-0';
  private positionRead: number | null = 0;
  private started = false;
  private restored: TaskPosition | undefined = undefined;
  private fetchedUpTo = '0-0';
  private readonly snapshots: Array<{ id: number; position: TaskPosition }> = [];
  private marks: Array<number | null> = [];
  private emittedWatermark = Number.NEGATIVE_INFINITY;
  private cmd: Redis | undefined = undefined;
  private blk: Redis | undefined = undefined;
  private stopped = false;
  private readonly gate = new FetchGate();
  private entriesAdded: number | undefined = undefined;

  constructor(
    private readonly options: TaskReaderOptions<T>,
    private readonly task: TaskInfo,
    private readonly ctx: SourceReaderContext,
  ) {
    if (options.repartition) this.marks = Array.from({ length: options.repartition.upstreamTasks }, () => null);
  }

  restorePosition(position: unknown): void {
    this.restored = position as TaskPosition;
  }

  async start(): Promise<void> {
    this.cmd = createClient(this.options.redis, `weir:task:${this.task.taskId}`);
    this.blk = createClient(this.options.redis, `weir:task:${this.task.taskId}:read`);
    const { key, group } = this.options;
    try {
      // From the start, 0 entries were read; from the end, Redis counts what is there.
      const from = this.options.startAt === 'latest' ? ['$', 'MKSTREAM'] : ['0', 'MKSTREAM', 'ENTRIESREAD', '0'];
      await this.cmd.call('XGROUP', 'CREATE', key, group, ...from);
    } catch (e) {
      if (!isBusyGroup(e)) throw e;
    }
    const from = this.restored ?? (await this.groupOffset());
    this.positionId = from.id;
    this.positionRead = from.read;
    this.started = true;
    if (this.restored?.marks && this.options.repartition) this.marks = this.restored.marks.slice(0, this.options.repartition.upstreamTasks).map((m) => m ?? null);
    while (this.marks.length < (this.options.repartition?.upstreamTasks ?? 0)) this.marks.push(null);
    this.fetchedUpTo = from.id;
    void this.fetchLoop();
  }

  pollNext(output: SourceOutput<T>, maxRecords: number): PollStatus {
    const decode = this.options.decode;
    for (let n = 0; n < maxRecords; n++) {
      const item = this.queue.shift();
      if (item === undefined) break;
      this.positionId = item.id;
      if (this.positionRead !== null) this.positionRead++;
      const fields = fieldsToObject(item.fields);
      if (this.options.repartition && fields.w !== undefined) {
        this.mark(output, Number(fields.f), fields.w === '+inf' ? Number.POSITIVE_INFINITY : Number(fields.w));
        continue;
      }
      let value: T;
      try {
        value = decode ? decode(fields, item.id) : defaultDecode<T>(fields);
      } catch (e) {
        output.deadLetter({ input: fields, reason: `cannot decode entry: ${(e as Error).message}`, position: { key: this.options.key, id: item.id } });
        continue;
      }
      const wrong = this.options.checkKey?.(value);
      if (wrong !== undefined) {
        output.deadLetter({ input: value, reason: wrong, position: { key: this.options.key, id: item.id } });
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

  snapshotPosition(checkpointId?: number): TaskPosition {
    const p = this.current();
    this.snapshots.push({ id: checkpointId ?? 0, position: p });
    return p;
  }

  currentPosition(): unknown {
    const p = this.current();
    const lag = this.entriesAdded !== undefined && p.read !== null ? Math.max(0, this.entriesAdded - p.read) : undefined;
    return lag === undefined ? { key: this.options.key, ...p } : { key: this.options.key, ...p, lag: { [this.options.key]: lag } };
  }

  /** Commits the completed checkpoint's position to the group, fenced by the task's epoch. */
  async notifyCheckpointComplete(checkpointId: number): Promise<void> {
    let done: TaskPosition | undefined;
    while (this.snapshots.length > 0 && this.snapshots[0]!.id <= checkpointId) done = this.snapshots.shift()!.position;
    if (done === undefined || done.id === '0-0') return;
    const cmd = this.cmd!;
    const [fenceKey, epoch] = fenceArgs(this.task.fence, this.options.key);
    const r = Number(
      await cmd.eval(COMMIT_OFFSET, 2, this.options.key, fenceKey, this.options.group, done.id, done.read === null ? '' : String(done.read), epoch, this.options.repartition ? '1' : '0'),
    );
    if (r === -2) throw await fencedError(cmd, this.task.fence, this.task.taskId, `the offset commit of '${this.options.key}' at ${done.id}`);
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.gate.release();
    this.blk?.disconnect();
    this.cmd?.disconnect();
  }

  private current(): TaskPosition {
    const p = this.started ? { id: this.positionId, read: this.positionRead } : (this.restored ?? { id: '0-0', read: 0 });
    return this.options.repartition ? { id: p.id, read: p.read, marks: this.marks.slice() } : { id: p.id, read: p.read };
  }

  /** An upstream task's watermark: the task's watermark is the minimum once all have one. */
  private mark(output: SourceOutput<T>, from: number, watermark: number): void {
    if (!Number.isInteger(from) || from < 0 || from >= this.marks.length || Number.isNaN(watermark)) return;
    const known = this.marks[from];
    if (known === null || known === undefined || watermark > known) this.marks[from] = watermark;
    let min = Number.POSITIVE_INFINITY;
    for (const m of this.marks) {
      if (m === null) return;
      if (m < min) min = m;
    }
    if (min > this.emittedWatermark) {
      this.emittedWatermark = min;
      output.emitWatermark?.(min);
    }
  }

  /** Where the group's committed offset is (the start position without a checkpoint). */
  private async groupOffset(): Promise<TaskPosition> {
    const groups = (await this.cmd!.call('XINFO', 'GROUPS', this.options.key)) as unknown[][];
    for (const g of groups) {
      const o = pairs(g);
      if (o.name !== this.options.group) continue;
      const read = o['entries-read'];
      return { id: String(o['last-delivered-id'] ?? '0-0'), read: read === null || read === undefined ? null : Number(read) };
    }
    return { id: '0-0', read: 0 };
  }

  private async fetchLoop(): Promise<void> {
    let failingSince: number | undefined;
    let attempt = 0;
    let lagAt = 0;
    const maxOutage = this.options.maxOutageMs ?? 30_000;
    const key = this.options.key;
    while (!this.stopped) {
      if (this.gate.full(this.queue.length)) {
        await this.gate.drained();
        continue;
      }
      try {
        if (Date.now() - lagAt > LAG_EVERY_MS) {
          lagAt = Date.now();
          const info = pairs((await this.cmd!.call('XINFO', 'STREAM', key)) as unknown[]);
          this.entriesAdded = Number(info['entries-added']);
        }
        const reply = await this.blk!.call('XREAD', 'COUNT', String(this.options.batchSize ?? 512), 'BLOCK', String(this.options.blockMs ?? 100), 'STREAMS', key, this.fetchedUpTo);
        failingSince = undefined;
        attempt = 0;
        // XREAD returns only entries after fetchedUpTo, in ID order.
        for (const [, entries] of parseStreamsReply(reply)) {
          for (const [id, fields] of entries as Entry[]) this.queue.push({ id, fields: fields ?? [] });
          if (entries.length > 0) this.fetchedUpTo = entries[entries.length - 1]![0];
        }
      } catch (e) {
        if (this.stopped) return;
        failingSince ??= Date.now();
        if (Date.now() - failingSince > maxOutage) {
          return this.queue.fail(new SourceError(this.ctx.sourceName, `Redis unreachable for more than ${maxOutage} ms: ${(e as Error).message}`, { cause: e }));
        }
        await new Promise<void>((r) => setTimeout(r, Math.min(50 * ++attempt, 1000)));
      }
    }
  }
}

/** A flat [k, v, k, v] reply (RESP2) or a map as an object. */
function pairs(reply: unknown[] | Record<string, unknown>): Record<string, unknown> {
  if (!Array.isArray(reply)) return reply;
  const o: Record<string, unknown> = {};
  for (let i = 0; i + 1 < reply.length; i += 2) o[String(reply[i])] = reply[i + 1];
  return o;
}
