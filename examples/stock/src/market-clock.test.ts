import { describe, expect, it } from 'vitest';
import { MarketClock, UNPACED } from './market-clock.js';

function wall(start = 0) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe('MarketClock', () => {
  it('runs rate times faster than the wall clock', () => {
    const w = wall();
    const clock = new MarketClock(10, 1_000_000, w.now);
    expect(clock.now()).toBe(1_000_000);
    w.advance(1500);
    expect(clock.now()).toBe(1_015_000);
  });

  it('jumps forward to a restored position, never back', () => {
    const w = wall();
    const clock = new MarketClock(10, 0, w.now);
    clock.resumeAt(60_000);
    expect(clock.now()).toBe(60_000);
    w.advance(100);
    expect(clock.now()).toBe(61_000);
    clock.resumeAt(5);
    expect(clock.now()).toBe(61_000);
  });

  it('waits in wall time for market time, and ticks its listeners while subscribed', async () => {
    const clock = new MarketClock(100, 0);
    const started = performance.now();
    await clock.waitUntil(clock.now() + 3000); // 30 ms of wall time
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    const ticks: number[] = [];
    const unsubscribe = clock.subscribe((now) => ticks.push(now));
    await new Promise((r) => setTimeout(r, 120));
    unsubscribe();
    const seen = ticks.length;
    expect(seen).toBeGreaterThanOrEqual(2);
    expect(ticks).toEqual([...ticks].sort((a, b) => a - b));
    await new Promise((r) => setTimeout(r, 60));
    expect(ticks.length).toBe(seen);
  });

  it('rejects a rate that is not a positive finite number', () => {
    expect(() => new MarketClock(0, 0)).toThrow(RangeError);
    expect(() => new MarketClock(Number.POSITIVE_INFINITY, 0)).toThrow(RangeError);
  });

  it('UNPACED releases everything at once', async () => {
    expect(UNPACED.now()).toBe(Number.POSITIVE_INFINITY);
    await UNPACED.waitUntil(1e15);
  });
});
