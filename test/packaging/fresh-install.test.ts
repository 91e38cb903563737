/**
 * The packages as a user gets them: built, packed, installed with npm into an empty folder, then
 * compiled with `tsc --strict` (skipLibCheck off) and run.
 *
 * - A program that uses only @weir/core and @weir/windows compiles with no Node typings at all
 *   (`types: []`): core's public types need none.
 * - A program that uses every package compiles with the default configuration: the packages whose
 *   public types use Node's (@weir/connectors: Buffer, sockets; @weir/web: pino, http) bring
 *   @types/node with them, so a user does not have to know.
 * - The ESM and CommonJS builds loaded together in one process share no state that can split:
 *   window classes from the CJS build of @weir/windows drive a job of the ESM build of @weir/core,
 *   and `countWindow` works without importing @weir/windows at all.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PACKAGES = ['core', 'windows', 'connectors', 'web', 'testing'];
const PNPM = ['-y', 'pnpm@12.4.2'];

let dir: string;

async function sh(cmd: string, args: string[], cwd: string): Promise<string> {
  try {
    const { stdout, stderr } = await run(cmd, args, { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, npm_config_update_notifier: 'false' } });
    return stdout + stderr;
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}:\n${err.stdout ?? ''}${err.stderr ?? ''}`);
  }
}

const tsconfig = (extra: Record<string, unknown>) =>
  JSON.stringify({
    compilerOptions: { strict: true, skipLibCheck: false, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', noEmit: true, ...extra },
  });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'weir-fresh-'));
  const packs = join(dir, 'packs');
  mkdirSync(packs);
  for (const p of PACKAGES) await sh('npx', [...PNPM, '--filter', `@weir/${p}`, 'run', 'build'], ROOT);
  for (const p of PACKAGES) await sh('npx', [...PNPM, 'pack', '--pack-destination', packs], join(ROOT, 'packages', p));
  const app = join(dir, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'fresh-app', private: true, type: 'module' }));
  const tarballs = readdirSync(packs).map((f) => join(packs, f));
  await sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs, 'typescript@5.9.3'], app);
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the packed packages in an empty folder', () => {
  it('core and windows compile with tsc --strict and no Node typings at all', { timeout: 60_000 }, async () => {
    const app = join(dir, 'app');
    writeFileSync(
      join(app, 'core-only.ts'),
      `import { StreamEnvironment, WatermarkStrategy, type DataStream } from '@weir/core';
import { SlidingEventTimeWindows, Time } from '@weir/windows';
interface Tick { symbol: string; price: number; ts: number }
const env = StreamEnvironment.create();
const s: DataStream<Tick> = env.fromElements<Tick>({ symbol: 'A', price: 1, ts: 0 });
s.assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<Tick>().withTimestampAssigner((t) => t.ts))
  .keyBy('symbol').window(SlidingEventTimeWindows.of(Time.seconds(10), Time.seconds(5))).maxBy('price').collect();
export const result = env.execute();
`,
    );
    writeFileSync(join(app, 'tsconfig.core.json'), JSON.stringify({ ...JSON.parse(tsconfig({ types: [] })), files: ['core-only.ts'] }));
    await sh(join(app, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.core.json'], app);
  });

  it('every package compiles with the default configuration (the Node-facing ones bring @types/node)', { timeout: 60_000 }, async () => {
    const app = join(dir, 'app');
    writeFileSync(
      join(app, 'all.ts'),
      `import { StreamEnvironment } from '@weir/core';
import { Count } from '@weir/windows';
import { FileSink, FileSource, LineServerSource } from '@weir/connectors';
import { createLogger, webDashboard } from '@weir/web';
import { arbEventStream, windowModel } from '@weir/testing';
const env = StreamEnvironment.create({ logger: createLogger(), observers: [webDashboard({ port: 0 })] });
env.fromSource(FileSource.lines('in.txt')).keyBy((l) => l.length).window(Count.of(2)).reduce((a, b) => a + b).sinkTo(FileSink.lines('out'));
export const refs = [LineServerSource, arbEventStream, windowModel];
`,
    );
    writeFileSync(join(app, 'tsconfig.all.json'), JSON.stringify({ ...JSON.parse(tsconfig({})), files: ['all.ts'] }));
    await sh(join(app, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.all.json'], app);
  });

  it('the ESM and CJS builds work together in one process, and countWindow needs no @weir/windows', { timeout: 60_000 }, async () => {
    const app = join(dir, 'app');
    writeFileSync(
      join(app, 'mixed.mjs'),
      `import { createRequire } from 'node:module';
import { StreamEnvironment, Time, WatermarkStrategy } from '@weir/core';
const require = createRequire(import.meta.url);
const cjsWindows = require('@weir/windows');
const env = StreamEnvironment.create();
const stamped = env.fromElements(0, 1000, 2000, 6000)
  .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps().withTimestampAssigner((t) => t));
const sliding = stamped.windowAll(cjsWindows.SlidingEventTimeWindows.of(4000, 2000)).reduce((a, b) => a + b).collect();
const seed = stamped.windowAll(cjsWindows.Count.of(3)).every(Time.of(2, 'seconds')).reduce((a, b) => a + b).collect();
const counts = stamped.keyBy(() => 'k').countWindow(2).reduce((a, b) => a + b).collect();
await env.execute();
console.log(JSON.stringify({ sliding: sliding.items(), seed: seed.items().at(-1), counts: counts.items() }));
`,
    );
    const out = await sh(process.execPath, ['mixed.mjs'], app);
    expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual({
      sliding: [1000, 3000, 2000, 6000, 6000], // [-2s,2s) [0,4s) [2s,6s) [4s,8s) [6s,10s)
      seed: 9000, // the last firing of window(Count.of(3)).every(Time.of(2 s)): 1000 + 2000 + 6000
      counts: [1000, 8000],
    });
  });
});
