/** Keyed tumbling event-time windows of 500 ms, sum of values. */
import { Time, TumblingEventTimeWindows } from '@weir/windows';
import { byKey } from './events.js';
import { eventTime, type FaultPipeline, windowStart } from './pipeline.js';

const SIZE = 500;

export const tumblingSum: FaultPipeline = {
  name: 'keyed tumbling sum',
  build: (lines) =>
    eventTime(lines)
      .keyBy('k')
      .window(TumblingEventTimeWindows.of(Time.milliseconds(SIZE)))
      .sum('v')
      .process((e, ctx, out) => out.collect(`${e.k}|${ctx.timestamp + 1 - SIZE}|${e.v}`)),
  model: (events) => {
    const out: string[] = [];
    for (const [k, evs] of byKey(events)) {
      const sums = new Map<number, number>();
      for (const e of evs) sums.set(windowStart(e.ts, SIZE), (sums.get(windowStart(e.ts, SIZE)) ?? 0) + e.v);
      for (const [start, sum] of [...sums].sort((a, b) => a[0] - b[0])) out.push(`${k}|${start}|${sum}`);
    }
    return out;
  },
};
