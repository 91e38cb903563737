/**
 * The benchmark suite in smoke mode: every group runs on a few thousand events, one round, and
 * every case's implementations (weir, the hand-written loop, RxJS where expressible) must produce
 * the same results. Times are never asserted; this keeps the suite from rotting and checks that
 * the comparisons `pnpm bench` reports are between equal computations.
 */
import { describe, expect, it } from 'vitest';
import { profile } from '../../bench/src/harness/profile.js';
import { ALL_GROUPS, groupById } from '../../bench/src/suite/groups.js';

const smoke = profile('smoke');

describe('bench suite (smoke)', () => {
  for (const group of ALL_GROUPS) {
    it(`${group.id}: implementations agree`, { timeout: 120_000 }, async () => {
      const results = await group.run(smoke, () => {});
      expect(results.length).toBeGreaterThan(0);
      for (const r of results) {
        expect(r.disagreements, r.id).toEqual([]);
        expect(r.agree, r.id).toBe(true);
        for (const impl of r.impls) expect(impl.runsMs.length, `${r.id} ${impl.name}`).toBe(smoke.rounds);
      }
    });
  }

  it('one result per input: 1,000 keys at 1,000 events/s give exactly one window result per event', { timeout: 60_000 }, async () => {
    const results = await groupById('tumbling')!.run(smoke, () => {}, ['hand', 'weir']);
    const perInput = results.find((r) => r.id === 'g1-tumbling-1per1')!;
    for (const impl of perInput.impls) expect(Number(impl.digest.split(':')[0]), impl.name).toBe(perInput.events);
  });

  it('checkpoint and memory groups report their figures', { timeout: 60_000 }, async () => {
    const [cp, incremental] = await groupById('checkpoint')!.run(smoke, () => {});
    expect(cp!.extra).toMatchObject({ keys: 1000, checkpointIntervalMs: 1 });
    expect(incremental!.id).toBe('g5-incremental-1pct');
    expect(incremental!.extra!.writtenRatio).toBeLessThan(1);
    const memory = await groupById('memory')!.run(smoke, () => {});
    expect(memory.map((m) => m.id)).toEqual(['g6-bytes-per-accumulator', 'g6-bytes-per-value-state', 'g6-heap-stability']);
    expect(typeof memory[0]!.extra!.weirBytesPerAccumulator).toBe('number');
    expect(typeof memory[1]!.extra!.weirBytesPerValueStateEntry).toBe('number');
  });
});
