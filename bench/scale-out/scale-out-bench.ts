/**
 * The scale-out bench (issue #19), beside `pnpm bench`: real processes on a real redis-server on
 * 127.0.0.1 (AOF, fsync every second).
 *
 * 1. Throughput: a CPU-bound keyed job over 8 partitions, 1 instance against 2 instances on this
 *    machine, the same input, alternating, median of the rounds. The input is written first and
 *    appears at once (RENAME) when every instance holds its share of the tasks. Reported: events/s (wall
 *    time to read and process all of it), the ratio, and the CPU seconds each process used
 *    meanwhile (the instances' and redis-server's own, from /proc) per million events.
 * 2. Failover: 2 instances of a keyed count over 4 partitions with 100 k keys of state per task;
 *    one is killed (SIGKILL) and a trickle of input keeps arriving on every partition: the time
 *    from the kill until every moved task processes records again on the survivor, and the
 *    survivor's restore time per task, at the default lease (3 s).
 *
 * Run: `npx tsx bench/scale-out/scale-out-bench.ts [--quick]` (`pnpm bench:scale-out`).
 * Writes bench/results/scale-out.json. No time is asserted anywhere; this prints figures.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '../../packages/connectors/src/redis/redis-client.js';
import { partitionKey, partitionOf } from '../../packages/connectors/src/redis/redis-client.js';
import { startRedis } from '../../packages/connectors/src/test-support/redis-server.js';
import { bundleWorker, runWorker, type Worker } from '../../packages/connectors/src/test-support/run-worker.js';

const quick = process.argv.includes('--quick');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const TICK = 100;

/** CPU seconds (user + system) of a process so far. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / TICK;
}

interface Progress {
  at: number;
  tasks: Array<{ id: string; in: number; restoreMs: number | null; state: number; checkpoints: number }>;
}
const progress = (w: Worker): Progress | undefined => {
  const line = [...w.lines].reverse().find((l) => l.startsWith('PROGRESS '));
  return line ? (JSON.parse(line.slice(9)) as Progress) : undefined;
};
const everyWorker: Worker[] = [];
async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) {
      const state = everyWorker
        .filter((w) => w.proc.exitCode === null && w.proc.signalCode === null)
        .map((w) => `${JSON.stringify(progress(w)?.tasks.map((t) => [t.id, t.in]))} ${w.lines.filter((l) => !l.startsWith('PROGRESS')).slice(-5).join(' | ')}`);
      throw new Error(`timed out: ${what}\n${state.join('\n')}`);
    }
    await sleep(20);
  }
}

/** Runs the job's per-record work alone in a child process for `ms`; resolves with the records done. */
function burnFor(ms: number, work: number): Promise<number> {
  const code = `const t0 = Date.now(); let s = 0, n = 0; while (Date.now() - t0 < ${ms}) { let h = n | 0; for (let i = 0; i < ${work}; i++) h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) + i; s ^= h; n++; } console.log(n + (s & 0));`;
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('close', () => resolve(Number(out.trim())));
  });
}

async function main(): Promise<void> {
  // AOF with fsync every second, as Redis is usually run: fsync on every write would measure the disk.
  const [server, bundle] = await Promise.all([startRedis({ appendfsync: 'everysec' }), bundleWorker(fileURLToPath(new URL('./bench-worker.ts', import.meta.url)))]);
  const r = createClient(server.url, 'bench');
  const redisPid = Number(/process_id:(\d+)/.exec((await r.info('server')) as string)![1]);
  const dir = mkdtempSync(join(tmpdir(), 'weir-scale-out-bench-'));
  let runs = 0;
  const workers: Worker[] = [];
  const start = (cfg: Record<string, unknown>) => {
    const w = runWorker(bundle, [JSON.stringify({ redis: server.url, checkpointDir: join(dir, String(cfg.jobName)), ...cfg })]);
    workers.push(w);
    everyWorker.push(w);
    return w;
  };
  async function write(input: string, partitions: number, users: readonly string[], from: number): Promise<void> {
    for (let i = 0; i < users.length; i += 20_000) {
      const pipe = r.pipeline();
      for (let j = i; j < Math.min(users.length, i + 20_000); j++) {
        const user = users[j]!;
        pipe.call('XADD', partitionKey(input, partitionOf(user, partitions), partitions), '*', 'v', JSON.stringify({ user, n: from + j }));
      }
      await pipe.exec();
    }
  }
  const result: Record<string, unknown> = { when: new Date().toISOString(), cpus: cpus().length, cpuModel: cpus()[0]?.model, quick };
  try {
    // 1. Throughput, 1 vs 2 instances.
    const P = 8;
    const N = quick ? 40_000 : 400_000;
    const work = 4000;
    const users = Array.from({ length: N }, (_, i) => `u${i % 5000}`);
    const rounds: Record<'1' | '2', Array<{ eventsPerSecond: number; instanceCpuPerM: number; redisCpuPerM: number }>> = { '1': [], '2': [] };
    for (let round = 0; round < (quick ? 1 : 3); round++) {
      for (const n of round % 2 === 0 ? [1, 2] : [2, 1]) {
        const jobName = `cpu-${++runs}`;
        const input = `in-${jobName}`;
        // The input is written first into staging keys (with the consumer group the job uses);
        // once every instance holds its share of the tasks and they are reading (the empty
        // partitions), the staging keys are renamed over the partitions in one transaction: the
        // time to read and process all of it, with nothing else writing, is the figure.
        const staging = `stage-${jobName}`;
        await write(staging, P, users, 1);
        for (let p = 0; p < P; p++) await r.call('XGROUP', 'CREATE', partitionKey(staging, p, P), 'bench', '0', 'MKSTREAM', 'ENTRIESREAD', '0');
        const ws = Array.from({ length: n }, (_, i) => start({ job: 'cpu', jobName, instanceId: `i${i}`, input, partitions: P, leaseMs: 3000, checkpointMs: 1000, work }));
        await until('every instance at its share, reading', () => {
          const held = ws.map((w) => progress(w)?.tasks.filter((t) => t.restoreMs !== null).map((t) => t.id) ?? []);
          const all = held.flat();
          return new Set(all).size === P && all.length === P && held.every((x) => x.length === P / n) ? true : undefined;
        });
        await sleep(500);
        const consumed = () => ws.reduce((a, w) => a + (progress(w)?.tasks.reduce((x, t) => x + t.in, 0) ?? 0), 0);
        const backlog = N;
        const cpu0 = ws.map((w) => cpuSeconds(w.proc.pid!));
        const redis0 = cpuSeconds(redisPid);
        const t0 = performance.now();
        const renames = r.multi();
        for (let p = 0; p < P; p++) renames.rename(partitionKey(staging, p, P), partitionKey(input, p, P));
        await renames.exec();
        await until('every record read', () => (consumed() >= N ? true : undefined));
        const seconds = (performance.now() - t0) / 1000;
        const instanceCpu = ws.reduce((a, w, i) => a + cpuSeconds(w.proc.pid!) - cpu0[i]!, 0);
        const redisCpu = cpuSeconds(redisPid) - redis0;
        rounds[String(n) as '1' | '2'].push({ eventsPerSecond: backlog / seconds, instanceCpuPerM: (instanceCpu / backlog) * 1e6, redisCpuPerM: (redisCpu / backlog) * 1e6 });
        console.log(
          `throughput: ${n} instance(s): ${Math.round(backlog / seconds).toLocaleString('en-US')} events/s over a backlog of ${backlog}; CPU s per M events: instances ${((instanceCpu / backlog) * 1e6).toFixed(1)}, redis-server ${((redisCpu / backlog) * 1e6).toFixed(1)}`,
        );
        for (const w of ws) await w.kill('SIGKILL');
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const one = median(rounds['1'].map((x) => x.eventsPerSecond));
    const two = median(rounds['2'].map((x) => x.eventsPerSecond));
    // The machine's own scaling, for reference: the job's per-record work alone, in 1 process and
    // in 2 at once, for 3 s (what two processes can get from this machine's cores right now).
    const machine: number[] = [];
    for (let round = 0; round < 3; round++) {
      const burn = (k: number) => Promise.all(Array.from({ length: k }, () => burnFor(3000, work))).then((xs) => xs.reduce((a, b) => a + b, 0));
      machine.push((await burn(2)) / (await burn(1)));
    }
    const machineRatio = median(machine);
    result.throughput = { partitions: P, events: N, workIterationsPerRecord: work, rounds, medianOne: one, medianTwo: two, ratio: two / one, machineRatio };
    console.log(
      `throughput median: 1 instance ${Math.round(one).toLocaleString('en-US')} events/s, 2 instances ${Math.round(two).toLocaleString('en-US')} events/s: x${(two / one).toFixed(2)} (the machine gives two processes of pure CPU work x${machineRatio.toFixed(2)} of one now)`,
    );

    // 2. Failover with 100 k keys per task.
    const FP = 4;
    const keysPerTask = quick ? 20_000 : 100_000;
    const perPartition = new Map<number, string[]>();
    for (let i = 0; [...perPartition.values()].reduce((a, x) => a + Math.min(x.length, keysPerTask), 0) < FP * keysPerTask; i++) {
      const u = `k${i}`;
      const p = partitionOf(u, FP);
      const list = perPartition.get(p) ?? [];
      if (list.length < keysPerTask) list.push(u);
      perPartition.set(p, list);
    }
    const keys = [...perPartition.values()].flat();
    const jobName = `state-${++runs}`;
    const input = `in-${jobName}`;
    const a = start({ job: 'state', jobName, instanceId: 'a', input, partitions: FP, leaseMs: 3000, checkpointMs: 1000, work: 0 });
    await sleep(300);
    const b = start({ job: 'state', jobName, instanceId: 'b', input, partitions: FP, leaseMs: 3000, checkpointMs: 1000, work: 0 });
    const ready = (w: Worker) => progress(w)?.tasks.filter((t) => t.restoreMs !== null) ?? [];
    await until('2 tasks each', () => (ready(a).length === 2 && ready(b).length === 2 ? true : undefined));
    await write(input, FP, keys, 1);
    await until('every key counted', () => ([...ready(a), ...ready(b)].reduce((x, t) => x + t.in, 0) >= keys.length ? true : undefined));
    const cps = new Map(ready(a).map((t) => [t.id, t.checkpoints]));
    await until('a checkpoint of the full state', () => (ready(a).every((t) => t.checkpoints >= cps.get(t.id)! + 2) ? true : undefined));
    const moved = ready(a).map((t) => t.id);
    const stateOfMoved = ready(a).map((t) => t.state);
    const killedAt = Date.now();
    await a.kill('SIGKILL');
    // A trickle on every partition, so that "processing again" is observable.
    let n = keys.length + 1;
    let trickle = true;
    const trickling = (async () => {
      while (trickle) {
        await write(input, FP, [...perPartition.values()].map((x) => x[0]!), n);
        n += FP;
        await sleep(20);
      }
    })();
    const acquired = new Map<string, number>();
    const processing = new Map<string, { at: number; restoreMs: number; state: number }>();
    await until('the moved tasks processing on b', () => {
      const p = progress(b);
      for (const t of p?.tasks ?? []) {
        if (!moved.includes(t.id)) continue;
        if (!acquired.has(t.id)) acquired.set(t.id, p!.at);
        if (t.restoreMs !== null && t.in > 0 && !processing.has(t.id)) processing.set(t.id, { at: p!.at, restoreMs: t.restoreMs, state: t.state });
      }
      return processing.size === moved.length ? true : undefined;
    }, 60_000);
    trickle = false;
    await trickling;
    const failover = Math.max(...[...processing.values()].map((x) => x.at - killedAt));
    result.failover = {
      partitions: FP,
      keysPerTask,
      leaseMs: 3000,
      stateEntriesOfMovedTasks: stateOfMoved,
      acquiredAfterMs: Object.fromEntries([...acquired].map(([k, v]) => [k, v - killedAt])),
      restoreMs: Object.fromEntries([...processing].map(([k, v]) => [k, v.restoreMs])),
      stateEntriesRestored: Object.fromEntries([...processing].map(([k, v]) => [k, v.state])),
      killToProcessingMs: failover,
    };
    console.log(
      `failover: ${moved.length} tasks of ${keysPerTask.toLocaleString('en-US')} keys each moved; SIGKILL to processing again: ${failover} ms (lease 3000 ms; acquired after ${[...acquired.values()].map((v) => v - killedAt).join(', ')} ms; restore ${[...processing.values()].map((v) => v.restoreMs).join(', ')} ms)`,
    );
    const out = fileURLToPath(new URL('../results/scale-out.json', import.meta.url));
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`written: ${out}`);
  } finally {
    for (const w of workers) await w.kill('SIGKILL');
    r.disconnect();
    await server.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
