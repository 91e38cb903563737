/**
 * Naive reference computations for the engine's property suites, written for clarity, not
 * speed, and independently of both weir and @weir/testing's models: plain loops over the events
 * in arrival order, with the watermark each event meets computed by hand.
 *
 * Events are `{ key, value, timestamp }` with *distinct* integer values (ids), so that window
 * contents can be compared as sets of ids.
 */
import type { TestEvent } from '@weir/testing';

export type Ev = TestEvent<number>;

/** A window's result, order-independent: key, bounds and the sorted ids of its elements. */
export interface WindowResult {
  key: string;
  start: number;
  end: number;
  ids: number[];
}

export const byWindow = (a: WindowResult, b: WindowResult): number =>
  a.start - b.start || a.end - b.end || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) || String(a.ids).localeCompare(String(b.ids));

/** Gives every event a distinct value (its arrival index), keeping key and timestamp. */
export const withIds = (events: readonly Ev[]): Ev[] => events.map((e, i) => ({ key: e.key, value: i, timestamp: e.timestamp }));

/** Watermark before each event: max(earlier timestamps) - bound - 1 (bounded out-of-orderness). */
export function watermarksBefore(events: readonly Ev[], bound: number): number[] {
  let max = Number.NEGATIVE_INFINITY;
  return events.map((e) => {
    const wm = max - bound - 1;
    if (e.timestamp > max) max = e.timestamp;
    return wm;
  });
}

/** Start of the window of `ts` (size or slide `step`, offset), written with Math.floor. */
export const alignedStart = (ts: number, step: number, offset: number): number => offset + Math.floor((ts - offset) / step) * step;

/**
 * Tumbling/sliding event-time windows with allowed lateness 0: each event goes to every window
 * `[s, s + size)` containing it whose last timestamp `s + size - 1` is still after the
 * watermark; events that no window takes are late.
 */
export function naiveTimeWindows(events: readonly Ev[], size: number, slide: number, offset: number, bound: number) {
  const wms = watermarksBefore(events, bound);
  const windows = new Map<string, WindowResult>();
  const late: Ev[] = [];
  events.forEach((e, i) => {
    let taken = false;
    for (let s = alignedStart(e.timestamp, slide, offset); s + size > e.timestamp; s -= slide) {
      if (s + size - 1 <= wms[i]!) continue;
      taken = true;
      const id = `${e.key}@${s}`;
      const w = windows.get(id) ?? { key: e.key, start: s, end: s + size, ids: [] };
      w.ids.push(e.value);
      windows.set(id, w);
    }
    if (!taken) late.push(e);
  });
  const results = [...windows.values()].map((w) => ({ ...w, ids: [...w.ids].sort((a, b) => a - b) })).sort(byWindow);
  return { results, late };
}

/**
 * Cumulative event-time windows (Flink's CUMULATE) with allowed lateness 0: an event at `ts`
 * belongs to the windows `[e0, e0 + k * step)` of its epoch `e0` (the `maxSize` window containing
 * it) that contain it, i.e. whose end is after `ts`; a window whose last timestamp the watermark
 * has passed does not take it; events that no window takes are late.
 */
export function naiveCumulativeWindows(events: readonly Ev[], maxSize: number, step: number, offset: number, bound: number) {
  const wms = watermarksBefore(events, bound);
  const windows = new Map<string, WindowResult>();
  const late: Ev[] = [];
  events.forEach((e, i) => {
    const epoch = alignedStart(e.timestamp, maxSize, offset);
    let taken = false;
    for (let end = epoch + step; end <= epoch + maxSize; end += step) {
      if (end <= e.timestamp || end - 1 <= wms[i]!) continue;
      taken = true;
      const id = `${e.key}@${epoch}-${end}`;
      const w = windows.get(id) ?? { key: e.key, start: epoch, end, ids: [] };
      w.ids.push(e.value);
      windows.set(id, w);
    }
    if (!taken) late.push(e);
  });
  const results = [...windows.values()].map((w) => ({ ...w, ids: [...w.ids].sort((a, b) => a - b) })).sort(byWindow);
  return { results, late };
}

/**
 * Event-time session windows: per key a list of sessions; a new event's `[ts, ts + gap)` joins
 * every session it overlaps or touches; a session closes (is emitted) when the watermark
 * reaches its end - 1; an event whose (merged) session would already be closed is late.
 */
export function naiveSessions(events: readonly Ev[], gap: number, bound: number) {
  const wms = watermarksBefore(events, bound);
  const open = new Map<string, WindowResult[]>();
  const closed: WindowResult[] = [];
  const late: Ev[] = [];
  const closeUpTo = (wm: number) => {
    for (const [key, list] of open) {
      open.set(key, list.filter((s) => (s.end - 1 <= wm ? (closed.push(s), false) : true)));
    }
  };
  events.forEach((e, i) => {
    closeUpTo(wms[i]!);
    const list = open.get(e.key) ?? [];
    let s = { key: e.key, start: e.timestamp, end: e.timestamp + gap, ids: [e.value] };
    const rest: WindowResult[] = [];
    for (const o of list) {
      if (o.start <= s.end && o.end >= s.start) s = { key: e.key, start: Math.min(o.start, s.start), end: Math.max(o.end, s.end), ids: [...o.ids, ...s.ids] };
      else rest.push(o);
    }
    if (s.end - 1 <= wms[i]!) {
      late.push(e);
      open.set(e.key, list);
    } else open.set(e.key, [...rest, s]);
  });
  closeUpTo(Number.POSITIVE_INFINITY);
  const results = closed.map((w) => ({ ...w, ids: [...w.ids].sort((a, b) => a - b) })).sort(byWindow);
  return { results, late };
}
