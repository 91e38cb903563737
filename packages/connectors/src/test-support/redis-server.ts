/**
 * Test helper: a real `redis-server` on 127.0.0.1 on a free port, with its data in a temporary
 * directory (append-only file, fsync always, so a restart keeps streams, groups and leases),
 * stopped (or killed and restarted on the same port) by the test.
 * @internal
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, sleep } from './tcp.js';

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** Stops the server (SIGKILL when `kill`), keeping its data directory. */
  stop(kill?: boolean): Promise<void>;
  /** Starts it again on the same port with the same data. */
  restart(): Promise<void>;
  /** Stops it and deletes its data. */
  dispose(): Promise<void>;
}

/** `appendfsync` of the server: `always` (default: nothing acknowledged is lost) or `everysec` (benches). */
export async function startRedis(options: { readonly appendfsync?: 'always' | 'everysec' } = {}): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'weir-redis-'));
  let proc: ChildProcess | undefined;
  const launch = async () => {
    proc = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', options.appendfsync ?? 'always', '--protected-mode', 'yes', '--loglevel', 'warning'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<void>((resolve) => proc!.once('exit', () => resolve()));
    for (let i = 0; i < 200; i++) {
      if (await ping(port)) return;
      if (proc.exitCode !== null) break;
      await sleep(25);
    }
    proc.kill('SIGKILL');
    await exited;
    throw new Error(`redis-server did not start on 127.0.0.1:${port}: ${stderr}`);
  };
  const stop = async (kill = false) => {
    const p = proc;
    proc = undefined;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => p.once('exit', () => resolve()));
    p.kill(kill ? 'SIGKILL' : 'SIGTERM');
    await exited;
  };
  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop,
    restart: launch,
    dispose: async () => {
      await stop(true);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** True when a server answers PING on the port. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(500, () => done(false));
    s.once('error', () => done(false));
    s.connect(port, '127.0.0.1', () => s.write('PING\r\n'));
    s.once('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}
