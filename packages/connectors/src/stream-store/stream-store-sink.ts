/**
 * `StreamStoreSink`: writes a weir stream into an embedded stream, transactionally.
 *
 * Two-phase commit (Flink's TwoPhaseCommitSink shape): records of one checkpoint interval are
 * staged in a transaction file `txn/<sinkId>/<txnId>.log` (spilled as they come, fsynced at the
 * checkpoint barrier: pre-commit). When the checkpoint is durable, commit moves the transaction
 * into the segments: per segment, one frame tagged with the transaction id, appended and fsynced
 * — readers see the events only then. A commit that is repeated after a crash skips segments
 * already holding that transaction's frame (idempotent), and `recover` deletes the transaction
 * files of attempts that never reached a checkpoint. Guarantee: exactly-once (with a replayable
 * source and checkpoints); without checkpoints, everything becomes visible at the end of the job.
 */
import { CheckpointError, type Sink, type SinkContext, type SinkWriter } from '@weir/core';
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rm, type FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { decodeFrames, encodeFrame, type StoredEvent } from './frame-codec.js';
import { SegmentAppender } from './segment-appender.js';
import { jsonSerializer, type Serializer } from './serializer.js';
import { checkName, readConfig, segmentOf, segmentPath, streamDir, syncDir, type StreamConfig } from './stream-config.js';

/**
 * Options of {@link StreamStoreSink}.
 *
 * @example
 * ```ts
 * const options: StreamStoreSinkOptions<Order> = { root: './data/streams', scope: 'shop', stream: 'out', routingKey: (o) => o.customer, sinkId: 'job-1' };
 * ```
 */
export interface StreamStoreSinkOptions<T> {
  readonly root: string;
  readonly scope: string;
  readonly stream: string;
  /** Routing key of a record (same key, same segment, order kept). */
  readonly routingKey: (value: T) => string;
  readonly serializer?: Serializer<T>;
  /**
   * Names this sink's transactions; unique per job writing the stream (a restarted job keeps it).
   * Default `'weir'`.
   */
  readonly sinkId?: string;
}

/**
 * A pre-committed transaction.
 *
 * @example
 * ```ts
 * const c: StreamStoreCommittable = { txnId: 'job-1.lx3k2.9f0a1b2c3d4e', events: 512 };
 * ```
 */
export interface StreamStoreCommittable {
  readonly txnId: string;
  readonly events: number;
}

const SPILL_EVENTS = 4096;

class TxnWriter<T> implements SinkWriter<T, StreamStoreCommittable> {
  private events: StoredEvent[] = [];
  private count = 0;
  private txnId: string | undefined = undefined;
  /** Bytes spilled to the open transaction file (where its next frame goes). */
  private fileOffset = 0;
  private file: Promise<FileHandle> | undefined = undefined;
  private spilled: Promise<void> = Promise.resolve();
  private failure: unknown = undefined;

  constructor(
    private readonly sink: StreamStoreSink<T>,
    private readonly serializer: Serializer<T>,
  ) {}

  write(value: T, timestamp: number): void {
    const data = this.serializer.serialize(value);
    this.events.push({ routingKey: this.sink.options.routingKey(value), timestamp: Number.isFinite(timestamp) ? timestamp : undefined, data });
    this.count++;
    if (this.events.length >= SPILL_EVENTS) this.spill();
  }

  async prepareCommit(_checkpointId: number): Promise<StreamStoreCommittable | undefined> {
    if (this.count === 0) return undefined;
    // Seal the transaction before the first await: records written while the sealed one is
    // being synced belong to the next transaction (they are after the checkpoint's cut).
    this.spill();
    const txnId = this.txnId!;
    const file = this.file!;
    const spilled = this.spilled;
    const events = this.count;
    this.txnId = undefined;
    this.file = undefined;
    this.count = 0;
    await spilled;
    if (this.failure !== undefined) throw this.failure;
    const h = await file;
    await h.sync();
    await h.close();
    await syncDir(await this.sink.txnDir());
    return { txnId, events };
  }

  async close(): Promise<void> {
    await this.spilled.catch(() => {});
    await (await this.file?.catch(() => undefined))?.close().catch(() => {});
  }

  /** Appends the buffered events to the transaction file (opening it for a new transaction). */
  private spill(): void {
    if (this.events.length === 0) return;
    if (this.txnId === undefined) {
      this.txnId = `${this.sink.sinkId}.${Date.now().toString(36)}.${randomBytes(6).toString('hex')}`;
      this.fileOffset = 0;
      const id = this.txnId;
      this.file = this.sink.txnDir().then((dir) => open(join(dir, `${id}.log`), 'wx'));
    }
    const frame = encodeFrame(this.txnId, this.events, this.fileOffset);
    this.fileOffset += frame.length;
    this.events = [];
    const file = this.file!;
    this.spilled = this.spilled.then(async () => {
      if (this.failure !== undefined) return;
      try {
        const h = await file;
        await h.write(frame);
      } catch (e) {
        this.failure = e;
      }
    });
  }
}

/**
 * A transactional (exactly-once) sink into an embedded stream.
 *
 * @example
 * ```ts
 * orders.sinkTo(new StreamStoreSink<Order>({ root: './data/streams', scope: 'shop', stream: 'orders-enriched',
 *   routingKey: (o) => o.customerId, sinkId: 'enrich-job' }));
 * ```
 */
export class StreamStoreSink<T> implements Sink<T, StreamStoreCommittable> {
  readonly name: string;
  readonly sinkId: string;
  private config: Promise<StreamConfig> | undefined = undefined;

  constructor(readonly options: StreamStoreSinkOptions<T>) {
    this.sinkId = options.sinkId ?? 'weir';
    checkName('sinkId', this.sinkId);
    this.name = `Stream Sink ${options.scope}/${options.stream}`;
  }

  /** @internal */
  createWriter(_ctx: SinkContext): SinkWriter<T, StreamStoreCommittable> {
    return new TxnWriter(this, this.options.serializer ?? jsonSerializer<T>());
  }

  /** @internal Makes pre-committed transactions visible, idempotently. */
  async commit(committables: readonly StreamStoreCommittable[]): Promise<void> {
    const { segments } = await this.streamConfig();
    const dir = this.dir();
    for (const c of committables) {
      const path = join(await this.txnDir(), `${c.txnId}.log`);
      let bytes: Buffer;
      try {
        bytes = await readFile(path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        // The file is deleted only after every segment took the transaction.
        if (await this.isCommitted(c.txnId, segments)) continue;
        throw new CheckpointError(`stream sink ${this.sinkId}: transaction ${c.txnId} (${c.events} events) is neither staged nor committed; its data is lost`);
      }
      const { frames, end } = decodeFrames(bytes, 0);
      if (end !== 'clean') throw new CheckpointError(`stream sink ${this.sinkId}: transaction file ${path} is damaged (${end})`);
      const bySegment = new Map<number, StoredEvent[]>();
      let i = 0;
      for (const f of frames) {
        for (const e of f.events) {
          const s = e.routingKey === '' ? i % segments : segmentOf(e.routingKey, segments);
          i++;
          const list = bySegment.get(s) ?? [];
          list.push(e);
          bySegment.set(s, list);
        }
      }
      for (const [s, events] of [...bySegment].sort((a, b) => a[0] - b[0])) {
        const appender = await SegmentAppender.for(segmentPath(dir, s));
        await appender.append(encodeFrame(c.txnId, events), c.txnId);
      }
      await rm(path, { force: true });
    }
  }

  /** @internal Discards transactions of attempts that never reached a checkpoint. */
  async recover(restored: { readonly state: unknown; readonly committables: readonly StreamStoreCommittable[] } | undefined): Promise<void> {
    const keep = new Set((restored?.committables ?? []).map((c) => `${c.txnId}.log`));
    const dir = await this.txnDir();
    for (const f of await readdir(dir)) if (!keep.has(f)) await rm(join(dir, f), { force: true });
  }

  /** @internal */
  async txnDir(): Promise<string> {
    const d = join(this.dir(), 'txn', this.sinkId);
    await mkdir(d, { recursive: true });
    return d;
  }

  private dir(): string {
    return streamDir(resolve(this.options.root), this.options.scope, this.options.stream);
  }

  private streamConfig(): Promise<StreamConfig> {
    this.config ??= readConfig(resolve(this.options.root), this.options.scope, this.options.stream);
    return this.config;
  }

  private async isCommitted(txnId: string, segments: number): Promise<boolean> {
    for (let s = 0; s < segments; s++) if ((await SegmentAppender.for(segmentPath(this.dir(), s))).hasTransaction(txnId)) return true;
    return false;
  }
}
