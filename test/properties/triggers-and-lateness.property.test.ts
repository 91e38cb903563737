/**
 * Triggers other than the assigners' defaults, allowed lateness, and processing-time windows on
 * a manual clock, against naive simulations written here (flink-semantics.md §1.3, §1.5):
 *
 * - allowed lateness with EventTimeTrigger: a window fires when the watermark reaches end - 1;
 *   an element arriving while `end - 1 <= watermark < end - 1 + lateness` is added and fires
 *   the window again with all its contents; with PurgingTrigger only the contents since the
 *   last firing; after that, elements are late (side output);
 * - ContinuousEventTimeTrigger(interval): fires at `ts - ts % interval + interval` for the
 *   window's first element, then every interval, capped at end - 1, and at end - 1;
 * - CountTrigger on time windows: every n-th element of a window, all its contents so far;
 * - processing-time tumbling, sliding and session windows: grouped by arrival time.
 */
import type { Collector, TimeWindow, WindowContext } from '@weir/core';
import { arbEventStream, runPipeline } from '@weir/testing';
import {
  ContinuousEventTimeTrigger,
  CountTrigger,
  EventTimeTrigger,
  ProcessingTimeSessionWindows,
  PurgingTrigger,
  SlidingProcessingTimeWindows,
  TumblingEventTimeWindows,
  TumblingProcessingTimeWindows,
} from '@weir/windows';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alignedStart, type Ev, watermarksBefore, withIds } from './naive.js';

type Fired = [string, number, number[]];
const fired = (key: string, ctx: WindowContext<TimeWindow>, els: readonly Ev[], out: Collector<Fired>) =>
  out.collect([key, ctx.window.start, els.map((e) => e.value)]);
const sorted = (xs: Fired[]): Fired[] => [...xs].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

const BOUND = 200;
const streams = arbEventStream({ keys: ['a', 'b'], maxDisorderMs: BOUND, lateFraction: 0.2, bursts: true, maxStepMs: 250, maxLatenessMs: 1200 }).map(withIds);

interface Win {
  key: string;
  start: number;
  end: number;
  contents: number[];
  fireAt?: number;
}

/**
 * Walks the events with the watermark each one meets; `onElement` handles an element that its
 * window takes, `onAdvance(wm)` the watermark moving on (and +Infinity at the end). Windows past
 * end - 1 + lateness are dropped, and elements arriving for them are late.
 */
function walk(
  events: readonly Ev[],
  size: number,
  lateness: number,
  onElement: (w: Win, e: Ev, wm: number, out: Fired[]) => void,
  onAdvance: (windows: Win[], from: number, to: number, out: Fired[]) => void,
) {
  const wms = watermarksBefore(events, BOUND);
  const windows = new Map<string, Win>();
  const out: Fired[] = [];
  const late: number[] = [];
  let wm = Number.NEGATIVE_INFINITY;
  const advance = (to: number) => {
    if (to <= wm) return;
    onAdvance([...windows.values()], wm, to, out);
    for (const [id, w] of windows) if (w.end - 1 + lateness <= to) windows.delete(id);
    wm = to;
  };
  events.forEach((e, i) => {
    advance(wms[i]!);
    const start = alignedStart(e.timestamp, size, 0);
    if (start + size - 1 + lateness <= wm) {
      late.push(e.value);
      return;
    }
    const id = `${e.key}@${start}`;
    const w = windows.get(id) ?? { key: e.key, start, end: start + size, contents: [] };
    windows.set(id, w);
    onElement(w, e, wm, out);
  });
  advance(Number.POSITIVE_INFINITY);
  return { out, late };
}

describe('allowed lateness', () => {
  it('EventTimeTrigger: late firings carry the full contents; PurgingTrigger: only what came since the last firing', async () => {
    await fc.assert(
      fc.asyncProperty(streams, fc.integer({ min: 100, max: 1000 }), fc.integer({ min: 0, max: 1500 }), fc.boolean(), async (events, size, lateness, purging) => {
        const emit = (w: Win, out: Fired[]) => {
          out.push([w.key, w.start, [...w.contents]]);
          if (purging) w.contents = [];
        };
        const expected = walk(
          events,
          size,
          lateness,
          (w, e, wm, out) => {
            w.contents.push(e.value);
            if (w.end - 1 <= wm) emit(w, out);
          },
          (windows, from, to, out) => {
            for (const w of windows.sort((a, b) => a.end - b.end)) if (w.end - 1 > from && w.end - 1 <= to && w.contents.length > 0) emit(w, out);
          },
        );
        const trigger = purging ? PurgingTrigger.of(EventTimeTrigger.create()) : EventTimeTrigger.create();
        const out = await runPipeline(
          events,
          (s, ctx) =>
            s.keyBy('key').window(TumblingEventTimeWindows.of(size)).trigger(trigger).allowedLateness(lateness).sideOutputLateData(ctx.lateTag).process(fired),
          { maxDisorderMs: BOUND },
        );
        expect(sorted(out.results)).toEqual(sorted(expected.out));
        expect(out.late.map((e) => e.value)).toEqual(expected.late);
      }),
      { numRuns: 120 },
    );
  });
});

describe('ContinuousEventTimeTrigger', () => {
  it('fires every interval while the watermark advances, and at the window end', async () => {
    await fc.assert(
      fc.asyncProperty(streams, fc.integer({ min: 200, max: 1500 }), fc.integer({ min: 50, max: 700 }), async (events, size, interval) => {
        const expected = walk(
          events,
          size,
          0,
          (w, e) => {
            w.contents.push(e.value);
            // Java's % keeps the sign of the dividend, as Flink's code does.
            if (w.fireAt === undefined) w.fireAt = Math.min(e.timestamp - (e.timestamp % interval) + interval, w.end - 1);
          },
          (windows, _from, to, out) => {
            // Timers in timestamp order: the continuous one (fireAt) and the window end.
            for (;;) {
              const due = windows.filter((w) => w.fireAt !== undefined && w.fireAt <= to).sort((a, b) => a.fireAt! - b.fireAt!)[0];
              if (due === undefined) break;
              out.push([due.key, due.start, [...due.contents]]);
              due.fireAt = due.fireAt === due.end - 1 ? undefined : Math.min(due.fireAt! + interval, due.end - 1);
            }
          },
        );
        const out = await runPipeline(events, (s) => s.keyBy('key').window(TumblingEventTimeWindows.of(size)).trigger(ContinuousEventTimeTrigger.of(interval)).process(fired), {
          maxDisorderMs: BOUND,
        });
        expect(sorted(out.results)).toEqual(sorted(expected.out));
      }),
      { numRuns: 120 },
    );
  });
});

describe('CountTrigger on time windows', () => {
  it('fires every n-th element of a window with all its contents, never at the window end', async () => {
    await fc.assert(
      fc.asyncProperty(streams, fc.integer({ min: 100, max: 1000 }), fc.integer({ min: 1, max: 4 }), async (events, size, n) => {
        const expected = walk(
          events,
          size,
          0,
          (w, e, _wm, out) => {
            w.contents.push(e.value);
            if (w.contents.length % n === 0) out.push([w.key, w.start, [...w.contents]]);
          },
          () => {},
        );
        const out = await runPipeline(events, (s) => s.keyBy('key').window(TumblingEventTimeWindows.of(size)).trigger(CountTrigger.of(n)).process(fired), {
          maxDisorderMs: BOUND,
          order: 'emitted',
        });
        expect(out.results).toEqual(expected.out);
      }),
      { numRuns: 40 },
    );
  });
});

describe('processing-time windows on a manual clock', () => {
  /** Arrival times: multiples of 10 ms, non-decreasing; window sizes are multiples of 10 too. */
  const arrivals = fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 0, maxLength: 40 }).map((steps) => {
    let t = 1000;
    return steps.map((s) => (t += s * 10));
  });
  const keyed = fc.array(fc.constantFrom('a', 'b'), { minLength: 40, maxLength: 40 });
  const build = (times: number[], keys: string[]): Ev[] => times.map((_, i) => ({ key: keys[i]!, value: i, timestamp: 0 }));

  it('tumbling and sliding: elements grouped by the window of their arrival time, all windows fired by the end', async () => {
    await fc.assert(
      fc.asyncProperty(arrivals, keyed, fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 3 }), async (times, keys, size10, k) => {
        const events = build(times, keys);
        const size = size10 * 10 * k;
        const slide = size10 * 10;
        const groups = new Map<string, Fired>();
        events.forEach((e, i) => {
          for (let s = alignedStart(times[i]!, slide, 0); s + size > times[i]!; s -= slide) {
            const g = groups.get(`${e.key}@${s}`) ?? [e.key, s, []];
            g[2].push(e.value);
            groups.set(`${e.key}@${s}`, g);
          }
        });
        const processingTime = (_e: Ev, i: number) => times[i]!;
        const assigner = k === 1 ? TumblingProcessingTimeWindows.of(size) : SlidingProcessingTimeWindows.of(size, slide);
        const out = await runPipeline(events, (s) => s.keyBy('key').window(assigner).process(fired), { processingTime });
        expect(sorted(out.results)).toEqual(sorted([...groups.values()]));
      }),
      { numRuns: 100 },
    );
  });

  it('sessions: a session closes when the clock passes its end - 1, before the next element is assigned', async () => {
    await fc.assert(
      fc.asyncProperty(arrivals, keyed, fc.integer({ min: 1, max: 30 }), async (times, keys, gap10) => {
        const events = build(times, keys);
        const gap = gap10 * 10;
        const open = new Map<string, Fired & { end?: number }>();
        const ends = new Map<string, number>();
        const done: Fired[] = [];
        events.forEach((e, i) => {
          const p = times[i]!;
          for (const [key, s] of open) {
            if (ends.get(key)! - 1 < p) {
              done.push(s);
              open.delete(key);
            }
          }
          const s = open.get(e.key);
          if (s === undefined) open.set(e.key, [e.key, p, [e.value]]);
          else s[2].push(e.value);
          ends.set(e.key, Math.max(ends.get(e.key) ?? 0, p + gap));
        });
        done.push(...open.values());
        const out = await runPipeline(events, (s) => s.keyBy('key').window(ProcessingTimeSessionWindows.withGap(gap)).process(fired), {
          processingTime: (_e, i) => times[i]!,
        });
        expect(sorted(out.results)).toEqual(sorted(done));
      }),
      { numRuns: 100 },
    );
  });
});
