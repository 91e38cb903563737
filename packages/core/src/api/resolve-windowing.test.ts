/**
 * No import-time registry: a program that imports only @weir/core can use countWindow and the
 * seed's window(Time.of(...)).every(...) (before, both threw "needs the window library" unless
 * @weir/windows had been imported somewhere). This file imports nothing from @weir/windows.
 */
import { describe, expect, it } from 'vitest';
import { Count, StreamEnvironment, Time, WatermarkStrategy } from '../index.js';

describe('window definitions without @weir/windows', () => {
  it('countWindow(size) and countWindow(size, slide) run', async () => {
    const env = StreamEnvironment.create();
    const keyed = env.fromElements(1, 2, 3, 4, 5, 6, 7).keyBy(() => 'k');
    const tumbling = keyed.countWindow(3).reduce((a, b) => a + b).collect();
    const sliding = keyed.countWindow(3, 2).reduce((a, b) => a + b).collect();
    await env.execute();
    expect(tumbling.items()).toEqual([1 + 2 + 3, 4 + 5 + 6]); // the partial [7] is not emitted (modern Flink)
    expect(sliding.items()).toEqual([1 + 2, 2 + 3 + 4, 4 + 5 + 6]); // every 2, the last 3
  });

  it("the seed's window(Time.of(size)).every(Time.of(slide)) and window(Count.of(n)) run", async () => {
    const env = StreamEnvironment.create();
    const stamped = env
      .fromElements(0, 1_000, 2_000, 6_000)
      .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<number>().withTimestampAssigner((t) => t));
    const sliding = stamped
      .windowAll(Time.of(4, 'seconds'))
      .every(Time.of(2, 'seconds'))
      .process<string>((_k, ctx, els, out) => out.collect(`${ctx.window.start}:${els.length}`))
      .collect();
    const counts = stamped.window(Count.of(3)).reduce((a, b) => a + b).collect();
    await env.execute();
    expect(sliding.items()).toEqual(['-2000:2', '0:3', '2000:1', '4000:1', '6000:1']);
    expect(counts.items()).toEqual([0 + 1_000 + 2_000, 6_000]); // the seed's Count emits the last partial window
  });
});
