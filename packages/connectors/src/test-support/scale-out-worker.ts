/**
 * One instance of a scaled-out job for the scale-out tests (bundled and run with `node`).
 *
 * Jobs (argv[2] is a JSON {@link WorkerConfig}):
 * - `sessions`: clicks partitioned by user -> session windows per user (co-partitioned keyBy:
 *   no repartition) -> one record per session;
 * - `pages`: clicks partitioned by user -> keyBy(page) (a repartition stream) -> tumbling
 *   windows per page -> one count per page and window.
 *
 * Prints `TASKS [..]` whenever its set of tasks changes, `LEFT` when it stopped cleanly and
 * `FENCED <reason>` when it was fenced out. SIGTERM stops it cleanly. When `pauseFile` exists,
 * the next checkpoint of this instance deletes it and stops the process (SIGSTOP) before its
 * sink stages the transaction: the test resumes it as a zombie.
 * @internal
 */
import { existsSync, unlinkSync } from 'node:fs';
import { EventTimeSessionWindows, type SinkContext, type SinkWriter, StreamEnvironment, TaskFencedError, TumblingEventTimeWindows, WatermarkStrategy, startInstance } from '@weir/core';
import { type RedisCommittable, RedisStreamSink, RedisStreamSource, redisScaleOut } from '@weir/connectors';

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
        console.log('PAUSING');
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
  const clicks = env
    .fromSource(new RedisStreamSource<Click>({ redis: c.redis, stream: c.input, partitions: c.partitions, group: 'scale-out', partitionKey: byUser, blockMs: 20 }))
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
  const instance = startInstance(env, {
    jobName: c.jobName,
    instanceId: c.instanceId,
    ...redisScaleOut({ redis: c.redis, leaseMs: c.leaseMs, repartition: { blockMs: 20, markerIntervalMs: 50 } }),
    retryDelayMs: 300,
    onMetrics: (m) => {
      const tasks = JSON.stringify(m.tasks.map((t) => t.taskId).sort());
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
