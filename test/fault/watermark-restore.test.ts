// Regression: a restore must decide lateness as the run that never failed did (watermarks and generator state are checkpointed).
// the uninterrupted run is accepted after a restore and changes the output.
import { expect, it } from 'vitest';
import { type DataStream, OutputTag, WatermarkStrategy } from '@weir/core';
import { Time, TumblingEventTimeWindows } from '@weir/windows';
import { runSplit } from './support/cut-harness.js';

type E = { k: string; v: number; ts: number };
it('late data stays late across a restore', async () => {
  const late = new OutputTag<E>('late');
  const events: E[] = [{ k: 'a', v: 1, ts: 1000 }, { k: 'a', v: 2, ts: 949 }];
  const r = await runSplit([events], [1], ([s]) => {
    const w = (s as DataStream<E>)
      .assignTimestampsAndWatermarks(WatermarkStrategy.forBoundedOutOfOrderness<E>(20).withTimestampAssigner((e) => e.ts))
      .keyBy('k').window(TumblingEventTimeWindows.of(Time.milliseconds(50))).sideOutputLateData(late).sum('v');
    return [w, w.getSideOutput(late)];
  });
  // Uninterrupted: watermark 979 after ts 1000, so ts 949 (window [900,950)) is late.
  expect(r.uninterrupted).toEqual([[{ k: 'a', v: 1, ts: 1000 }], [{ k: 'a', v: 2, ts: 949 }]]);
  expect(r.split).toEqual(r.uninterrupted);
});
