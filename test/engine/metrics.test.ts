/**
 * Metric values equal an independent count over the same input: records in and out per
 * operator and per edge, late records, dead letters, checkpoints completed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEAD_LETTERS, ManualClock, OutputTag, StreamEnvironment, WatermarkStrategy } from '@weir/core';
import { TumblingEventTimeWindows } from '@weir/windows';

interface Ev { k: string; v: number; ts: number }

describe('metrics', () => {
  it('count records in/out, late records and dead letters exactly', async () => {
    const events: Ev[] = [];
    for (let i = 0; i < 500; i++) events.push({ k: `k${i % 7}`, v: i, ts: i * 10 });
    // 20 late elements (far behind the watermark) and 3 with a broken timestamp.
    for (let i = 0; i < 20; i++) events.push({ k: 'late', v: -1, ts: i });
    for (let i = 0; i < 3; i++) events.push({ k: 'bad', v: -2, ts: Number.NaN });
    const env = StreamEnvironment.create();
    const lateTag = new OutputTag<Ev>('late');
    const timed = env.fromCollection(events).assignTimestampsAndWatermarks(
      WatermarkStrategy.forBoundedOutOfOrderness<Ev>(0).withTimestampAssigner((e) => e.ts),
    );
    const bad = timed.getSideOutput(DEAD_LETTERS).collect();
    const even = timed.filter((e) => e.v % 2 === 0);
    const windowed = even.keyBy('k').window(TumblingEventTimeWindows.of(1000)).sideOutputLateData(lateTag).sum('v');
    const late = windowed.getSideOutput(lateTag).collect();
    const out = windowed.collect();
    const result = await env.execute('metrics');

    // Independent counts.
    const valid = events.filter((e) => Number.isFinite(e.ts));
    const evenCount = valid.filter((e) => e.v % 2 === 0).length;
    const lateCount = events.filter((e) => e.k === 'late' && e.v % 2 === 0).length;
    const windowKeys = new Set(valid.filter((e) => e.v % 2 === 0 && e.k !== 'late').map((e) => `${e.k}|${Math.floor(e.ts / 1000)}`));

    const m = result.metrics;
    const byKind = (kind: string) => m.operators.find((o) => o.kind === kind)!;
    expect(m.sources[0]!.recordsOut).toBe(events.length);
    expect(byKind('timestamps').recordsIn).toBe(events.length);
    expect(byKind('timestamps').recordsOut).toBe(valid.length);
    expect(byKind('timestamps').deadLetters).toBe(3);
    expect(byKind('timestamps').sideOutputs[DEAD_LETTERS.id]).toBe(3);
    expect(byKind('filter').recordsIn).toBe(valid.length);
    expect(byKind('filter').recordsOut).toBe(evenCount);
    expect(byKind('window').recordsIn).toBe(evenCount);
    expect(byKind('window').lateRecordsSideOutput).toBe(lateCount);
    expect(byKind('window').recordsOut).toBe(windowKeys.size);
    expect(byKind('window').liveWindows).toBe(0);
    expect(bad.items().length).toBe(3);
    expect(late.items().length).toBe(lateCount);
    expect(out.items().length).toBe(windowKeys.size);
    expect(m.status).toBe('finished');
  });

  it('records completed checkpoints with sizes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weir-metrics-'));
    try {
      const clock = new ManualClock(0);
      const env = StreamEnvironment.create({ clock, checkpointing: { intervalMs: 100, dir } });
      // Each element moves the clock 60 ms, so a checkpoint is due every other poll batch at most.
      async function* ticking() {
        for (let i = 0; i < 50; i++) {
          clock.advance(60);
          yield { k: `k${i % 3}`, v: i };
          await new Promise((r) => setImmediate(r));
        }
      }
      env.fromCollection(ticking()).keyBy('k').sum('v').collect();
      const result = await env.execute('checkpoints');
      const cp = result.metrics.checkpoints;
      expect(cp.completed).toBe(result.checkpoints.completed);
      expect(cp.completed).toBeGreaterThan(1);
      expect(cp.history.length).toBe(cp.completed);
      expect(cp.history.every((c) => c.status === 'completed' && c.bytes > 0)).toBe(true);
      expect(cp.history.map((c) => c.id)).toEqual([...cp.history.map((c) => c.id)].sort((a, b) => a - b));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
