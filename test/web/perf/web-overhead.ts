/**
 * The web endpoint's cost on a keyed tumbling-window job (the benchmark suite's G1 shape:
 * `keyBy(key).window(Tumbling 1 s).sum(value)` on event time, 1,000 keys, 100,000 events per
 * second of event time), measured side by side in one process, rounds interleaved so that
 * drift of the shared machine hits every variant alike:
 *
 * - `off`: no `web` option;
 * - `on, idle`: `web: { port: 0 }`, nobody connected (the server samples history once a second);
 * - `on, watched`: a dashboard's traffic from another process: an SSE stream (a full snapshot a
 *   second) and a Prometheus scrape every second.
 *
 * Throughput is events per second of process CPU time (user + system, so the server's own work
 * counts against the job) and of wall time. Not part of `pnpm test`; run it with
 *
 * ```sh
 * packages/core/node_modules/.bin/esbuild test/web/perf/web-overhead.ts --bundle --platform=node --format=esm \
 *   --alias:@weir/core=./packages/core/src/index.ts --alias:@weir/windows=./packages/windows/src/index.ts \
 *   --banner:js="import{createRequire as __cr}from'module';const require=__cr(import.meta.url);" \
 *   --outfile=.tmp/web-overhead.mjs && node .tmp/web-overhead.mjs [events-per-run] [rounds]
 * ```
 */
import { spawn } from 'node:child_process';
import { PollStatus, type Source, StreamEnvironment, WatermarkStrategy } from '@weir/core';
import { TumblingEventTimeWindows } from '@weir/windows';

interface Ev { key: number; value: number; ts: number }

const EVENTS = Number(process.argv[2] ?? 4_000_000);
const ROUNDS = Number(process.argv[3] ?? 5);
const KEYS = 1000;
const PER_SECOND = 100_000;
const BASE = 1_704_067_200_000;

/**
 * Events generated on the fly by a bounded source (`fromCollection` would materialise the input,
 * and the runs must be long enough, tens of millions of events, for the 1 Hz work to show).
 */
function generated(n: number): Source<Ev> {
  return {
    name: 'generated',
    bounded: true,
    createReader() {
      let i = 0;
      let x = 12345;
      return {
        pollNext(out, max) {
          const end = Math.min(n, i + max);
          for (; i < end; i++) {
            x = (Math.imul(x, 1103515245) + 12345) >>> 0;
            out.collect({ key: i % KEYS, value: x % 100, ts: BASE + Math.floor((i * 1000) / PER_SECOND) });
          }
          return i < n ? PollStatus.MORE_AVAILABLE : PollStatus.END_OF_INPUT;
        },
        isAvailable: () => Promise.resolve(),
      };
    },
  };
}

/** A dashboard's traffic from a child process: the SSE stream plus a scrape of /metrics every second. */
function watcher(url: string): { stop(): Promise<{ events: number; scrapes: number }> } {
  const script = `
    const url = process.argv[1]; let events = 0, scrapes = 0;
    (async () => { const r = await fetch(url + 'api/events'); const rd = r.body.getReader(); const d = new TextDecoder();
      for (;;) { const { done, value } = await rd.read(); if (done) break; events += (d.decode(value).match(/^event: metrics$/gm) || []).length; } })().catch(() => {});
    const t = setInterval(() => fetch(url + 'metrics').then((r) => r.text()).then(() => scrapes++).catch(() => {}), 1000);
    process.on('message', () => { clearInterval(t); process.send({ events, scrapes }, () => process.exit(0)); });`;
  const child = spawn(process.execPath, ['-e', script, url], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return {
    stop: () =>
      new Promise((resolve) => {
        child.once('message', (m) => resolve(m as { events: number; scrapes: number }));
        child.send('stop');
      }),
  };
}

type Variant = 'off' | 'on, idle' | 'on, watched';

async function run(variant: Variant): Promise<{ cpu: number; wall: number; note: string }> {
  const env = StreamEnvironment.create(variant === 'off' ? {} : { web: { port: 0 } });
  let results = 0;
  env
    .fromSource(generated(EVENTS))
    .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<Ev>().withTimestampAssigner((e) => e.ts))
    .keyBy('key')
    .window(TumblingEventTimeWindows.of(1000))
    .sum('value')
    .sinkTo({
      createWriter: () => ({
        write: () => {
          results++;
        },
      }),
    });
  let watch: ReturnType<typeof watcher> | undefined;
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  await env.execute({
    jobName: 'web overhead',
    onWebServer: (url) => {
      if (variant === 'on, watched') watch = watcher(url);
    },
  });
  const wall = (performance.now() - wall0) / 1000;
  const c = process.cpuUsage(cpu0);
  const seen = watch ? await watch.stop() : undefined;
  const expected = Math.ceil(EVENTS / PER_SECOND) * KEYS;
  if (results !== expected) throw new Error(`${variant}: ${results} window results, expected ${expected}`);
  return { cpu: EVENTS / ((c.user + c.system) / 1e6), wall: EVENTS / wall, note: seen ? `${seen.events} SSE updates, ${seen.scrapes} scrapes` : '' };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const variants: Variant[] = ['off', 'on, idle', 'on, watched'];
const samples = new Map<Variant, { cpu: number[]; wall: number[]; notes: string[] }>(variants.map((v) => [v, { cpu: [], wall: [], notes: [] }]));
await run('off'); // warm-up (JIT)
for (let r = 0; r < ROUNDS; r++) {
  // Rotate the order each round so no variant always runs first or last.
  for (let i = 0; i < variants.length; i++) {
    const v = variants[(i + r) % variants.length]!;
    const s = await run(v);
    const m = samples.get(v)!;
    m.cpu.push(s.cpu);
    m.wall.push(s.wall);
    if (s.note) m.notes.push(s.note);
  }
}
const base = median(samples.get('off')!.cpu);
console.log(`keyed tumbling sum, ${EVENTS.toLocaleString('en-US')} events per run, ${ROUNDS} rounds, medians:`);
for (const v of variants) {
  const m = samples.get(v)!;
  const cpu = median(m.cpu);
  const delta = ((cpu / base - 1) * 100).toFixed(1);
  console.log(
    `${v.padEnd(12)} ${(cpu / 1e6).toFixed(3)} M ev/s CPU (${v === 'off' ? 'baseline' : `${delta} %`}), ${(median(m.wall) / 1e6).toFixed(3)} M ev/s wall` +
      `  [cpu runs: ${m.cpu.map((x) => (x / 1e6).toFixed(2)).join(' ')}]${m.notes.length ? `  ${m.notes.at(-1)}` : ''}`,
  );
}
