/** Event-time session windows (gap 150 ms) per key: sum, with the merged window's bounds. */
import { EventTimeSessionWindows } from '@weir/windows';
import { byKey, type Ev } from './events.js';
import { eventTime, type FaultPipeline } from './pipeline.js';

const GAP = 150;

export const session: FaultPipeline = {
  name: 'session window',
  build: (lines) =>
    eventTime(lines)
      .keyBy('k')
      .window(EventTimeSessionWindows.withGap(GAP))
      .reduce(
        (a: Ev, b: Ev) => ({ k: a.k, v: a.v + b.v, ts: Math.min(a.ts, b.ts) }),
        (key: string, ctx, sums: readonly Ev[], out) => out.collect(`${key}|${ctx.window.start}|${ctx.window.end}|${sums[0]!.v}`),
      ),
  model: (events) => {
    const out: string[] = [];
    for (const [k, evs] of byKey(events)) {
      const sorted = [...evs].sort((a, b) => a.ts - b.ts);
      let start = sorted[0]!.ts;
      let end = start + GAP;
      let sum = 0;
      for (const e of sorted) {
        // Flink's TimeWindow.intersects is inclusive: [t, t+gap) merges when t <= end.
        if (e.ts > end) {
          out.push(`${k}|${start}|${end}|${sum}`);
          start = e.ts;
          sum = 0;
        }
        end = Math.max(end, e.ts + GAP);
        sum += e.v;
      }
      out.push(`${k}|${start}|${end}|${sum}`);
    }
    return out;
  },
};
