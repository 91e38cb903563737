/**
 * One instance of a scaled-out job for the scale-out tests (bundled and run with `node`).
 *
 * Jobs (argv[2] is a JSON {@link WorkerConfig}):
 * - `sessions`: clicks partitioned by user -> session windows per user (co-partitioned keyBy:
 *   no repartition) -> one record per session;
 * - `pages`: clicks partitioned by user -> keyBy(page) (a repartition stream) -> tumbling
 *   windows per page -> one count per page and window.
 *
 * Prints `TASKS [..]` whenever the set of its tasks that are reading (restored) changes, `LEFT` when it stopped cleanly and
 * `FENCED <reason>` when it was fenced out. SIGTERM stops it cleanly. When `pauseFile` exists,
 * the next checkpoint of this instance deletes it and stops the process (SIGSTOP) before its
 * sink stages the transaction: the test resumes it as a zombie.
 * @internal
 */
import { existsSync, unlinkSync } from 'node:fs';
import {
  type CoordinatorSession,
  EventTimeSessionWindows,
  type PartitionedSource,
  type SinkContext,
  type SinkWriter,
  type Source,
  StreamEnvironment,
  type TaskCoordinator,
  TaskFencedError,
  type TaskInfo,
  TumblingEventTimeWindows,
  WatermarkStrategy,
  startInstance,
} from '@weir/core';
import { type RedisCommittable, RedisStreamSink, RedisStreamSource, redisScaleOut } from '@weir/connectors';
import { Redis } from 'ioredis';

export interface WorkerConfig {
  readonly redis: string;
  readonly job: 'sessions' | 'pages';
  readonly jobName: string;
  readonly instanceId: string;
  readonly checkpointDir: string;
  readonly input: string;
  readonly output: string;
  readonly partitions: number;
  readonly leaseMs: number;
  readonly checkpointMs: number;
  readonly gapMs: number;
  readonly pauseFile?: string;
  /** A negative control: the instance is broken this way (the suite must catch it). */
  readonly broken?: 'no-fence' | 'no-restore' | 'no-offsets';
}

/** Negative control 'no-fence': every task gets a fence that always passes (a key that holds 0). */
const NO_FENCE_KEY = 'weir:test:no-fence';
function unfenced(coordinator: TaskCoordinator): TaskCoordinator {
  return {
    async join(jobName, instanceId) {
      const s = await coordinator.join(jobName, instanceId);
      const session: CoordinatorSession = {
        instanceId: s.instanceId,
        leaseMs: s.leaseMs,
        heartbeat: () => s.heartbeat(),
        acquire: (t) => s.acquire(t),
        renew: (t, e) => s.renew(t, e),
        release: (t, e) => s.release(t, e),
        owners: (ids) => s.owners(ids),
        changed: (ms) => s.changed(ms),
        leave: () => s.leave(),
        fence: () => ({ key: NO_FENCE_KEY, epoch: 0 }),
      };
      return session;
    },
  };
}

/** Negative control 'no-offsets': tasks neither restore their positions nor commit offsets. */
function withoutOffsets<T>(inner: RedisStreamSource<T>): PartitionedSource<T> {
  return {
    name: inner.name,
    bounded: inner.bounded,
    partitions: inner.partitions,
    partitionKey: inner.partitionKey,
    partitionOf: (k) => inner.partitionOf(k),
    createReader: (ctx) => inner.createReader(ctx),
    forTask(task: TaskInfo): Source<T> {
      const s = inner.forTask(task);
      return {
        ...s,
        createReader: (ctx) => {
          const reader = s.createReader(ctx);
          reader.restorePosition = () => {};
          reader.notifyCheckpointComplete = async () => {};
          return reader;
        },
      };
    },
  };
}

export interface Click {
  readonly user: string;
  readonly page: string;
  readonly ts: number;
  readonly n: number;
}
export interface SessionOut {
  readonly user: string;
  readonly start: number;
  readonly end: number;
  readonly count: number;
  readonly sum: number;
}
export interface PageOut {
  readonly page: string;
  readonly start: number;
  readonly count: number;
}

/**
 * A sink that can stop its process in the middle of a checkpoint, before it stages its
 * transaction (the zombie test): the task's next owner restores the checkpoint before, and the
 * paused instance, resumed, goes on to write and commit a checkpoint of its own.
 */
class PausableSink<T> extends RedisStreamSink<T> {
  constructor(
    options: ConstructorParameters<typeof RedisStreamSink<T>>[0],
    private readonly pauseFile: string | undefined,
  ) {
    super(options);
  }
  protected override copy(sinkId: string): RedisStreamSink<T> {
    return new PausableSink<T>({ ...this.options, sinkId }, this.pauseFile);
  }
  override createWriter(ctx: SinkContext): SinkWriter<T, RedisCommittable> {
    const writer = super.createWriter(ctx);
    const prepare = writer.prepareCommit!.bind(writer);
    const write = writer.write.bind(writer);
    const pauseFile = this.pauseFile;
    let written = 0;
    writer.write = (value, timestamp) => {
      written++;
      write(value, timestamp);
    };
    writer.prepareCommit = (id) => {
      const hasOutput = written > 0;
      written = 0;
      // Only in a transaction with output: its commit by a zombie would show as duplicates.
      if (hasOutput && pauseFile !== undefined && existsSync(pauseFile)) {
        unlinkSync(pauseFile);
        console.log(`PAUSING ${this.options.sinkId} checkpoint ${id}`);
        process.kill(process.pid, 'SIGSTOP');
      }
      return prepare(id);
    };
    return writer;
  }
}

function build(c: WorkerConfig): StreamEnvironment {
  const env = StreamEnvironment.create({
    checkpointing: { intervalMs: c.checkpointMs, dir: c.checkpointDir, retain: 2 },
    logger: { info: (m) => console.log(`INFO ${m}`), warn: (m) => console.log(`WARN ${m}`) },
  });
  const byUser = (x: Click) => x.user;
  const source = new RedisStreamSource<Click>({ redis: c.redis, stream: c.input, partitions: c.partitions, group: 'scale-out', partitionKey: byUser, blockMs: 20 });
  const clicks = env
    .fromSource(c.broken === 'no-offsets' ? withoutOffsets(source) : source)
    .uid('clicks')
    .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<Click>().withTimestampAssigner((x) => x.ts))
    .uid('timestamps');
  if (c.job === 'sessions') {
    clicks
      .keyBy(byUser)
      .window(EventTimeSessionWindows.withGap(c.gapMs))
      .aggregate(
        { createAccumulator: () => ({ count: 0, sum: 0 }), add: (x: Click, a: { count: number; sum: number }) => ({ count: a.count + 1, sum: a.sum + x.n }), getResult: (a) => a, merge: (a, b) => ({ count: a.count + b.count, sum: a.sum + b.sum }) },
        (user: string, ctx, results, out) => {
          for (const r of results) out.collect({ user, start: ctx.window.start, end: ctx.window.end, count: r.count, sum: r.sum });
        },
      )
      .uid('sessions')
      .sinkTo(new PausableSink<SessionOut>({ redis: c.redis, stream: c.output, routingKey: (s) => s.user, sinkId: 'sessions' }, c.pauseFile))
      .uid('out');
  } else {
    clicks
      .keyBy((x) => x.page)
      .window(TumblingEventTimeWindows.of(c.gapMs))
      .aggregate(
        { createAccumulator: () => 0, add: (_x: Click, a: number) => a + 1, getResult: (a) => a, merge: (a, b) => a + b },
        (page: string, ctx, counts, out) => {
          for (const count of counts) out.collect({ page, start: ctx.window.start, count });
        },
      )
      .uid('pages')
      .sinkTo(new PausableSink<PageOut>({ redis: c.redis, stream: c.output, routingKey: (p) => p.page, sinkId: 'pages' }, c.pauseFile))
      .uid('out');
  }
  return env;
}

async function main(): Promise<void> {
  const c = JSON.parse(process.argv[2]!) as WorkerConfig;
  const env = build(c);
  let last = '';
  const redis = redisScaleOut({ redis: c.redis, leaseMs: c.leaseMs, repartition: { blockMs: 20, markerIntervalMs: 50 } });
  if (c.broken === 'no-fence') {
    const r = new Redis(c.redis);
    await r.set(NO_FENCE_KEY, '0');
    r.disconnect();
  }
  const instance = startInstance(env, {
    jobName: c.jobName,
    instanceId: c.instanceId,
    transport: redis.transport,
    coordinator: c.broken === 'no-fence' ? unfenced(redis.coordinator) : redis.coordinator,
    ...(c.broken === 'no-restore' ? { faults: { skipRestore: true } } : {}),
    retryDelayMs: 300,
    onMetrics: (m) => {
      // Tasks that are reading (restored, sinks recovered): what the tests wait for.
      const tasks = JSON.stringify(m.tasks.filter((t) => t.restoreMs !== null).map((t) => t.taskId).sort());
      if (tasks !== last) {
        last = tasks;
        console.log(`TASKS ${tasks}`);
      }
    },
  });
  process.on('SIGTERM', () => void instance.stop());
  try {
    await instance.done;
    console.log('LEFT');
    process.exit(0);
  } catch (e) {
    console.log(e instanceof TaskFencedError ? `FENCED ${e.message}` : `FAILED ${(e as Error).stack ?? String(e)}`);
    process.exit(3);
  }
}

main().catch((e: unknown) => {
  console.log(`FAILED ${(e as Error).stack ?? String(e)}`);
  process.exit(1);
});
