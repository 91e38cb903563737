/**
 * Model of tumbling and sliding event-time windows (keyed), in plain code: group each event into
 * the windows the formula gives, leave out windows that are already past their cleanup time when
 * the event arrives, fire a window when the watermark reaches `end - 1`.
 *
 * Window formula (Flink's `TimeWindow.getWindowStartWithOffset`, floor-mod so that negative
 * timestamps work): `start = ts - mod(ts - offset, slide)`, and the windows of `ts` are
 * `[start - i * slide, start - i * slide + size)` while `start - i * slide > ts - size`
 * (latest start first, as Flink's assigner lists them). Tumbling is sliding with slide = size.
 *
 * Lateness (flink-semantics.md §1.5): window `w` takes an event unless `w.end - 1 + lateness <=
 * watermark`; an event no window takes, with `ts + lateness <= watermark`, is late. A window
 * that takes an event while `end - 1 <= watermark` (only possible with allowed lateness) fires
 * at once with all its contents.
 * @internal
 */
import { addTo } from './accumulation.js';
import type { Acc } from './accumulation.js';
import { type Firing, type Simulation, type WatermarkSettings, walkWatermarks } from './firing.js';

/** Floor modulo (the sign of the divisor). */
export const floorMod = (a: number, n: number): number => ((a % n) + n) % n;

/** The windows of a timestamp, latest start first. */
export function slidingWindowsOf(ts: number, size: number, slide: number, offset: number): Array<[number, number]> {
  const last = ts - floorMod(ts - offset, slide);
  const out: Array<[number, number]> = [];
  for (let start = last; start > ts - size; start -= slide) out.push([start, start + size]);
  return out;
}

interface LiveWindow<E> {
  readonly key: unknown;
  readonly start: number;
  readonly end: number;
  acc: Acc<E> | undefined;
}

export function simulateTimeWindows<E>(
  events: readonly E[],
  size: number,
  slide: number,
  offset: number,
  s: WatermarkSettings<E>,
): Simulation<E> {
  const firings: Firing<E>[] = [];
  const late: E[] = [];
  const live = new Map<string, LiveWindow<E>>();
  let wm = Number.NEGATIVE_INFINITY;
  const fire = (w: LiveWindow<E>) => firings.push({ key: w.key, start: w.start, end: w.end, timestamp: w.end - 1, acc: w.acc! });
  walkWatermarks(
    events,
    s,
    (e, ts, current) => {
      wm = current;
      const key = s.keyOf(e);
      let taken = false;
      for (const [start, end] of slidingWindowsOf(ts, size, slide, offset)) {
        if (end - 1 + s.lateness <= wm) continue;
        taken = true;
        const id = `${JSON.stringify(key)}|${start}`;
        let w = live.get(id);
        if (w === undefined) {
          w = { key, start, end, acc: undefined };
          live.set(id, w);
        }
        w.acc = addTo(w.acc, e);
        if (end - 1 <= wm) fire(w);
      }
      if (!taken && ts + s.lateness <= wm) late.push(e);
    },
    (next) => {
      const due = [...live.values()].filter((w) => w.end - 1 > wm && w.end - 1 <= next);
      due.sort((a, b) => a.end - b.end);
      for (const w of due) fire(w);
      for (const [id, w] of live) if (w.end - 1 + s.lateness <= next) live.delete(id);
      wm = next;
    },
  );
  return { firings, late };
}
