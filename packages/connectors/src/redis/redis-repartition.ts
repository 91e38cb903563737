/**
 * Repartition streams in Redis (Kafka Streams' repartition topics): where a scaled-out job's plan
 * is cut at a `keyBy`, the upstream tasks write records into `<job>-repartition-<n>:<q>`, `q` the
 * partition of the record's key (its key-group range), and downstream task `q` reads partition `q`.
 *
 * Writing goes through the transactional, fenced Redis sink (a record crosses once: staged at
 * the upstream task's checkpoint, published when it completes); reading through the positioned,
 * fenced task reader, which trims the partition to what it committed. Event time crosses too:
 * each upstream task writes its watermark into every partition as a marker entry (`w`, `f`: the
 * watermark and the upstream task's partition) in order with its records, at most every
 * `markerIntervalMs` and at every checkpoint; a downstream task's watermark is the minimum of the
 * latest markers of all upstream tasks (redis-task-reader.ts).
 *
 * Records are JSON (`encode`/`decode` to change that).
 */
import {
  ConfigError,
  type PartitionedSource,
  type RepartitionSpec,
  type RepartitionTransport,
  type SinkContext,
  type SinkWriter,
  type Source,
  type SourceReader,
  type TaskAwareSink,
  type TaskInfo,
} from '@weir/core';
import { partitionKey, type RedisConnection } from './redis-client.js';
import { type RedisCommittable, RedisStreamSink, RedisTxnWriter } from './redis-stream-sink.js';
import { RedisTaskReader } from './redis-task-reader.js';

/**
 * Options of {@link RedisRepartitionTransport}.
 *
 * @example
 * ```ts
 * const options: RedisRepartitionOptions = { redis: 'redis://127.0.0.1:6379', markerIntervalMs: 200 };
 * ```
 */
export interface RedisRepartitionOptions {
  readonly redis: RedisConnection;
  /** Most frequent watermark markers per upstream task between checkpoints, ms of processing time. Default 200. */
  readonly markerIntervalMs?: number;
  /** Entries per XREAD. Default 512. */
  readonly batchSize?: number;
  /** XREAD BLOCK, ms. Default 100. */
  readonly blockMs?: number;
  /** A record as an entry's `v` (default JSON.stringify). */
  readonly encode?: (value: unknown) => string;
  /** The inverse of `encode` (default JSON.parse). */
  readonly decode?: (text: string) => unknown;
}

/**
 * Repartition streams of scaled-out jobs in Redis.
 *
 * @example
 * ```ts
 * await runInstance(env, { jobName: 'pages', coordinator, transport: new RedisRepartitionTransport({ redis: 'redis://127.0.0.1:6379' }) });
 * ```
 */
export class RedisRepartitionTransport implements RepartitionTransport {
  constructor(private readonly options: RedisRepartitionOptions) {}

  /** @internal */
  repartition(spec: RepartitionSpec): { sink: TaskAwareSink<unknown>; source: PartitionedSource<unknown> } {
    return { sink: new RepartitionSink(spec, this.options), source: new RepartitionSource(spec, this.options) };
  }
}

/** The consumer group of a repartition stream's readers (where their offsets are committed). */
const GROUP = 'weir';

class RepartitionSink extends RedisStreamSink<unknown> {
  /** The upstream task's partition: marks its watermarks. */
  upstreamTask = -1;

  constructor(
    readonly spec: RepartitionSpec,
    readonly repartition: RedisRepartitionOptions,
    sinkId = 'repartition',
  ) {
    super({ redis: repartition.redis, stream: spec.name, partitions: spec.partitions, routingKey: () => '', sinkId });
  }

  protected override copy(sinkId: string): RedisStreamSink<unknown> {
    return new RepartitionSink(this.spec, this.repartition, sinkId);
  }

  override forTask(task: TaskInfo): RedisStreamSink<unknown> {
    const s = super.forTask(task) as RepartitionSink;
    s.upstreamTask = task.partition;
    return s;
  }

  override createWriter(_ctx: SinkContext): SinkWriter<unknown, RedisCommittable> {
    if (this.upstreamTask < 0) throw new ConfigError(`Repartition stream '${this.spec.name}' is written only by tasks of a scaled-out job`);
    return new RepartitionWriter(this);
  }
}

class RepartitionWriter extends RedisTxnWriter<unknown> {
  private pending = Number.NEGATIVE_INFINITY;
  private written = Number.NEGATIVE_INFINITY;
  private writtenAt = 0;
  private readonly keys: string[];
  private readonly encode: (value: unknown) => string;

  constructor(private readonly owner: RepartitionSink) {
    super(owner);
    const { spec } = owner;
    this.keys = Array.from({ length: spec.partitions }, (_, q) => partitionKey(spec.name, q, spec.partitions));
    this.encode = owner.repartition.encode ?? ((v) => JSON.stringify(v));
  }

  override write(value: unknown, timestamp: number): void {
    if (this.pending > this.written) this.mark(false);
    const { spec } = this.owner;
    this.push(this.keys[spec.partitionOf(spec.key(value))]!, { v: this.encode(value) }, timestamp);
  }

  writeWatermark(watermark: number): void {
    if (watermark > this.pending) this.pending = watermark;
  }

  override async prepareCommit(): Promise<RedisCommittable | undefined> {
    if (this.pending > this.written) this.mark(true);
    return super.prepareCommit();
  }

  /** Writes the pending watermark into every partition (at most every markerIntervalMs unless forced). */
  private mark(force: boolean): void {
    const now = Date.now();
    if (!force && now - this.writtenAt < (this.owner.repartition.markerIntervalMs ?? 200)) return;
    const w = this.pending === Number.POSITIVE_INFINITY ? '+inf' : String(this.pending);
    for (const key of this.keys) this.push(key, { w, f: String(this.owner.upstreamTask) }, Number.NaN);
    this.written = this.pending;
    this.writtenAt = now;
  }
}

class RepartitionSource implements PartitionedSource<unknown> {
  readonly bounded = false;
  readonly replayable = true;
  readonly name: string;
  readonly partitions: number;
  readonly partitionKey: (value: unknown) => unknown;

  constructor(
    private readonly spec: RepartitionSpec,
    private readonly options: RedisRepartitionOptions,
  ) {
    this.name = `Repartition ${spec.name}`;
    this.partitions = spec.partitions;
    this.partitionKey = spec.key;
  }

  partitionOf(key: unknown): number {
    return this.spec.partitionOf(key);
  }

  createReader(): SourceReader<unknown> {
    throw new ConfigError(`Repartition stream '${this.spec.name}' is read only by tasks of a scaled-out job`);
  }

  forTask(task: TaskInfo): Source<unknown> {
    const { spec, options } = this;
    const decode = options.decode ?? ((t: string) => JSON.parse(t) as unknown);
    return {
      name: this.name,
      bounded: false,
      replayable: true,
      createReader: (ctx) =>
        new RedisTaskReader<unknown>(
          {
            redis: options.redis,
            key: partitionKey(spec.name, task.partition, spec.partitions),
            group: GROUP,
            decode: (fields) => decode(fields.v ?? ''),
            ...(options.batchSize ? { batchSize: options.batchSize } : {}),
            ...(options.blockMs ? { blockMs: options.blockMs } : {}),
            repartition: { upstreamTasks: spec.upstreamTasks },
          },
          task,
          ctx,
        ),
    };
  }
}
