/**
 * Structured logs: JSON lines when piped, pretty lines on a terminal, the level from an option,
 * and the lifecycle events of real jobs (start, checkpoints, dead letters sampled, restart,
 * restore, end, failure) checked against independent counts (checkpoint directories on disk,
 * broken records in the input).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { DEAD_LETTERS, logJobLifecycle, ManualClock, type MetricsSnapshot, StreamEnvironment, WatermarkStrategy } from '@weir/core';
import { createLogger, resolveLevel } from '../../packages/web/src/create-logger.js';
import { waitFor } from './support/wait.js';

interface Line { level: number; msg: string; name: string; event?: string; [k: string]: unknown }

function capture(isTTY = false) {
  let text = '';
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer, _enc, done) {
        text += chunk.toString();
        done();
      },
    }),
    { isTTY },
  );
  return { stream, text: () => text, lines: () => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line) };
}

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'weir-log-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('createLogger', () => {
  it('writes one JSON object per line when piped, with the structured fields', () => {
    const out = capture();
    const logger = createLogger({ destination: out.stream, base: { app: 'test' } });
    logger.info('plain message');
    logger.warn('with fields', { event: 'x.y', count: 3 });
    logger.child({ job: 'j' }).info('from a child');
    const [a, b, c] = out.lines();
    expect(a).toMatchObject({ level: 30, msg: 'plain message', name: 'weir', app: 'test' });
    expect(typeof a!['time']).toBe('number');
    expect(b).toMatchObject({ level: 40, msg: 'with fields', event: 'x.y', count: 3 });
    expect(c).toMatchObject({ msg: 'from a child', job: 'j' });
  });

  it('writes pretty lines on a terminal', () => {
    const out = capture(true);
    createLogger({ destination: out.stream }).info('hello there', { event: 'job.started' });
    // eslint-disable-next-line no-control-regex
    const plain = out.text().replace(/\u001b\[[0-9;]*m/g, '');
    expect(() => JSON.parse(plain)).toThrow();
    expect(plain).toMatch(/INFO.*\(weir\): hello there/);
    expect(plain).toContain('event: "job.started"');
  });

  it('takes its level from the option, else WEIR_LOG_LEVEL, else info', () => {
    const out = capture();
    const logger = createLogger({ destination: out.stream, level: 'warn' });
    logger.info('dropped');
    logger.debug('dropped');
    logger.warn('kept');
    expect(out.lines().map((l) => l.msg)).toEqual(['kept']);
    expect(logger.isLevelEnabled('info')).toBe(false);
    expect(resolveLevel(undefined, { WEIR_LOG_LEVEL: 'debug' })).toBe('debug');
    expect(resolveLevel(undefined, {})).toBe('info');
    expect(() => resolveLevel('loud', {})).toThrow(/Unknown log level 'loud'/);
  });
});

describe('lifecycle events', () => {
  it('logs start, every completed checkpoint, sampled dead letters and the end of a job', async () => {
    const dir = tempDir();
    const out = capture();
    const logger = createLogger({ destination: out.stream });
    const clock = new ManualClock(0);
    const events = Array.from({ length: 300 }, (_, i) => ({ k: i % 4, ts: i % 50 === 49 ? Number.NaN : i * 10 }));
    let env!: StreamEnvironment;
    async function* source() {
      for (let i = 0; i < events.length; i++) {
        clock.advance(5);
        yield events[i]!;
        await new Promise((r) => setImmediate(r));
        if (i % 60 === 59) await waitFor('a checkpoint', () => (env.metrics().checkpoints.completed >= (i + 1) / 60 ? true : undefined));
      }
    }
    env = StreamEnvironment.create({ logger, clock, checkpointing: { intervalMs: 200, dir, retain: 1000 } });
    const stamped = env
      .fromCollection(source())
      .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<{ k: number; ts: number }>().withTimestampAssigner((e) => e.ts))
      .name('stamps');
    stamped.getSideOutput(DEAD_LETTERS).collect();
    stamped
      .keyBy('k')
      .sum('ts')
      .collect();
    // execute() logs the lifecycle itself when the environment has a logger.
    const result = await env.execute('lifecycle');

    const lines = out.lines().filter((l) => l.event !== undefined);
    const kinds = lines.map((l) => l.event);
    expect(kinds[0]).toBe('job.started');
    expect(lines[0]).toMatchObject({ sources: 1, operators: 4 }); // stamps, its dead letters' sink, sum, sink
    expect(kinds.at(-1)).toBe('job.finished');
    expect(kinds).not.toContain('job.restarted');
    const onDisk = readdirSync(dir).filter((n) => /^chk-\d+$/.test(n)).length;
    const completed = lines.filter((l) => l.event === 'checkpoint.completed');
    expect(completed.length).toBe(onDisk);
    expect(onDisk).toBeGreaterThanOrEqual(5);
    expect(completed.map((l) => l['checkpointId'])).toEqual(Array.from({ length: onDisk }, (_, i) => i + 1));
    // Dead letters: sampled to few lines, their counts add up to the broken records of the input.
    const broken = events.filter((e) => Number.isNaN(e.ts)).length;
    const dead = lines.filter((l) => l.event === 'dead_letters');
    expect(dead.length).toBeLessThanOrEqual(2);
    expect(dead.reduce((n, l) => n + (l['count'] as number), 0)).toBe(broken);
    expect(dead.every((l) => l.level === 40 && l['operator'] === 'stamps')).toBe(true);
    expect(lines.at(-1)).toMatchObject({ level: 30, job: 'lifecycle', recordsRead: events.length, checkpoints: result.checkpoints.completed, restarts: 0 });
  });

  it('logs a restart after a failure, and the checkpoint a later run restores from', async () => {
    const dir = tempDir();
    const out = capture();
    const logger = createLogger({ destination: out.stream });
    let failed = false;
    const env = StreamEnvironment.create({ logger, checkpointing: { intervalMs: 60_000, dir } });
    env
      .fromCollection(Array.from({ length: 20 }, (_, i) => i))
      .map((x) => {
        if (x === 7 && !failed) {
          failed = true;
          throw new Error('flaky');
        }
        return x;
      })
      .name('flaky map')
      .collect();
    const result = await env.execute('restarting');
    expect(result.restarts).toBe(1);
    const lines = out.lines();
    expect(lines.filter((l) => l.event === 'job.restarted')).toHaveLength(1);
    expect(lines.find((l) => l.event === 'job.restarted')).toMatchObject({ level: 40, restarts: 1 });
    expect(lines.find((l) => l.event === 'job.restarted')!['error']).toContain('flaky');
    expect(lines.find((l) => l.event === 'job.finished')).toMatchObject({ restarts: 1 });

    const again = capture();
    const env2 = StreamEnvironment.create({ logger: createLogger({ destination: again.stream }), checkpointing: { intervalMs: 60_000, dir }, restore: 'latest' });
    env2.fromCollection(Array.from({ length: 20 }, (_, i) => i)).map((x) => x).name('flaky map').collect(); // same uids
    const second = await env2.execute('restarting');
    expect(again.lines().some((l) => l.level === 30 && l.msg.includes(`from checkpoint ${second.restoredFrom!.checkpointId}`))).toBe(true);
  });

  it('logs a failed job at error level with the operator', async () => {
    const out = capture();
    const logger = createLogger({ destination: out.stream });
    const env = StreamEnvironment.create({ logger });
    env.fromElements(1, 2, 3).map((x) => {
      if (x === 2) throw new Error('boom');
      return x;
    }).name('exploding').collect();
    await expect(env.execute('failing')).rejects.toThrow(/boom/);
    expect(out.lines().filter((l) => l.event === 'job.failed')).toHaveLength(1);
    const failed = out.lines().find((l) => l.event === 'job.failed');
    expect(failed).toMatchObject({ level: 50, job: 'failing', operator: 'exploding' });
    expect(failed!.msg).toContain('boom');
  });

  it('logs a cancelled job as cancelled at info level, not as a failure', async () => {
    const out = capture();
    const env = StreamEnvironment.create({ logger: createLogger({ destination: out.stream }) });
    const stop = new AbortController();
    async function* endless(): AsyncGenerator<number> {
      for (let i = 0; ; i++) {
        yield i;
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    env.fromCollection(endless()).map((x) => x).collect();
    const running = env.execute({ jobName: 'stopped by hand', signal: stop.signal });
    await waitFor('the job to run', () => (env.metrics().sources[0]?.recordsOut ?? 0) > 3 || undefined);
    stop.abort(new Error('Ctrl-C'));
    await expect(running).rejects.toMatchObject({ name: 'AbortError' });
    const lines = out.lines();
    expect(lines.filter((l) => l.event === 'job.failed')).toEqual([]);
    expect(lines.filter((l) => l.event === 'job.cancelled')).toMatchObject([{ level: 30, job: 'stopped by hand', msg: "job 'stopped by hand' cancelled" }]);
  });

  it('samples dead letters: one line per operator per interval, with the count since the last line', () => {
    const out = capture();
    const logger = createLogger({ destination: out.stream });
    let t = 0;
    let dead = 0;
    const snapshot = (): MetricsSnapshot =>
      ({
        jobName: 'sampled',
        status: 'running',
        startedAt: 1,
        operators: [{ id: 2, uid: 'parse', name: 'parse', deadLetters: dead }],
        sources: [],
        edges: [],
        checkpoints: { completed: 0, failed: 0, lastCheckpointId: 0, history: [] },
        restarts: 0,
        lastException: undefined,
        lastFailure: undefined,
      }) as unknown as MetricsSnapshot;
    const log = logJobLifecycle({ metrics: snapshot }, logger, { intervalMs: 1e9, deadLetterEveryMs: 10_000, now: () => t });
    dead = 5;
    log.poll(); // t = 0: first line, 5
    t = 5_000;
    dead = 9;
    log.poll(); // within the interval: nothing
    t = 11_000;
    dead = 12;
    log.poll(); // 7 since the last line
    dead = 13;
    log.stop(); // the rest is never left out
    const counts = out.lines().filter((l) => l.event === 'dead_letters').map((l) => [l['count'], l['total']]);
    expect(counts).toEqual([[5, 5], [7, 12], [1, 13]]);
  });
});
