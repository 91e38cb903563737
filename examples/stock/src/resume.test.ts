/**
 * The real command in child processes: kill -9 mid-run with a checkpoint directory, start it
 * again (twice), and the committed results equal those of a run that was never interrupted.
 * Also the command line's exit codes, as a shell sees them.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCommittedLines } from './committed-sink.js';
import { fromJsonLine } from './results.js';
import { bundleCli } from './testing/cli-bundle.js';

let cli: Awaited<ReturnType<typeof bundleCli>>;
let work: string;

beforeAll(async () => {
  cli = await bundleCli();
  work = await mkdtemp(join(tmpdir(), 'weir-stock-resume-'));
});
afterAll(async () => {
  await cli?.cleanup();
  await rm(work, { recursive: true, force: true });
});

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function start(args: readonly string[]): { child: ChildProcess; exit: Promise<Exit> } {
  const child = spawn(process.execPath, [cli.file, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<Exit>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, exit };
}

async function committedParts(dir: string): Promise<number> {
  try {
    return (await readdir(join(dir, 'results'))).filter((n) => n.startsWith('part-')).length;
  } catch {
    return 0;
  }
}

/** Kills the run with SIGKILL once `parts` more result files have been committed. */
async function killAfterCommits(args: readonly string[], dir: string, parts: number): Promise<void> {
  const before = await committedParts(dir);
  const run = start(args);
  for (;;) {
    if ((await committedParts(dir)) >= before + parts) break;
    const done = await Promise.race([run.exit, new Promise<undefined>((r) => setTimeout(() => r(undefined), 25))]);
    if (done) throw new Error(`the run ended before it could be killed: ${done.stderr}`);
  }
  run.child.kill('SIGKILL');
  const exit = await run.exit;
  expect(exit.signal).toBe('SIGKILL');
}

describe('kill -9 and resume', () => {
  it('commits the same results as an uninterrupted run', async () => {
    const args = (dir: string) => ['--json', '--seed', '11', '--rate', '100', '--duration', '3', '--checkpoint-dir', dir];
    const whole = join(work, 'uninterrupted');
    const uninterrupted = await start(args(whole)).exit;
    expect(uninterrupted.code, uninterrupted.stderr).toBe(0);
    const expected = await readCommittedLines(join(whole, 'results'));
    // 300 market seconds: 61 rolling windows, 10 correlations, thousands of results.
    expect(expected.filter((l) => fromJsonLine(l).kind === 'correlation')).toHaveLength(10);
    expect(expected.length).toBeGreaterThan(1000);
    // Everything the run printed was committed (nothing held back, nothing twice).
    expect(expected.slice().sort()).toEqual(uninterrupted.stdout.trim().split('\n').sort());

    const crashed = join(work, 'crashed');
    await killAfterCommits(args(crashed), crashed, 1);
    const afterFirstKill = (await readCommittedLines(join(crashed, 'results'))).length;
    expect(afterFirstKill).toBeGreaterThan(0);
    expect(afterFirstKill).toBeLessThan(expected.length);
    await killAfterCommits(args(crashed), crashed, 1);
    const resumed = await start(args(crashed)).exit;
    expect(resumed.code, resumed.stderr).toBe(0);
    const actual = await readCommittedLines(join(crashed, 'results'));
    expect(actual.length).toBe(expected.length);
    expect(actual.slice().sort()).toEqual(expected.slice().sort());
  });
});

describe('the command line', () => {
  it('exits with 2 and a clear message on a bad option', async () => {
    const bad = await start(['--rate', 'fast']).exit;
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--rate must be a positive number, got 'fast'");
    const unknown = await start(['--speed', '3']).exit;
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown option '--speed'");
  });

  it('describes every option with --help and exits 0', async () => {
    const help = await start(['--help']).exit;
    expect(help.code).toBe(0);
    for (const o of ['--duration', '--rate', '--seed', '--socket', '--checkpoint-dir', '--event-time', '--processing-time', '--json', '--help']) {
      expect(help.stdout).toContain(o);
    }
  });
});
