/** The seed's sliding spelling: `window(Time.of(1 s)).every(Time.of(250 ms))`, sum per key. */
import { Time } from '@weir/windows';
import { byKey } from './events.js';
import { eventTime, type FaultPipeline, windowStart } from './pipeline.js';

const SIZE = 1000;
const SLIDE = 250;

export const slidingEvery: FaultPipeline = {
  name: 'sliding every',
  build: (lines) =>
    eventTime(lines)
      .keyBy('k')
      .window(Time.of(SIZE, 'milliseconds'))
      .every(Time.of(SLIDE, 'milliseconds'))
      .sum('v')
      .process((e, ctx, out) => out.collect(`${e.k}|${ctx.timestamp + 1 - SIZE}|${e.v}`)),
  model: (events) => {
    const out: string[] = [];
    for (const [k, evs] of byKey(events)) {
      const sums = new Map<number, number>();
      for (const e of evs) {
        for (let start = windowStart(e.ts, SLIDE); start > e.ts - SIZE; start -= SLIDE) sums.set(start, (sums.get(start) ?? 0) + e.v);
      }
      for (const [start, sum] of [...sums].sort((a, b) => a[0] - b[0])) out.push(`${k}|${start}|${sum}`);
    }
    return out;
  },
};
