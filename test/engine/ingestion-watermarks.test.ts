/**
 * A source without its own timestamps stamps ingestion time, and its watermark follows the clock
 * even while it has nothing to emit: a quiet socket or async source must not hold back the
 * watermark of a union it is part of (the other input's windows fire when their time has come).
 */
import { describe, expect, it } from 'vitest';
import { StreamEnvironment, WatermarkStrategy } from '@weir/core';
import { TumblingEventTimeWindows } from '@weir/windows';

interface Ev { v: number; ts: number }

describe('ingestion-time watermarks', () => {
  it('a quiet async source does not hold back a union', async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    async function* quiet(): AsyncGenerator<Ev> {
      await released; // ends only once the other input's window has fired
    }
    const base = Date.now() - 60_000;
    const events: Ev[] = Array.from({ length: 10 }, (_, i) => ({ v: i, ts: base + i * 100 }));
    const env = StreamEnvironment.create();
    const timed = env.fromCollection(events).assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<Ev>().withTimestampAssigner((e) => e.ts));
    const sums: number[] = [];
    timed
      .union(env.fromCollection(quiet()))
      .windowAll(TumblingEventTimeWindows.of(60_000))
      .sum('v')
      .sinkTo({ createWriter: () => ({ write: (e: Ev) => { sums.push(e.v); release(); } }) });
    await env.execute();
    // The window(s) holding the ten elements fired while the quiet source was still open.
    expect(sums.reduce((a, b) => a + b, 0)).toBe(45);
  }, 10_000);
});
