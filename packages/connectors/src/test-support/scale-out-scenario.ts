/**
 * Test helper for the scale-out suite: writes a seeded click stream into a partitioned Redis
 * stream while instances (real processes of scale-out-worker.ts) are started, killed (SIGKILL),
 * stopped (SIGTERM) or paused (SIGSTOP/SIGCONT) on a schedule, and computes the expected output
 * with a naive model (sessions per user, counts per page and window): what one process computes
 * from the same input. Output is compared by content: nothing lost, nothing duplicated.
 * @internal
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { partitionKey, partitionOf } from '../redis/redis-client.js';
import { runWorker, type Worker } from './run-worker.js';
import type { Click, PageOut, SessionOut, WorkerConfig } from './scale-out-worker.js';
import { sleep } from './tcp.js';

/** A deterministic pseudo-random generator (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Clicks in event-time order: users come and go in waves, so users have several sessions. */
export function clicks(count: number, seed: number): Click[] {
  const rnd = random(seed);
  const out: Click[] = [];
  for (let n = 0; n < count; n++) {
    const wave = Math.floor(n / 150);
    const user = `u${(wave * 7 + Math.floor(rnd() * 25)) % 80}`;
    out.push({ user, page: `p${Math.floor(rnd() * 12)}`, ts: 1_000_000 + n * 10, n });
  }
  return out;
}

/**
 * Sessions per user (EventTimeSessionWindows with gap `gap`): each click opens [ts, ts + gap);
 * windows that overlap or touch merge, as Flink's `TimeWindow.intersects` (inclusive ends).
 */
export function modelSessions(input: readonly Click[], gap: number): SessionOut[] {
  const byUser = new Map<string, Click[]>();
  for (const c of input) byUser.set(c.user, [...(byUser.get(c.user) ?? []), c]);
  const out: SessionOut[] = [];
  for (const [user, cs] of byUser) {
    cs.sort((a, b) => a.ts - b.ts);
    let cur: { start: number; end: number; count: number; sum: number } | undefined;
    for (const c of cs) {
      if (cur !== undefined && c.ts <= cur.end) {
        cur.end = Math.max(cur.end, c.ts + gap);
        cur.count++;
        cur.sum += c.n;
      } else {
        if (cur) out.push({ user, ...cur });
        cur = { start: c.ts, end: c.ts + gap, count: 1, sum: c.n };
      }
    }
    if (cur) out.push({ user, ...cur });
  }
  return out;
}

/** Clicks per page and tumbling window of `size`. */
export function modelPages(input: readonly Click[], size: number): PageOut[] {
  const counts = new Map<string, PageOut>();
  for (const c of input) {
    const start = c.ts - (((c.ts % size) + size) % size);
    const k = `${c.page}@${start}`;
    const prev = counts.get(k);
    counts.set(k, { page: c.page, start, count: (prev?.count ?? 0) + 1 });
  }
  return [...counts.values()];
}

/** Sorted canonical JSON lines: equal arrays mean equal multisets. */
export const canonical = (xs: readonly object[]) => xs.map((x) => JSON.stringify(Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))))).sort();

/** What lines of `expected` are missing from `got` and which are extra (duplicates included). */
export function diff(got: readonly string[], expected: readonly string[]): { missing: string[]; extra: string[] } {
  const left = new Map<string, number>();
  for (const e of expected) left.set(e, (left.get(e) ?? 0) + 1);
  const extra: string[] = [];
  for (const g of got) {
    const n = left.get(g) ?? 0;
    if (n > 0) left.set(g, n - 1);
    else extra.push(g);
  }
  const missing = [...left].flatMap(([k, n]) => Array.from({ length: n }, () => k));
  return { missing, extra };
}

/** A run of the scale-out job: its Redis keys, its instances, its input. */
export class ScaleOutRun {
  readonly workers = new Map<string, Worker>();
  readonly input: string;
  readonly output: string;
  readonly jobName: string;
  readonly written: Click[] = [];
  private readonly dir: string;

  constructor(
    private readonly r: Redis,
    private readonly bundle: string,
    private readonly base: Omit<WorkerConfig, 'instanceId' | 'checkpointDir' | 'input' | 'output' | 'jobName'>,
    tag: string,
  ) {
    this.jobName = `job-${tag}`;
    this.input = `in-${tag}`;
    this.output = `out-${tag}`;
    this.dir = mkdtempSync(join(tmpdir(), `weir-scale-out-${tag}-`));
  }

  get checkpointDir(): string {
    return join(this.dir, 'checkpoints');
  }

  start(instanceId: string, extra: Partial<WorkerConfig> = {}): Worker {
    const config: WorkerConfig = { ...this.base, instanceId, jobName: this.jobName, checkpointDir: this.checkpointDir, input: this.input, output: this.output, ...extra };
    const w = runWorker(this.bundle, [JSON.stringify(config)]);
    this.workers.set(instanceId, w);
    return w;
  }

  /** A file whose existence makes `instanceId` stop itself before its next commit. */
  pauseFile(instanceId: string): string {
    return join(this.dir, `pause-${instanceId}`);
  }

  armPause(instanceId: string): void {
    writeFileSync(this.pauseFile(instanceId), '');
  }

  /** Appends clicks to their partitions (by user, as RedisStreamSink routes). */
  async write(cs: readonly Click[]): Promise<void> {
    const pipe = this.r.pipeline();
    for (const c of cs) pipe.call('XADD', partitionKey(this.input, partitionOf(c.user, this.base.partitions), this.base.partitions), '*', 'v', JSON.stringify(c), 'ts', String(c.ts));
    await pipe.exec();
    this.written.push(...cs);
  }

  /** One click far in the future per partition: every window before it can close. */
  async writeEnd(): Promise<void> {
    const last = this.written.at(-1)?.ts ?? 0;
    const P = this.base.partitions;
    const users: string[] = [];
    for (let i = 0; users.length < P && i < 10_000; i++) {
      const u = `~end${i}`;
      if (!users.some((x) => partitionOf(x, P) === partitionOf(u, P))) users.push(u);
    }
    const pipe = this.r.pipeline();
    for (const user of users) {
      const c: Click = { user, page: '~end', ts: last + 1_000_000, n: -1 };
      pipe.call('XADD', partitionKey(this.input, partitionOf(user, P), P), '*', 'v', JSON.stringify(c), 'ts', String(c.ts));
    }
    await pipe.exec();
  }

  async outputLines(): Promise<string[]> {
    const entries = (await this.r.call('XRANGE', this.output, '-', '+')) as Array<[string, string[]]>;
    return canonical(entries.map(([, f]) => JSON.parse(f[f.indexOf('v') + 1]!) as object));
  }

  /** Waits until the output has at least `count` entries and stays unchanged for `quietMs`. */
  async settle(count: number, timeoutMs = 30_000, quietMs = 800): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    let lines = await this.outputLines();
    let stableSince = Date.now();
    while (Date.now() < deadline) {
      await sleep(100);
      const next = await this.outputLines();
      if (next.length !== lines.length) stableSince = Date.now();
      lines = next;
      if (lines.length >= count && Date.now() - stableSince >= quietMs) break;
    }
    return lines;
  }

  /** The tasks each live instance runs (from the TASKS lines). */
  tasks(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const [id, w] of this.workers) {
      if (w.proc.exitCode !== null || w.proc.signalCode !== null) continue;
      const line = [...w.lines].reverse().find((l) => l.startsWith('TASKS '));
      out.set(id, line ? (JSON.parse(line.slice(6)) as string[]) : []);
    }
    return out;
  }

  /** Waits until the live instances run every one of `total` tasks, each once. */
  async allRunning(total: number, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const all = [...this.tasks().values()].flat();
      if (all.length === total && new Set(all).size === total) return;
      await sleep(50);
    }
    throw new Error(`not all ${total} tasks ran within ${timeoutMs} ms: ${JSON.stringify([...this.tasks()])}; ${this.logs()}`);
  }

  logs(): string {
    return [...this.workers].map(([id, w]) => `--- ${id}:\n${w.lines.filter((l) => !l.startsWith('INFO')).slice(-15).join('\n')}`).join('\n');
  }

  async stopAll(): Promise<void> {
    for (const w of this.workers.values()) {
      if (w.proc.signalCode === 'SIGSTOP' || processState(w.proc.pid) === 'T') w.proc.kill('SIGCONT');
      await w.kill('SIGKILL');
    }
  }
}

/** The state letter of a process (R, S, T for stopped...), from /proc. */
export function processState(pid: number | undefined): string | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}
