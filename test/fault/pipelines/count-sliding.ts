/**
 * Modern `countWindow(10, 4)` per key: every 4th element fires over the last 10 (GlobalWindows +
 * CountEvictor + CountTrigger); no partial window at the end. `sum` keeps the first element of
 * the window with the field replaced.
 */
import { byKey, parseLine } from './events.js';
import { type FaultPipeline, sumOf } from './pipeline.js';

const SIZE = 10;
const SLIDE = 4;

export const countSliding: FaultPipeline = {
  name: 'sliding count window',
  build: (lines) =>
    lines
      .map(parseLine)
      .keyBy('k')
      .countWindow(SIZE, SLIDE)
      .sum('v')
      .map((e) => `${e.k}|${e.ts}|${e.v}`),
  model: (events) => {
    const out: string[] = [];
    for (const [k, evs] of byKey(events)) {
      for (let n = SLIDE; n <= evs.length; n += SLIDE) {
        const w = evs.slice(Math.max(0, n - SIZE), n);
        out.push(`${k}|${w[0]!.ts}|${sumOf(w)}`);
      }
    }
    return out;
  },
};
