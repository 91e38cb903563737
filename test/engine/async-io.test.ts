/**
 * Async I/O through the runtime: results, backpressure on the source (the runner stops polling
 * while the operator is full), failures through the restart strategy or to a side output, and
 * exactly-once across a crash (in-flight elements are checkpointed and called again).
 */
import {
  AsyncDataStream,
  type AsyncFailure,
  AsyncFunctionError,
  AsyncRetryStrategies,
  AsyncTimeoutError,
  OutputTag,
  PollStatus,
  type Source,
  type SourceOutput,
  StreamEnvironment,
  UserFunctionError,
} from '@weir/core';
import { arbEventStream, runPipeline, type TestEvent } from '@weir/testing';
import fc from 'fast-check';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** A simulated service: counts calls in flight and the most ever in flight. */
function service(latency: () => number) {
  const s = {
    inFlight: 0,
    maxInFlight: 0,
    calls: 0,
    call: async <T>(x: T): Promise<T> => {
      s.calls++;
      s.inFlight++;
      s.maxInFlight = Math.max(s.maxInFlight, s.inFlight);
      await sleep(latency());
      s.inFlight--;
      return x;
    },
  };
  return s;
}

/** A replayable source of 0..n-1 that records how many records it was asked for and handed out. */
function countingSource(n: number) {
  const stats = { polled: 0, maxAsked: 0 };
  const source: Source<number> = {
    name: 'counting',
    bounded: true,
    createReader: () => {
      let pos = 0;
      return {
        pollNext(out: SourceOutput<number>, max: number) {
          stats.maxAsked = Math.max(stats.maxAsked, max);
          for (let i = 0; i < max && pos < n; i++) {
            stats.polled++;
            out.collect(pos++, 0);
          }
          return pos < n ? PollStatus.MORE_AVAILABLE : PollStatus.END_OF_INPUT;
        },
        isAvailable: () => Promise.resolve(),
        snapshotPosition: () => pos,
        restorePosition: (p: unknown) => {
          pos = p as number;
        },
      };
    },
  };
  return { source, stats };
}

describe('mapAsync in a job', () => {
  for (const ordered of [true, false]) {
    it(`${ordered ? 'ordered' : 'unordered'}: every element once, with its timestamp${ordered ? ', in input order' : ''}`, async () => {
      const svc = service(() => Math.floor(Math.random() * 3));
      const env = StreamEnvironment.create();
      const out = env
        .fromCollection(range(300))
        .mapAsync(async (x) => (await svc.call(x)) * 2, { capacity: 10, ordered })
        .collect();
      await env.execute();
      const expected = range(300).map((x) => x * 2);
      if (ordered) expect(out.items()).toEqual(expected);
      else expect([...out.items()].sort((a, b) => a - b)).toEqual(expected);
      expect(svc.maxInFlight).toBeLessThanOrEqual(10);
    });
  }

  it('backpressure: the source is asked for no more than the free capacity, and polled no further while the operator is full', async () => {
    const svc = service(() => 2);
    const { source, stats } = countingSource(400);
    const env = StreamEnvironment.create();
    const seenAhead: number[] = [];
    let emitted = 0;
    env
      .fromSource(source)
      .mapAsync((x) => svc.call(x), { capacity: 7 })
      .map((x) => {
        emitted++;
        seenAhead.push(stats.polled - emitted);
        return x;
      })
      .collect();
    await env.execute();
    expect(stats.polled).toBe(400);
    expect(stats.maxAsked).toBeLessThanOrEqual(7);
    expect(svc.maxInFlight).toBeLessThanOrEqual(7);
    // Records read from the source but not emitted yet never exceed the capacity.
    expect(Math.max(...seenAhead)).toBeLessThanOrEqual(7);
  });

  it('AsyncDataStream.orderedWait / unorderedWait are the same operator', async () => {
    const env = StreamEnvironment.create();
    const a = AsyncDataStream.orderedWait(env.fromElements(1, 2, 3), async (x: number) => x + 1, 1000, 2).collect();
    const b = AsyncDataStream.unorderedWait(env.fromElements(1, 2, 3), async (x: number) => x * 10, 1000).collect();
    await env.execute();
    expect(a.items()).toEqual([2, 3, 4]);
    expect([...b.items()].sort((x, y) => x - y)).toEqual([10, 20, 30]);
    const kinds = env.explain().nodes.filter((n) => n.kind === 'asyncWait');
    expect(kinds.map((n) => (n.kind === 'asyncWait' ? [n.spec.ordered, n.spec.capacity, n.spec.timeoutMs] : []))).toEqual([
      [true, 2, 1000],
      [false, 100, 1000],
    ]);
  });

  it('a rejection fails the job with an AsyncFunctionError (a UserFunctionError) naming the operator and the element', async () => {
    const env = StreamEnvironment.create();
    env
      .fromElements('ok', 'bad')
      .mapAsync(async (x) => {
        if (x === 'bad') throw new Error('service said 500');
        return x;
      })
      .name('enrich')
      .collect();
    const err = await env.execute().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AsyncFunctionError);
    expect(err).toBeInstanceOf(UserFunctionError);
    expect((err as Error).message).toBe(`Async function of operator 'enrich' failed for element "bad" after 1 call: service said 500`);
  });

  it('a timeout without onTimeout fails the job with an AsyncTimeoutError', async () => {
    const env = StreamEnvironment.create();
    env.fromElements(1).mapAsync(() => new Promise<number>(() => {}), { timeoutMs: 20 }).collect();
    await expect(env.execute()).rejects.toBeInstanceOf(AsyncTimeoutError);
  });

  it('failures go to a side output when asked: the job goes on, nothing is lost', async () => {
    const failed = new OutputTag<AsyncFailure<number>>('failed');
    const env = StreamEnvironment.create();
    const results = env
      .fromCollection(range(20))
      .mapAsync(async (x) => (x % 5 === 0 ? Promise.reject(new Error(`no ${x}`)) : x), { failures: failed, retry: AsyncRetryStrategies.fixedDelay({ maxAttempts: 1, delayMs: 1 }) });
    const ok = results.collect();
    const bad = results.getSideOutput(failed).collect();
    await env.execute();
    expect(ok.items()).toEqual(range(20).filter((x) => x % 5 !== 0));
    expect(bad.items().map((f) => [f.input, f.reason, f.attempts])).toEqual([0, 5, 10, 15].map((x) => [x, `no ${x}`, 2]));
  });

  it('a rejection goes through the restart strategy: the restarted job re-issues what was in flight, output exactly once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'weir-async-restart-'));
    try {
      let failures = 0;
      const env = StreamEnvironment.create({ checkpointing: { intervalMs: 5, dir }, restartStrategy: { attempts: 2 }, logger: { info() {}, warn() {} } });
      const { source } = countingSource(200);
      const out: number[] = [];
      env
        .fromSource(source)
        .mapAsync(
          async (x) => {
            await sleep(1);
            if (x === 120 && failures++ === 0) throw new Error('flaky');
            return x;
          },
          { capacity: 16 },
        )
        .uid('enrich')
        .sinkTo({ name: 'list', createWriter: () => ({ write: (x: number) => void out.push(x) }) });
      const result = await env.execute();
      expect(result.restarts).toBe(1);
      expect(failures).toBe(2);
      expect(new Set(out).size).toBe(200);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('exactly-once across a crash (in-flight elements are part of the checkpoint)', () => {
  type Ev = TestEvent<number>;
  const events = arbEventStream({ keys: ['a', 'b'], value: fc.integer({ min: 0, max: 50 }), maxDisorderMs: 100, maxLength: 25 });
  for (const ordered of [true, false]) {
    it(`${ordered ? 'ordered' : 'unordered'}: crash before any event, restore: the same output as a run that never failed`, async () => {
      await fc.assert(
        fc.asyncProperty(events, fc.nat(), async (evs, n) => {
          const at = n % (evs.length + 1);
          const build = (s: import('@weir/core').DataStream<Ev>) =>
            s.mapAsync(async (e) => {
              await sleep(Math.floor(Math.random() * 3));
              return `${e.key}:${e.value * 3}`;
            }, { capacity: 4, ordered }).uid('enrich');
          const plain = await runPipeline(evs, build);
          const crashed = await runPipeline(evs, build, { crash: { afterEvents: at } });
          const canonical = (rs: readonly unknown[]) => rs.map((r) => JSON.stringify(r)).sort();
          expect(crashed.restored).toBe(true);
          expect(canonical(crashed.records)).toEqual(canonical(plain.records));
          expect(plain.records).toHaveLength(evs.length);
        }),
        { numRuns: 8 },
      );
    });
  }
});
