/**
 * ContinuousEventTimeTrigger on a window without an end (the global window of the seed's
 * `window(Count.of(n)).every(Time.of(t))`): at the end of bounded input the watermark is +Infinity,
 * and re-registering the next periodic firing after each one never ended the job (it caught up one
 * interval at a time towards infinity). It now fires a last time at the end and the job ends.
 */
import { describe, expect, it } from 'vitest';
import { Count, GlobalWindows, StreamEnvironment, Time, WatermarkStrategy } from '../../index.js';
import { ContinuousEventTimeTrigger } from './continuous-event-time-trigger.js';

const stamped = (env: StreamEnvironment) =>
  env.fromElements(0, 1000, 2000, 6000).assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<number>().withTimestampAssigner((t) => t));

describe('ContinuousEventTimeTrigger at the end of bounded input', () => {
  it("ends the seed's Count.of(3).every(Time.of(2 s)), its last firing holding the last three elements", async () => {
    // A watermark after every element: the periodic firings happen between the elements.
    const env = StreamEnvironment.create({ perElementWatermarks: true });
    const out = stamped(env)
      .windowAll(Count.of(3))
      .every(Time.of(2, 'seconds'))
      .process<string>((_k, _c, els, o) => o.collect(els.join(',')))
      .collect();
    await env.execute();
    // Periodic firings at 2 s and 4 s (the watermark reaches 5999 with the last element), at 6 s
    // and at the end: four, each holding what the count evictor keeps.
    expect(out.items()).toEqual(['1000,2000,6000', '1000,2000,6000', '1000,2000,6000', '1000,2000,6000']);
  });

  it('ends a global window with a continuous trigger', async () => {
    const env = StreamEnvironment.create();
    const out = stamped(env).windowAll(GlobalWindows.create()).trigger(ContinuousEventTimeTrigger.of(5000)).reduce((a, b) => a + b).collect();
    await env.execute();
    expect(out.items().at(-1)).toBe(9000);
  });
});
