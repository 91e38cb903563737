/**
 * One crash schedule: a sequence of child runs of the same job on the same directories, each run
 * killed by the driver after a delay or by an armed failpoint, followed by runs without faults
 * until the job completes. Checks the commit protocol at every crash and the output at the end.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChildConfig } from '../child/child-config.js';
import { type Anomalies, add, compareLines, keysOutOfOrder, latestDurableCheckpoint, noAnomalies, partCheckpoint, readCommitted } from './committed-output.js';
import { danglingReferences } from './checkpoint-integrity.js';
import { runChild } from './run-child.js';

export interface Step {
  readonly killAfterMs?: number;
  /** WEIR_FAILPOINTS for this run; the run is expected to die there. */
  readonly failpoint?: string;
}

export interface ScheduleSpec {
  readonly label: string;
  readonly script: string;
  readonly base: Omit<ChildConfig, 'outDir' | 'checkpointDir'>;
  readonly steps: readonly Step[];
  readonly broken?: string;
  readonly expected: readonly string[];
  readonly reference: readonly string[];
  readonly workRoot: string;
}

export interface ScheduleAnomalies extends Anomalies {
  /** A run failed by itself (not killed) or the job never completed. */
  unrecoverable: number;
  /** At a crash, a committed part belonged to a checkpoint newer than the durable one. */
  visibleBeforeDurable: number;
  /** A file visible at a crash was later changed or removed. */
  retracted: number;
  /** Hidden part files left after the job completed. */
  leftovers: number;
  /** A complete checkpoint referred to a file that was gone (at a crash or at the end). */
  dangling: number;
}

export interface ScheduleOutcome {
  readonly label: string;
  readonly runs: number;
  readonly kills: number;
  /** Failpoint names that killed a run. */
  readonly failpointHits: readonly string[];
  readonly anomalies: ScheduleAnomalies;
  readonly notes: string[];
}

export const noScheduleAnomalies = (): ScheduleAnomalies => ({ ...noAnomalies(), unrecoverable: 0, visibleBeforeDurable: 0, retracted: 0, leftovers: 0, dangling: 0 });
export const totalOf = (a: ScheduleAnomalies): number =>
  a.lost + a.duplicated + a.inconsistent + a.unrecoverable + a.visibleBeforeDurable + a.retracted + a.leftovers + a.dangling;

async function checkReferences(dir: string, when: string, a: ScheduleAnomalies, notes: string[], label: string): Promise<void> {
  const dangling = await danglingReferences(dir);
  a.dangling += dangling.length;
  for (const d of dangling.slice(0, 3)) notes.push(`${label}: ${when}: ${d}`);
}

const MAX_CLEAN_RUNS = 3;
const tail = (s: string) => s.trim().split('\n').slice(-3).join(' / ').slice(0, 400);

export async function runSchedule(spec: ScheduleSpec): Promise<ScheduleOutcome> {
  const work = await mkdtemp(join(spec.workRoot, 's-'));
  const cfg: ChildConfig = { ...spec.base, outDir: join(work, 'out'), checkpointDir: join(work, 'chk') };
  const a = noScheduleAnomalies();
  const notes: string[] = [];
  const hits: string[] = [];
  const seen = new Map<string, string>();
  let runs = 0;
  let kills = 0;
  let done = false;
  const steps: Step[] = [...spec.steps, ...Array.from({ length: MAX_CLEAN_RUNS }, () => ({}))];
  for (const step of steps) {
    const r = await runChild(spec.script, cfg, { killAfterMs: step.killAfterMs, failpoints: step.failpoint, broken: spec.broken });
    runs++;
    if (r.code === 0) {
      done = true;
      break;
    }
    if (r.signal !== 'SIGKILL' || r.hung) {
      a.unrecoverable++;
      notes.push(`${spec.label}: run ${runs} ${r.hung ? 'hung' : `exited with ${r.code ?? r.signal}`}: ${tail(r.stderr)}`);
      break;
    }
    if (r.killedByDriver) kills++;
    else if (step.failpoint) hits.push(step.failpoint.split('@')[0]!);
    else {
      a.unrecoverable++;
      notes.push(`${spec.label}: run ${runs} was SIGKILLed by nobody we know of`);
      break;
    }
    // The commit protocol at the crash: only parts of durable checkpoints are visible, and what
    // is visible stays as it is; every retained checkpoint has all its files.
    await checkReferences(cfg.checkpointDir, `at crash ${runs}`, a, notes, spec.label);
    const now = await readCommitted(cfg.outDir);
    const durable = await latestDurableCheckpoint(cfg.checkpointDir);
    for (const [name, hash] of now.files) {
      const id = partCheckpoint(name);
      if (id !== undefined && id > durable) {
        a.visibleBeforeDurable++;
        notes.push(`${spec.label}: ${name} visible while the newest durable checkpoint is ${durable}`);
      }
      const before = seen.get(name);
      if (before !== undefined && before !== hash) a.retracted++;
      seen.set(name, hash);
    }
  }
  if (!done && a.unrecoverable === 0) {
    a.unrecoverable++;
    notes.push(`${spec.label}: did not complete in ${runs} runs`);
  }
  if (done) {
    await checkReferences(cfg.checkpointDir, 'at the end', a, notes, spec.label);
    const final = await readCommitted(cfg.outDir);
    add(a, compareLines(final.lines, spec.expected));
    a.inconsistent += final.torn + keysOutOfOrder(final.lines, spec.reference);
    a.leftovers += final.hidden;
    for (const [name, hash] of seen) {
      if (final.files.get(name) !== hash) {
        a.retracted++;
        notes.push(`${spec.label}: ${name}, visible at a crash, later changed or vanished`);
      }
    }
    const bad = a.lost + a.duplicated + a.inconsistent;
    if (bad > 0) notes.push(`${spec.label}: lost ${a.lost}, duplicated ${a.duplicated}, inconsistent ${a.inconsistent} (of ${spec.expected.length} lines)`);
  }
  if (totalOf(a) === 0) await rm(work, { recursive: true, force: true });
  else notes.push(`${spec.label}: kept ${work} for inspection`);
  return { label: spec.label, runs, kills, failpointHits: hits, anomalies: a, notes };
}
