/**
 * The fault driver: for each pipeline, a reference run that never fails (checked against the
 * independent model), then seeded crash schedules (random SIGKILLs), schedules that crash at each
 * named failpoint of the commit and restore path, and negative controls (deliberately broken
 * commit protocols that the same checks must catch). Prints its own closing line
 * `fault: N passed, N failed`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildConfig } from '../child/child-config.js';
import { generateEvents, prng, toLine } from '../pipelines/events.js';
import { PIPELINES } from '../pipelines/index.js';
import { bundle, ROOT } from './bundle.js';
import { compareLines, readCommitted, total } from './committed-output.js';
import { runChild } from './run-child.js';
import { noScheduleAnomalies, runSchedule, type ScheduleAnomalies, type ScheduleSpec, type Step, totalOf } from './schedule.js';

/** Failpoints of an (incremental) checkpoint, of retention and of the commit. */
export const COMMIT_PATH_FAILPOINTS = [
  'checkpoint.before-write',
  'checkpoint.after-shared',
  'checkpoint.after-part',
  'checkpoint.before-rename',
  'checkpoint.after-rename',
  'checkpoint.after-pointer',
  'retention.after-drop-checkpoint',
  'retention.after-drop-shared',
  'sink.before-commit',
  'sink.after-commit',
] as const;
export const RESTORE_PATH_FAILPOINTS = ['restore.after-read', 'restore.after-recover'] as const;

/**
 * Broken storages (support/broken-storages.ts), the failpoint that lands a crash in the window
 * each one opens, and the hits tried (checkpoint 1 is full; with chains of 4, 2-4 are deltas and
 * 5 is full again).
 */
export const NEGATIVE_CONTROLS: Readonly<Record<string, { readonly failpoint: string; readonly hits: readonly number[] }>> = {
  'commit-before-durable': { failpoint: 'sink.after-commit', hits: [1, 2] },
  'checkpoint-in-place': { failpoint: 'checkpoint.after-part', hits: [1, 2] },
  'chain-drops-base': { failpoint: 'checkpoint.after-pointer', hits: [2, 3] },
  'prune-referenced': { failpoint: 'checkpoint.after-pointer', hits: [5, 6] },
};

export interface DriverOptions {
  readonly seed: number;
  readonly schedulesPerPipeline: number;
  readonly events: number;
  readonly concurrency: number;
  readonly pipelines: readonly string[];
  /** Pipelines that get one schedule per failpoint (round robin over the failpoints). */
  readonly failpointRounds: number;
  readonly negativeSchedules: number;
  readonly log: (line: string) => void;
}

export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail?: string;
}

export interface DriverReport {
  schedules: number;
  runs: number;
  kills: number;
  failpointKills: number;
  readonly anomalies: ScheduleAnomalies;
  readonly failpointHits: Record<string, number>;
  readonly negative: Record<string, { schedules: number; anomalies: ScheduleAnomalies; caught: boolean }>;
  readonly checks: Check[];
  seconds: number;
}

async function pool<T, R>(items: readonly T[], n: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}

function sum(into: ScheduleAnomalies, a: ScheduleAnomalies): void {
  for (const k of Object.keys(into) as Array<keyof ScheduleAnomalies>) into[k] += a[k];
}

interface Prepared {
  readonly id: string;
  readonly base: Omit<ChildConfig, 'outDir' | 'checkpointDir'>;
  readonly expected: string[];
  readonly reference: string[];
  readonly cleanMs: number;
}

export async function runFaultDriver(o: DriverOptions): Promise<DriverReport> {
  const t0 = performance.now();
  const workRoot = await mkdtemp(join(tmpdir(), 'weir-fault-'));
  const script = await bundle(join(ROOT, 'test', 'fault', 'child', 'job.ts'), join(workRoot, 'job.mjs'));
  const checks: Check[] = [];
  const report: DriverReport = {
    schedules: 0,
    runs: 0,
    kills: 0,
    failpointKills: 0,
    anomalies: noScheduleAnomalies(),
    failpointHits: Object.fromEntries([...COMMIT_PATH_FAILPOINTS, ...RESTORE_PATH_FAILPOINTS].map((f) => [f, 0])),
    negative: {},
    checks,
    seconds: 0,
  };

  // Reference runs: the job never fails; its output must equal the model.
  const prepared: Prepared[] = [];
  for (const [i, id] of o.pipelines.entries()) {
    const pipeline = PIPELINES[id]!;
    const events = generateEvents(o.seed * 101 + i, o.events);
    const input = join(workRoot, `${id}.csv`);
    await writeFile(input, `${events.map(toLine).join('\n')}\n`);
    const base = { pipeline: id, input, intervalMs: 10, linesPerTick: 10, tickMs: 1, cpuPerLineMs: 0.02 };
    const dir = await mkdtemp(join(workRoot, `ref-${id}-`));
    const ref = await runChild(script, { ...base, outDir: join(dir, 'out'), checkpointDir: join(dir, 'chk') });
    const expected = pipeline.model(events);
    const committed = await readCommitted(join(dir, 'out'));
    const diff = compareLines(committed.lines, expected);
    const ok = ref.code === 0 && total(diff) === 0;
    checks.push({ name: `reference run of '${id}' equals its model`, ok, detail: ok ? undefined : `exit ${ref.code ?? ref.signal}, ${JSON.stringify(diff)} ${ref.stderr.slice(-300)}` });
    o.log(`reference ${id}: ${committed.lines.length} lines in ${ref.ms.toFixed(0)} ms (${ok ? 'equals the model' : 'DIFFERS from the model'})`);
    if (ok) prepared.push({ id, base, expected, reference: committed.lines, cleanMs: ref.ms });
    await rm(dir, { recursive: true, force: true });
  }

  const specs: Array<ScheduleSpec & { kind: 'random' | 'failpoint' | string }> = [];
  const spec = (p: Prepared, label: string, steps: Step[], kind: string, broken?: string) =>
    specs.push({ label, script, base: p.base, steps, broken, expected: p.expected, reference: p.reference, workRoot, kind });

  // Random SIGKILLs: 1-3 per schedule, anywhere in the job's lifetime (startup and restore included).
  for (const p of prepared) {
    for (let s = 0; s < o.schedulesPerPipeline; s++) {
      const rnd = prng(o.seed * 7_777 + s * 31 + p.id.length);
      const kills = 1 + Math.floor(rnd() * 3);
      const steps = Array.from({ length: kills }, () => ({ killAfterMs: Math.floor(rnd() * p.cleanMs * 1.15) }));
      spec(p, `${p.id}#${s} kills at ${steps.map((x) => x.killAfterMs).join(',')} ms`, steps, 'random');
    }
  }
  // Every failpoint of the commit and restore path, on several pipelines and at several hits.
  const all = [...COMMIT_PATH_FAILPOINTS, ...RESTORE_PATH_FAILPOINTS];
  for (let r = 0; r < o.failpointRounds; r++) {
    for (const [j, fp] of all.entries()) {
      // Retention deletes shared files only where keyed state lives long enough to be chained
      // and then replaced: the rolling-many pipeline always has such files.
      const longLived = fp.startsWith('retention.') ? prepared.find((x) => x.id === 'rolling-many') : undefined;
      const p = longLived ?? prepared[(r * all.length + j) % prepared.length]!;
      const hit = 1 + ((r + j) % 3);
      const steps: Step[] = (RESTORE_PATH_FAILPOINTS as readonly string[]).includes(fp)
        ? [{ failpoint: `checkpoint.after-pointer@${hit}` }, { failpoint: `${fp}@1` }]
        : [{ failpoint: `${fp}@${hit}` }];
      spec(p, `${p.id} failpoint ${fp}@${hit}`, steps, 'failpoint');
    }
  }
  // Negative controls: the same checks must catch a broken commit protocol.
  for (const [variant, { failpoint: fp, hits }] of Object.entries(NEGATIVE_CONTROLS)) {
    for (let s = 0; s < o.negativeSchedules; s++) {
      // Losing the base of a delta shows where state lives long and changes in part.
      const keyed = prepared.filter((p) => (variant === 'chain-drops-base' ? p.id === 'rolling-many' : p.id !== 'stateless'));
      const p = keyed[s % keyed.length] ?? prepared[s % prepared.length]!;
      const hit = hits[s % hits.length]!;
      spec(p, `BROKEN ${variant} ${p.id} ${fp}@${hit}`, [{ failpoint: `${fp}@${hit}` }], variant, variant);
    }
  }

  let finished = 0;
  const outcomes = await pool(specs, o.concurrency, async (s) => {
    const out = await runSchedule(s);
    finished++;
    if (finished % 25 === 0) o.log(`  ${finished}/${specs.length} schedules`);
    return { spec: s, out };
  });

  for (const { spec: s, out } of outcomes) {
    if (s.broken) {
      const n = (report.negative[s.broken] ??= { schedules: 0, anomalies: noScheduleAnomalies(), caught: false });
      n.schedules++;
      sum(n.anomalies, out.anomalies);
      continue;
    }
    report.schedules++;
    report.runs += out.runs;
    report.kills += out.kills;
    report.failpointKills += out.failpointHits.length;
    for (const h of out.failpointHits) report.failpointHits[h] = (report.failpointHits[h] ?? 0) + 1;
    sum(report.anomalies, out.anomalies);
    const ok = totalOf(out.anomalies) === 0;
    checks.push({ name: out.label, ok, detail: ok ? undefined : out.notes.join('\n    ') });
  }
  for (const fp of all) {
    const n = report.failpointHits[fp] ?? 0;
    checks.push({ name: `failpoint ${fp} was hit by a crash`, ok: n > 0, detail: n > 0 ? undefined : 'never hit' });
  }
  for (const [variant, n] of Object.entries(report.negative)) {
    n.caught = totalOf(n.anomalies) > 0;
    checks.push({ name: `negative control ${variant} is caught`, ok: n.caught, detail: n.caught ? undefined : `0 anomalies in ${n.schedules} schedules` });
  }
  report.seconds = (performance.now() - t0) / 1000;
  if (checks.every((c) => c.ok)) await rm(workRoot, { recursive: true, force: true });
  return report;
}

/** The driver's own summary, ending with its closing line. */
export function summarize(r: DriverReport): string[] {
  const failed = r.checks.filter((c) => !c.ok);
  const a = r.anomalies;
  const lines = [
    ...failed.map((c) => `FAILED ${c.name}${c.detail ? `\n    ${c.detail}` : ''}`),
    `fault schedules: ${r.schedules}, child runs: ${r.runs}, SIGKILLs by the driver: ${r.kills}, crashes at failpoints: ${r.failpointKills}`,
    `failpoint hits: ${Object.entries(r.failpointHits).map(([k, v]) => `${k}=${v}`).join(' ')}`,
    `anomalies: lost=${a.lost} duplicated=${a.duplicated} inconsistent=${a.inconsistent} unrecoverable=${a.unrecoverable} visible-before-durable=${a.visibleBeforeDurable} retracted=${a.retracted} leftovers=${a.leftovers} dangling=${a.dangling}`,
    ...Object.entries(r.negative).map(
      ([v, n]) => `negative control ${v}: ${n.caught ? 'caught' : 'NOT caught'} in ${n.schedules} schedules (${Object.entries(n.anomalies).filter(([, x]) => x > 0).map(([k, x]) => `${k}=${x}`).join(' ') || 'no anomalies'})`,
    ),
    `time: ${r.seconds.toFixed(1)} s`,
    `fault: ${r.checks.length - failed.length} passed, ${failed.length} failed`,
  ];
  return lines;
}
