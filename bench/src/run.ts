/**
 * `pnpm bench`: runs every bench group, each in a fresh Node process (--expose-gc, a large heap
 * for 10 M pre-generated events), prints the per-case table and the goal table, and writes
 * bench/results/latest.json.
 *
 * Options: `--quick` (about 1/20 of the events), `--smoke` (a few thousand events, one round),
 * `--only tumbling,nexmark-q5` (group ids), `--impl weir,hand` (implementations),
 * `--out path.json`.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CaseResult } from './harness/measure.js';
import { evaluateGoals } from './suite/goals.js';
import { ALL_GROUPS } from './suite/groups.js';
import { formatCases, formatGoals } from './suite/report.js';

const RESULT_MARKER = '@@RESULT ';

/** The commit being measured, when the suite runs inside a git checkout. */
function gitCommit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

function option(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function runChild(groupId: string, profileName: string, impl: string | undefined): Promise<CaseResult[]> {
  const child = fileURLToPath(new URL('./child.js', import.meta.url));
  const args = ['--expose-gc', '--max-old-space-size=8192', child, groupId, profileName, ...(impl ? ['--impl', impl] : [])];
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.setEncoding('utf8');
    p.stdout.on('data', (chunk: string) => (out += chunk));
    p.on('error', reject);
    p.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(RESULT_MARKER));
      if (code !== 0 || line === undefined) reject(new Error(`group ${groupId} failed (exit code ${code})`));
      else resolve(JSON.parse(line.slice(RESULT_MARKER.length)) as CaseResult[]);
    });
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const profileName = args.includes('--smoke') ? 'smoke' : args.includes('--quick') ? 'quick' : 'full';
  const only = option(args, '--only')?.split(',');
  const impl = option(args, '--impl');
  const out = option(args, '--out') ?? fileURLToPath(new URL('../results/latest.json', import.meta.url));
  const groups = only ? ALL_GROUPS.filter((g) => only.includes(g.id)) : ALL_GROUPS;
  if (groups.length === 0) throw new Error(`no group matches --only ${only?.join(',')}; groups: ${ALL_GROUPS.map((g) => g.id).join(', ')}`);
  const started = Date.now();
  const results: CaseResult[] = [];
  const failures: string[] = [];
  for (const g of groups) {
    process.stderr.write(`\n== ${g.id}: ${g.title} (${profileName})\n`);
    try {
      const r = await runChild(g.id, profileName, impl);
      results.push(...r);
      process.stderr.write(`${formatCases(r)}\n`);
    } catch (e) {
      failures.push(g.id);
      process.stderr.write(`${(e as Error).message}\n`);
    }
  }
  const goals = evaluateGoals(results);
  const report = {
    date: new Date().toISOString(),
    profile: profileName,
    commit: gitCommit(),
    durationS: Math.round((Date.now() - started) / 1000),
    machine: { node: process.version, cpus: availableParallelism(), cpuModel: cpus()[0]?.model, memoryGB: Math.round(totalmem() / 2 ** 30) },
    note: 'eventsPerSec is per CPU second (process user + system time), eventsPerWallSec per wall-clock second. Ratios between implementations measured side by side in one process are the figures to compare; absolute figures depend on the machine and its load.',
    failures,
    goals,
    results,
  };
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`\nweir bench (${profileName}, ${report.durationS} s, Node ${process.version}, ${report.machine.cpus} cores): events per CPU second, medians of ${profileName === 'smoke' ? 1 : 5} rounds\n\n`);
  process.stdout.write(`${formatCases(results)}\n\n${formatGoals(goals)}\n\nwritten to ${out}\n`);
  const disagree = results.filter((r) => !r.agree).map((r) => r.id);
  if (disagree.length > 0) process.stdout.write(`implementations disagree in: ${disagree.join(', ')}\n`);
  if (failures.length > 0 || disagree.length > 0) process.exitCode = 1;
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
