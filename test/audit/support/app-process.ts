/**
 * Runs the k8s-audit example as a separate node process (bundled once with esbuild, weir
 * packages from source) and the forwarder script, for the end-to-end tests.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AuditEvent } from '@weir/connectors';
import { StreamStoreSource } from '@weir/connectors';
import { StreamEnvironment } from '@weir/core';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const src = (pkg: string) => join(repo, 'packages', pkg, 'src', 'index.ts');

/** Bundles the example's main.ts (everything inside) and returns the bundle's path. */
export async function bundleApp(): Promise<string> {
  const require = createRequire(join(repo, 'package.json'));
  const esbuild = createRequire(require.resolve('tsup'))('esbuild') as { build(o: Record<string, unknown>): Promise<unknown> };
  const dir = join(repo, 'examples', 'k8s-audit', '.tmp');
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, `main-e2e-${process.pid}.mjs`);
  await esbuild.build({
    entryPoints: [join(repo, 'examples', 'k8s-audit', 'src', 'main.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'error',
    alias: { '@weir/core': src('core'), '@weir/windows': src('windows'), '@weir/connectors': src('connectors') },
    banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" },
  });
  return outfile;
}

/** A child process with its output lines. */
export interface Child {
  readonly proc: ChildProcess;
  readonly out: string[];
  readonly err: string[];
  waitFor(pred: (line: string) => boolean, stream?: 'out' | 'err', timeoutMs?: number): Promise<string>;
  kill(signal?: NodeJS.Signals): Promise<void>;
  readonly exited: Promise<number | null>;
}

export function spawnChild(file: string, args: readonly string[]): Child {
  const proc = spawn(process.execPath, [file, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, AUDIT_TOKEN: '' } });
  const out: string[] = [];
  const err: string[] = [];
  const listeners = new Set<() => void>();
  const collect = (into: string[]) => {
    let buf = '';
    return (d: Buffer) => {
      buf += d.toString();
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        into.push(buf.slice(0, i));
        buf = buf.slice(i + 1);
      }
      for (const l of listeners) l();
    };
  };
  proc.stdout!.on('data', collect(out));
  proc.stderr!.on('data', collect(err));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return {
    proc,
    out,
    err,
    exited,
    waitFor: (pred, stream = 'out', timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const lines = stream === 'out' ? out : err;
        const check = () => {
          const hit = lines.find(pred);
          if (hit === undefined) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolve(hit);
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`no matching line in ${timeoutMs} ms; stderr: ${err.slice(-5).join(' | ')}`));
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

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Every event committed to the example's store under `dataDir`. */
export async function readStore(dataDir: string): Promise<AuditEvent[]> {
  const env = StreamEnvironment.create({ logger: { info: () => {}, warn: () => {} } });
  const events = env.fromSource(new StreamStoreSource<AuditEvent>({ root: join(dataDir, 'streams'), scope: 'audit', stream: 'events', bounded: true })).collect();
  await env.execute('read store');
  return events.items();
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
