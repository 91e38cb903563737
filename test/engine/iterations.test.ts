/**
 * Iterations (Flink's IterativeStream.closeWith): results equal a plain loop; the loop drains
 * before the job ends; a loop that never terminates is stopped by maxWaitMs with an error naming
 * the iteration; with checkpoints the in-flight feedback elements are part of the snapshot, so a
 * crash and restore inside a loop still gives exactly the uninterrupted output.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, ManualClock, StreamEnvironment } from '@weir/core';

function collatzSteps(n: number): number {
  let steps = 0;
  while (n !== 1) {
    n = n % 2 === 0 ? n / 2 : 3 * n + 1;
    steps++;
  }
  return steps;
}

interface State { start: number; n: number; steps: number }

function collatzJob(env: StreamEnvironment, starts: number[]) {
  const it = env.fromCollection(starts.map((n): State => ({ start: n, n, steps: 0 }))).iterate();
  const step = it.filter((s) => s.n !== 1).map((s): State => ({ ...s, n: s.n % 2 === 0 ? s.n / 2 : 3 * s.n + 1, steps: s.steps + 1 }));
  it.closeWith(step.filter((s) => s.n !== 1));
  const ones = it.filter((s) => s.n === 1);
  return ones.union(step.filter((s) => s.n === 1));
}

describe('iterations', () => {
  it('Collatz steps equal a plain loop', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 5000 }), { maxLength: 40 }), async (starts) => {
        const env = StreamEnvironment.create();
        const out = collatzJob(env, starts).collect();
        await env.execute();
        const got = out.items().map((s) => [s.start, s.steps]).sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
        const want = starts.map((n) => [n, collatzSteps(n)]).sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
        expect(got).toEqual(want);
      }),
      { numRuns: 60 },
    );
  });

  it('shortest paths by repeated relaxation equal Bellman-Ford', async () => {
    const arbGraph = fc
      .array(fc.record({ from: fc.integer({ min: 0, max: 9 }), to: fc.integer({ min: 0, max: 9 }), w: fc.integer({ min: 1, max: 20 }) }), { maxLength: 30 })
      .map((edges) => edges.filter((e) => e.from !== e.to));
    await fc.assert(
      fc.asyncProperty(arbGraph, async (edges) => {
        // Model: Bellman-Ford from node 0.
        const dist = new Map<number, number>([[0, 0]]);
        for (let i = 0; i < 10; i++) {
          for (const e of edges) {
            const d = dist.get(e.from);
            if (d !== undefined && d + e.w < (dist.get(e.to) ?? Number.POSITIVE_INFINITY)) dist.set(e.to, d + e.w);
          }
        }
        // weir: every candidate distance relaxes the node's out-edges and loops back (depth-bounded).
        const env2 = StreamEnvironment.create();
        const it2 = env2.fromElements({ node: 0, d: 0, hops: 0 }).iterate();
        const next = it2.flatMap((c: { node: number; d: number; hops: number }) =>
          c.hops >= 10 ? [] : edges.filter((e) => e.from === c.node).map((e) => ({ node: e.to, d: c.d + e.w, hops: c.hops + 1 })),
        );
        it2.closeWith(next);
        const all = it2.collect();
        await env2.execute();
        const best = new Map<number, number>();
        for (const c of all.items()) best.set(c.node, Math.min(best.get(c.node) ?? Number.POSITIVE_INFINITY, c.d));
        expect([...best].sort((a, b) => a[0] - b[0])).toEqual([...dist].sort((a, b) => a[0] - b[0]));
      }),
      { numRuns: 30 },
    );
  });

  it('stops a loop that never ends after maxWaitMs with an error naming the iteration', async () => {
    const clock = new ManualClock(0);
    const env = StreamEnvironment.create({ clock });
    const it = env.fromElements(1).iterate(1000);
    const body = it.map((x) => {
      clock.advance(1); // each trip round the loop takes 1 ms of (manual) time
      return x + 1;
    });
    it.closeWith(body).name('forever');
    body.collect();
    const run = env.execute();
    await expect(run).rejects.toBeInstanceOf(ConfigError);
    await expect(run).rejects.toThrow(/Iteration 'Iteration Head'.*still busy/);
  });

  it('refuses an iteration that is never closed', async () => {
    const env = StreamEnvironment.create();
    env.fromElements(1).iterate().map((x) => x).collect();
    await expect(env.execute()).rejects.toThrow(/never closed/);
  });

  it('restores in-flight feedback elements from a checkpoint: exactly-once output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weir-iter-'));
    try {
      // More starts than the runner feeds back per round, so checkpoints see a non-empty loop.
      const starts = Array.from({ length: 6000 }, (_, i) => i + 2);
      const clock = new ManualClock(0);
      const env = StreamEnvironment.create({ clock, checkpointing: { intervalMs: 5, dir }, restartStrategy: { attempts: 2 } });
      let calls = 0;
      let failed = false;
      const it = env.fromCollection(starts.map((n): State => ({ start: n, n, steps: 0 }))).iterate();
      const step = it.map((s): State => {
        clock.advance(1); // makes checkpoints due while the loop runs
        if (++calls === 150_000 && !failed) {
          failed = true;
          throw new Error('injected failure inside the loop');
        }
        return { ...s, n: s.n % 2 === 0 ? s.n / 2 : 3 * s.n + 1, steps: s.steps + 1 };
      });
      it.closeWith(step.filter((s) => s.n !== 1));
      const done = step.filter((s) => s.n === 1).collect();
      const result = await env.execute();
      expect(failed).toBe(true);
      expect(result.restarts).toBe(1);
      const headUid = env.explain().nodes.find((n) => n.kind === 'iterationHead')!.uid;
      expect(result.metrics.checkpoints.history.some((c) => (c.operators[headUid] ?? 0) > 1000)).toBe(true);
      const got = done.items().map((s) => [s.start, s.steps]).sort((a, b) => a[0]! - b[0]!);
      expect(got).toEqual(starts.map((n) => [n, collatzSteps(n)]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
