/**
 * Test helper: bundles a TypeScript worker (with the workspace packages' sources) into one
 * CommonJS file with esbuild (tsup's), and runs it as a separate node process.
 * @internal
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const pkg = join(here, '..', '..');
const repo = join(pkg, '..', '..');

/** Bundles `entry` (a path) and returns the bundle's path. */
export async function bundleWorker(entry: string): Promise<string> {
  const require = createRequire(import.meta.url);
  const fromTsup = createRequire(require.resolve('tsup'));
  const esbuild = fromTsup('esbuild') as { build(options: Record<string, unknown>): Promise<unknown> };
  const outfile = join(mkdtempSync(join(tmpdir(), 'weir-worker-')), 'worker.cjs');
  await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    logLevel: 'error',
    alias: { '@weir/core': join(repo, 'packages/core/src/index.ts'), '@weir/connectors': join(pkg, 'src/index.ts') },
    external: ['ioredis', 'zod', 'date-fns', 'rxjs'],
  });
  return outfile;
}

/** A running worker: its output lines so far and a way to wait for one. */
export interface Worker {
  readonly proc: ChildProcess;
  readonly lines: string[];
  waitFor(pred: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>;
}

/** Starts a bundled worker; `failpoints` arms the engine's WEIR_FAILPOINTS in it; `env` adds variables. */
export function runWorker(bundle: string, args: readonly string[], failpoints?: string, env: Readonly<Record<string, string>> = {}): Worker {
  const nodePath = [join(pkg, 'node_modules'), join(repo, 'packages/core/node_modules')].join(':');
  const proc = spawn(process.execPath, [bundle, ...args], { env: { ...process.env, NODE_PATH: nodePath, WEIR_FAILPOINTS: failpoints ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const listeners = new Set<() => void>();
  let buf = '';
  proc.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      lines.push(buf.slice(0, i));
      buf = buf.slice(i + 1);
    }
    for (const l of listeners) l();
  });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return {
    proc,
    lines,
    exited,
    waitFor: (pred, timeoutMs = 15_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const hit = lines.find(pred);
          if (hit !== undefined) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve(hit);
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`worker did not print the expected line in ${timeoutMs} ms; stdout: ${lines.join(' | ')}; stderr: ${stderr}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      }),
    kill: async (signal = 'SIGTERM') => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      await exited;
    },
  };
}
