/**
 * One instance of the scale-out bench's jobs (bundled and run with `node` by scale-out-bench.ts).
 *
 * - `cpu`: clicks partitioned by user, keyBy(user) (co-partitioned) into a keyed process
 *   function that burns about `work` iterations of integer hashing per record and keeps a count
 *   per key (a CPU-bound keyed job); output: one record per 10,000 inputs per task.
 * - `state`: the same keyed count without the burn (the failover case: state size, not CPU).
 *
 * Prints `PROGRESS {...}` every 100 ms: per task its records in, restore time and state entries.
 * argv[2]: JSON { redis, job, jobName, instanceId, checkpointDir, input, partitions, leaseMs, checkpointMs, work }
 */
import { type KeyedProcessFunction, StreamEnvironment, startInstance, ValueStateDescriptor } from '@weir/core';
import { RedisStreamSink, RedisStreamSource, redisScaleOut } from '@weir/connectors';

interface Config {
  readonly redis: string;
  readonly job: 'cpu' | 'state';
  readonly jobName: string;
  readonly instanceId: string;
  readonly checkpointDir: string;
  readonly input: string;
  readonly partitions: number;
  readonly leaseMs: number;
  readonly checkpointMs: number;
  readonly work: number;
}
interface Click {
  readonly user: string;
  readonly n: number;
}

const c = JSON.parse(process.argv[2]!) as Config;
const byUser = (x: Click) => x.user;
const count = new ValueStateDescriptor<number>('count', 0);
let sink = 0;
const fn: KeyedProcessFunction<string, Click, { user: string; count: number }> = {
  processElement(x, ctx, out) {
    let h = x.n | 0;
    for (let i = 0; i < c.work; i++) h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) + i;
    const state = ctx.getState(count);
    const n = state.value()! + 1;
    state.update(n);
    sink ^= h;
    if (x.n % 10_000 === 0) out.collect({ user: x.user, count: n });
  },
};

const env = StreamEnvironment.create({ checkpointing: { intervalMs: c.checkpointMs, dir: c.checkpointDir, retain: 2 }, logger: { info: () => {}, warn: (m) => console.log(`WARN ${m}`) } });
env
  .fromSource(new RedisStreamSource<Click>({ redis: c.redis, stream: c.input, partitions: c.partitions, group: 'bench', partitionKey: byUser, batchSize: 2048, blockMs: 20 }))
  .uid('in')
  .keyBy(byUser)
  .process(fn)
  .uid('count')
  .sinkTo(new RedisStreamSink({ redis: c.redis, stream: `${c.input}-out`, routingKey: (o) => o.user, sinkId: 'bench' }))
  .uid('out');
const instance = startInstance(env, { jobName: c.jobName, instanceId: c.instanceId, ...redisScaleOut({ redis: c.redis, leaseMs: c.leaseMs }) });
setInterval(() => {
  const m = instance.metrics();
  const tasks = m.tasks.map((t) => ({ id: t.taskId, in: t.recordsIn, restoreMs: t.restoreMs, state: t.stateEntries, checkpoints: t.checkpointsCompleted }));
  console.log(`PROGRESS ${JSON.stringify({ at: Date.now(), tasks, sink })}`);
}, 100);
process.on('SIGTERM', () => void instance.stop().then(() => process.exit(0)));
