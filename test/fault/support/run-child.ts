/** Runs one child job and optionally SIGKILLs it after a delay. */
import { spawn } from 'node:child_process';
import type { ChildConfig } from '../child/child-config.js';

export interface ChildRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The driver's kill landed (the child was still running). */
  readonly killedByDriver: boolean;
  readonly hung: boolean;
  readonly ms: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ChildOptions {
  readonly killAfterMs?: number;
  readonly failpoints?: string;
  readonly broken?: string;
  /** A child still running after this long is killed and reported as hung. */
  readonly timeoutMs?: number;
}

export function runChild(script: string, cfg: ChildConfig, opts: ChildOptions = {}): Promise<ChildRun> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.WEIR_FAILPOINTS;
  delete env.WEIR_TEST_BROKEN;
  if (opts.failpoints) env.WEIR_FAILPOINTS = opts.failpoints;
  if (opts.broken) env.WEIR_TEST_BROKEN = opts.broken;
  const started = performance.now();
  const child = spawn(process.execPath, [script, JSON.stringify(cfg)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let killedByDriver = false;
  let hung = false;
  const killTimer = opts.killAfterMs === undefined ? undefined : setTimeout(() => (killedByDriver = child.kill('SIGKILL')), opts.killAfterMs);
  const hangTimer = setTimeout(() => {
    hung = true;
    child.kill('SIGKILL');
  }, opts.timeoutMs ?? 60_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (killTimer) clearTimeout(killTimer);
      clearTimeout(hangTimer);
      // A kill that raced with a normal exit did not land.
      resolve({ code, signal, killedByDriver: killedByDriver && signal === 'SIGKILL', hung, ms: performance.now() - started, stdout, stderr });
    });
  });
}
