/**
 * The models against results worked out by hand from Flink's documented rules
 * (shared/reference/flink-semantics.md), not against weir.
 */
import { describe, expect, it } from 'vitest';
import type { TestEvent } from './events.js';
import { windowModel } from './window-model.js';

const ev = (key: string, value: number, timestamp: number): TestEvent => ({ key, value, timestamp });

describe('windowModel.tumbling', () => {
  it('floor-mod window starts for negative timestamps, with and without offset; end exclusive', () => {
    const events = [ev('a', 1, -1), ev('a', 2, -10), ev('a', 4, 0), ev('a', 8, 9), ev('a', 16, 10)];
    const m = windowModel.tumbling(events, 10, { maxDisorderMs: 100 });
    expect(m.windows().map((w) => [w.start, w.end, w.timestamp, w.elements.map((e) => e.value)])).toEqual([
      [-10, 0, -1, [1, 2]],
      [0, 10, 9, [4, 8]],
      [10, 20, 19, [16]],
    ]);
    const shifted = windowModel.tumbling(events, 10, { maxDisorderMs: 100, offsetMs: 3 });
    expect(shifted.windows().map((w) => [w.start, w.elements.map((e) => e.value)])).toEqual([
      [-17, [2]],
      [-7, [1, 4]],
      [3, [8, 16]],
    ]);
  });

  it('leaves out an element whose window the watermark has passed; it is late', () => {
    // B = 0: after ts 100 the watermark is 99; [0, 10) ended (9 <= 99), so ts 5 is late.
    const events = [ev('a', 1, 100), ev('a', 2, 5), ev('a', 4, 105)];
    const m = windowModel.tumbling(events, 10);
    expect(m.sum('value')).toEqual([ev('a', 5, 100)]);
    expect(m.late()).toEqual([ev('a', 2, 5)]);
  });

  it('allowed lateness: a late firing with the full contents, then drop after end - 1 + lateness', () => {
    const events = [ev('a', 1, 5), ev('a', 2, 12), ev('a', 4, 7), ev('a', 8, 20), ev('a', 16, 8)];
    const m = windowModel.tumbling(events, 10, { allowedLatenessMs: 5 });
    // [0,10) fires at watermark 11 with {1}; ts 7 arrives at watermark 11 <= 9 + 5: fires again
    // with {1, 4}; watermark 19 >= 14 ends it, so ts 8 is late. [10,20) holds {2}, [20,30) {8}.
    // The two firings of [0,10) share timestamp 9 and are adjacent: canonical order sorts them.
    expect(m.count()).toEqual([1, 2, 1, 1]);
    expect(m.windows().map((w) => [w.start, w.elements.map((e) => e.value)])).toEqual([
      [0, [1, 4]],
      [0, [1]],
      [10, [2]],
      [20, [8]],
    ]);
    expect(m.late()).toEqual([ev('a', 16, 8)]);
  });

  it('sum keeps the first element\'s other fields; max vs maxBy; minBy ties', () => {
    const events = [ev('a', 3, 1), ev('a', 7, 2), ev('a', 7, 3), ev('a', 3, 4)];
    const m = windowModel.tumbling(events, 10);
    expect(m.sum('value')).toEqual([ev('a', 20, 1)]);
    expect(m.max('value')).toEqual([ev('a', 7, 1)]); // a record that never existed
    expect(m.maxBy('value')).toEqual([ev('a', 7, 2)]); // first of the ties
    expect(m.maxBy('value', false)).toEqual([ev('a', 7, 3)]); // the later of the ties
    expect(m.minBy('value')).toEqual([ev('a', 3, 1)]);
    expect(m.minBy('value', false)).toEqual([ev('a', 3, 4)]);
    expect(m.min('value')).toEqual([ev('a', 3, 1)]);
    expect(m.count()).toEqual([4]);
  });

  it('orders windows firing together by a canonical rendering', () => {
    const events = [ev('b', 1, 1), ev('a', 2, 2), ev('b', 4, 15)];
    expect(windowModel.tumbling(events, 10).sum('value')).toEqual([ev('a', 2, 2), ev('b', 1, 1), ev('b', 4, 15)]);
  });
});

describe('windowModel.sliding', () => {
  it('assigns size/slide windows, latest start first, and keeps an element in the windows that are still open', () => {
    // After ts 20 (B = 0) the watermark is 19. ts 17 belongs to [15,25) (open) and [10,20)
    // (ended: 19 <= 19): it is kept in [15,25) only, and is not late.
    const events = [ev('a', 1, 12), ev('a', 2, 20), ev('a', 4, 17)];
    const m = windowModel.sliding(events, 10, 5);
    expect(m.windows().map((w) => [w.start, w.elements.map((e) => e.value)])).toEqual([
      [5, [1]],
      [10, [1]],
      [15, [2, 4]],
      [20, [2]],
    ]);
    expect(m.late()).toEqual([]);
  });
});

describe('windowModel.session', () => {
  it('merges touching windows ([0,3000) and [3000,6000)) and splits at larger gaps', () => {
    const events = [ev('a', 1, 0), ev('a', 2, 3000), ev('a', 4, 6001), ev('b', 8, 100)];
    const m = windowModel.session(events, 3000, { maxDisorderMs: 10_000 });
    expect(m.windows().map((w) => [w.key, w.start, w.end, w.timestamp, w.elements.map((e) => e.value)])).toEqual([
      ['b', 100, 3100, 3099, [8]],
      ['a', 0, 6000, 5999, [1, 2]],
      ['a', 6001, 9001, 9000, [4]],
    ]);
  });

  it('a bridging element merges two sessions: the earlier session\'s state is the target', () => {
    // gap 3: 5 then 0 give [5,8) and [0,3); 2 gives [2,5), touching both: one session [0,8).
    const events = [ev('a', 1, 5), ev('a', 2, 0), ev('a', 4, 2)];
    const m = windowModel.session(events, 3, { maxDisorderMs: 100 });
    expect(m.windows().map((w) => w.elements.map((e) => e.value))).toEqual([[2, 1, 4]]);
    // sum keeps the fields of the target state's first element (ts 0), as Flink's merge does.
    expect(m.sum('value')).toEqual([ev('a', 7, 0)]);
  });

  it('a late element that falls into an open session is kept; alone it is late', () => {
    // B = 0, gap 10. After 0 and 20 the watermark is 19: [0,10) fired. ts 12 gives [12,22),
    // which touches [20,30): kept. ts 1 gives [1,11): [1,11) ended (10 <= 19), nothing to merge with: late.
    const events = [ev('a', 1, 0), ev('a', 2, 20), ev('a', 4, 12), ev('a', 8, 1)];
    const m = windowModel.session(events, 10);
    expect(m.windows().map((w) => [w.start, w.end, w.elements.map((e) => e.value)])).toEqual([
      [0, 10, [1]],
      [12, 30, [2, 4]],
    ]);
    expect(m.late()).toEqual([ev('a', 8, 1)]);
  });
});

describe('windowModel.count', () => {
  it('countWindow(n): every n-th element of a key, no partial window at the end', () => {
    const events = [1, 2, 3, 4, 5, 6, 7].map((v) => ev(v % 2 ? 'odd' : 'even', v, v * 10));
    expect(windowModel.count(events, 2).apply((xs) => xs.map((x) => x.value))).toEqual([
      [1, 3],
      [2, 4],
      [5, 7],
    ]);
  });

  it('countWindow(size, slide): the last size elements every slide elements', () => {
    const events = [1, 2, 3, 4, 5].map((v) => ev('a', v, v));
    expect(windowModel.count(events, 3, 2).apply((xs) => xs.map((x) => x.value))).toEqual([
      [1, 2],
      [2, 3, 4],
    ]);
  });
});
