/**
 * Issue #14, defect 8 (part): checkpoint settings that cannot work are refused, by `create()`
 * or, for what needs the file system, when `execute()` opens the directory.
 * - A checkpoint directory that cannot be used is a ConfigError naming the directory, the real
 *   cause (ENOTDIR, EACCES, ...) and the fix, before the job starts; not "ENOENT: mkdir" from the
 *   first checkpoint.
 * - `checkpointing.intervalMs` (positive, finite), `retain` (integer >= 1),
 *   `restartStrategy.attempts` (integer >= 0) and `delayMs` (finite, >= 0) are ConfigErrors
 *   naming the value and the fix.
 */
import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreamEnvironment, type StreamEnvironmentOptions } from '@weir/core';
import { bundle, ROOT } from './support/bundle.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'weir-config-'));
});
afterAll(async () => {
  await chmod(join(root, 'read-only'), 0o755).catch(() => {});
  await rm(root, { recursive: true, force: true });
});

const quiet = { info: () => {}, warn: () => {} };

/** The error of `create()` (settings that cannot work are refused there) or else of `execute()`. */
async function failure(options: StreamEnvironmentOptions): Promise<unknown> {
  let env: StreamEnvironment;
  try {
    env = StreamEnvironment.create({ logger: quiet, ...options });
  } catch (e) {
    return e;
  }
  const out = env.fromElements(1, 2, 3).uid('numbers').collect();
  const error = await env.execute('config').then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(out.items()).toEqual([]);
  return error;
}

describe('an unusable checkpoint directory', () => {
  it('a file in the way: ConfigError naming the directory, ENOTDIR and the fix', async () => {
    const file = join(root, 'a-file');
    await writeFile(file, 'not a directory');
    const dir = join(file, 'checkpoints');
    const error = await failure({ checkpointing: { intervalMs: 10, dir } });
    expect(error).toMatchObject({ name: 'ConfigError', code: 'CONFIG' });
    const message = (error as Error).message;
    expect(message).toContain(dir);
    expect(message).toContain('ENOTDIR');
    expect(message).toContain(file);
    expect(message).toMatch(/checkpointing\.dir/);
  });

  it('a read-only directory: ConfigError naming the directory, EACCES and the fix (run as an unprivileged user)', async () => {
    const readOnly = join(root, 'read-only');
    await mkdir(readOnly);
    await chmod(readOnly, 0o555);
    const dir = join(readOnly, 'checkpoints');
    // root ignores file modes: the job then runs as 'nobody' in a child process.
    const script = await bundle(join(ROOT, 'test', 'fault', 'child', 'config-probe.ts'), join(root, 'probe.mjs'));
    await chmod(root, 0o755);
    const asRoot = process.getuid?.() === 0;
    const child = spawn(process.execPath, [script, dir], { stdio: ['ignore', 'pipe', 'pipe'], ...(asRoot ? { uid: 65534, gid: 65534 } : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise((resolve) => child.on('close', resolve));
    expect(stdout, stderr).not.toBe('');
    const error = JSON.parse(stdout) as { name: string; code: string; message: string };
    expect(error).toMatchObject({ name: 'ConfigError', code: 'CONFIG' });
    expect(error.message).toContain(dir);
    expect(error.message).toContain('EACCES');
    expect(error.message).toMatch(/writable/);
  });
});

describe('checkpoint and restart settings', () => {
  const cases: Array<[string, StreamEnvironmentOptions, RegExp]> = [
    ['an infinite interval', { checkpointing: { intervalMs: Number.POSITIVE_INFINITY } }, /checkpointing\.intervalMs .*Infinity/],
    ['a fractional retain', { checkpointing: { intervalMs: 10, retain: 2.5 } }, /checkpointing\.retain .*2\.5/],
    ['negative restart attempts', { checkpointing: { intervalMs: 10 }, restartStrategy: { attempts: -1 } }, /restartStrategy\.attempts .*-1/],
    ['fractional restart attempts', { restartStrategy: { attempts: 1.5 } }, /restartStrategy\.attempts .*1\.5/],
    ['a NaN restart delay', { checkpointing: { intervalMs: 10 }, restartStrategy: { attempts: 1, delayMs: Number.NaN } }, /restartStrategy\.delayMs .*NaN/],
    ['a negative restart delay', { checkpointing: { intervalMs: 10 }, restartStrategy: { attempts: 1, delayMs: -5 } }, /restartStrategy\.delayMs .*-5/],
  ];
  for (const [what, options, pattern] of cases) {
    it(`${what} is a ConfigError naming the value`, async () => {
      const withDir = options.checkpointing ? { ...options, checkpointing: { ...options.checkpointing, dir: join(root, `cp-${what.replace(/\W/g, '-')}`) } } : options;
      const error = await failure(withDir);
      expect(error).toMatchObject({ name: 'ConfigError', code: 'CONFIG' });
      expect((error as Error).message).toMatch(pattern);
      expect((error as Error).message).toMatch(/e\.g\./);
    });
  }
});
