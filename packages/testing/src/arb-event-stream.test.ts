import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbEventStream } from './arb-event-stream.js';
import { streamInfo } from './events.js';

/** The watermark before each event under bounded out-of-orderness B: max(ts before) - B - 1. */
function watermarksBefore(ts: readonly number[], bound: number): number[] {
  let max = Number.NEGATIVE_INFINITY;
  return ts.map((t) => {
    const wm = max - bound - 1;
    max = Math.max(max, t);
    return wm;
  });
}

describe('arbEventStream', () => {
  it('without lateFraction, no event is behind the watermark, and disorder stays within the bound', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 1000 }), (bound, seed) => {
        const [events] = fc.sample(arbEventStream({ maxDisorderMs: bound, idleGaps: true, bursts: true, minLength: 5 }), { numRuns: 1, seed });
        const ts = events!.map((e) => e.timestamp);
        const wms = watermarksBefore(ts, bound);
        ts.forEach((t, i) => expect(t).toBeGreaterThan(wms[i]!));
        expect(streamInfo(events!)).toEqual({ maxDisorderMs: bound });
      }),
      { numRuns: 60 },
    );
  });

  it('late events are behind the watermark, and their share is about lateFraction', () => {
    const streams = fc.sample(arbEventStream({ maxDisorderMs: 300, lateFraction: 0.2, minLength: 30, maxLength: 60 }), { numRuns: 100, seed: 42 });
    let behind = 0;
    let total = 0;
    for (const events of streams) {
      const ts = events.map((e) => e.timestamp);
      const wms = watermarksBefore(ts, 300);
      ts.forEach((t, i) => {
        total++;
        if (t <= wms[i]!) behind++;
      });
    }
    // 100 streams of 30..60 events: the observed share is within a few points of 20 %.
    expect(behind / total).toBeGreaterThan(0.16);
    expect(behind / total).toBeLessThan(0.24);
  });

  it('draws keys and values from the given arbitraries, bursts share a timestamp', () => {
    const streams = fc.sample(arbEventStream({ keys: ['SPX', 'DAX'], value: fc.constantFrom(1, 2), bursts: true, minLength: 20 }), { numRuns: 20, seed: 7 });
    const all = streams.flat();
    expect(new Set(all.map((e) => e.key))).toEqual(new Set(['SPX', 'DAX']));
    expect(new Set(all.map((e) => e.value))).toEqual(new Set([1, 2]));
    expect(streams.some((s) => s.some((e, i) => i > 0 && s[i - 1]!.timestamp === e.timestamp))).toBe(true);
  });

  it('shrinks a failing stream to the smallest one', () => {
    // Fails as soon as two events share a key: the smallest counterexample has two events.
    const result = fc.check(
      fc.property(arbEventStream({ keys: ['a', 'b', 'c'], maxDisorderMs: 100, lateFraction: 0.3, idleGaps: true }), (events) => new Set(events.map((e) => e.key)).size === events.length),
      { seed: 1 },
    );
    expect(result.failed).toBe(true);
    const [shrunk] = result.counterexample!;
    expect(shrunk).toHaveLength(2);
    // Shrinking moves steps to "on time, no forward step": equal timestamps, no lateness kept.
    expect(shrunk[0]!.timestamp).toBe(shrunk[1]!.timestamp);
  });

  it('rejects impossible options', () => {
    expect(() => arbEventStream({ keys: [] })).toThrow(RangeError);
    expect(() => arbEventStream({ lateFraction: 1.5 })).toThrow(/lateFraction/);
    expect(() => arbEventStream({ maxDisorderMs: -1 })).toThrow(/maxDisorderMs/);
  });
});
