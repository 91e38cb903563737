/**
 * A clickstream sessionizer scaled out over processes with Redis (docs/scale-out.md).
 *
 *   node dist/main.js instance [--port 8081]   one instance; start it in three terminals
 *   node dist/main.js produce [--rate 500]     writes clicks into the 8 partitions of 'clicks'
 *   node dist/main.js watch                    prints sessions and page views as they are committed
 *   node dist/main.js plan                     prints the plan cut into sub-topologies (Mermaid)
 *
 * REDIS_URL (default redis://127.0.0.1:6379) and CHECKPOINTS (default ./checkpoints, a directory
 * every instance can reach) are read from the environment.
 */
import { parseArgs } from 'node:util';
import { planScaleOut, scaleOutToMermaid, startInstance } from '@weir/core';
import { partitionKey, partitionOf, redisScaleOut } from '@weir/connectors';
import { webDashboard } from '@weir/web';
import { Redis } from 'ioredis';
import { type Click, PARTITIONS, sessionizer } from './sessionizer.js';

const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const CHECKPOINTS = process.env.CHECKPOINTS ?? './checkpoints';
const JOB = 'sessionizer';

async function instance(port: number | undefined): Promise<void> {
  const env = sessionizer(REDIS, CHECKPOINTS);
  const running = startInstance(env, {
    jobName: JOB,
    ...redisScaleOut({ redis: REDIS }),
    ...(port !== undefined ? { observers: [webDashboard({ port, onListening: (url) => console.log(`dashboard: ${url}`) })] } : {}),
  });
  let last = '';
  const timer = setInterval(() => {
    const m = running.metrics();
    const tasks = m.tasks.map((t) => `${t.taskId}@${t.epoch}`).sort().join(' ');
    const line = `instance ${m.instanceId}: ${m.members.length} instances, tasks [${tasks}]`;
    if (line !== last) console.log((last = line));
  }, 500);
  const stop = () => {
    console.log('stopping: handing the tasks over...');
    void running.stop();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await running.done;
  } finally {
    clearInterval(timer);
  }
}

async function produce(rate: number): Promise<void> {
  const r = new Redis(REDIS);
  const users = Array.from({ length: 2000 }, (_, i) => `user-${i}`);
  let sent = 0;
  const started = Date.now();
  process.once('SIGINT', () => {
    console.log(`\n${sent} clicks written`);
    r.disconnect();
    process.exit(0);
  });
  for (;;) {
    const pipe = r.pipeline();
    for (let i = 0; i < rate / 10; i++) {
      // Users come back in bursts, so that sessions start and end.
      const user = users[Math.floor(Math.random() * (Math.random() < 0.8 ? 200 : users.length))]!;
      const click: Click = { user, page: `/page/${Math.floor(Math.random() * 25)}`, ts: Date.now() };
      pipe.xadd(partitionKey('clicks', partitionOf(user, PARTITIONS), PARTITIONS), '*', 'v', JSON.stringify(click), 'ts', String(click.ts));
      sent++;
    }
    await pipe.exec();
    if (sent % (rate * 5) < rate / 10) console.log(`${sent} clicks in ${Math.round((Date.now() - started) / 1000)} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function watch(): Promise<void> {
  const r = new Redis(REDIS);
  const last: Record<string, string> = { sessions: '$', 'page-views': '$' };
  for (;;) {
    const reply = (await r.xread('BLOCK', 1000, 'STREAMS', 'sessions', 'page-views', last.sessions!, last['page-views']!)) as Array<[string, Array<[string, string[]]>]> | null;
    for (const [stream, entries] of reply ?? []) {
      for (const [id, fields] of entries) {
        last[stream] = id;
        console.log(`${stream.padEnd(10)} ${fields[fields.indexOf('v') + 1]}`);
      }
    }
  }
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { port: { type: 'string' }, rate: { type: 'string' } } });
  switch (positionals[0]) {
    case 'instance':
      return instance(values.port === undefined ? undefined : Number(values.port));
    case 'produce':
      return produce(Number(values.rate ?? 500));
    case 'watch':
      return watch();
    case 'plan':
      console.log(scaleOutToMermaid(planScaleOut(sessionizer(REDIS, CHECKPOINTS).explain(), { jobName: JOB })));
      return;
    default:
      console.log('usage: main.js instance [--port 8081] | produce [--rate 500] | watch | plan');
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
