/**
 * Model of event-time session windows (keyed). Each event opens `[ts, ts + gap)`; windows that
 * overlap or touch (`end == other.start`, flink-semantics.md §1.1) merge into their cover. The
 * merge bookkeeping follows Flink's `MergingWindowSet.addWindow`: the windows are sorted by
 * start and swept into groups; a merged group keeps the state of its earliest existing window
 * and the other states are folded into it in order (which fixes the "first element" that sum,
 * min and max keep, and the order of additions).
 *
 * Lateness: the window the event ends up in (after merging) is dropped if `end - 1 + lateness
 * <= watermark`; the event is then late when `ts + lateness <= watermark`. A window that takes
 * an event while `end - 1 <= watermark` fires at once; otherwise it fires when the watermark
 * reaches its `end - 1`.
 *
 * Worked example (gap 3, no disorder): 0, 5, 2 gives [0,3) and [5,8), then [2,5) touches both:
 * one session [0,8) whose state is [0,3)'s, with [5,8)'s merged in: sum = (v0 + v5) + v2.
 * @internal
 */
import { type Acc, addTo, mergeAcc } from './accumulation.js';
import { type Firing, type Simulation, type WatermarkSettings, walkWatermarks } from './firing.js';

interface StateRef<E> {
  acc: Acc<E> | undefined;
}

interface Mapping<E> {
  start: number;
  end: number;
  state: StateRef<E>;
}

const intersects = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start <= b.end && a.end >= b.start;

/** Adds `[start, end)` to a key's sessions; returns the session it ended up in. */
function addWindow<E>(mapping: Mapping<E>[], start: number, end: number): Mapping<E> {
  const fresh = { start, end };
  const all = [...mapping.map((m) => ({ start: m.start, end: m.end, m: m as Mapping<E> | undefined })), { ...fresh, m: undefined }];
  all.sort((a, b) => a.start - b.start);
  const groups: Array<{ start: number; end: number; members: typeof all }> = [];
  for (const w of all) {
    const g = groups[groups.length - 1];
    if (g !== undefined && intersects(g, w)) {
      g.start = Math.min(g.start, w.start);
      g.end = Math.max(g.end, w.end);
      g.members.push(w);
    } else groups.push({ start: w.start, end: w.end, members: [w] });
  }
  let result: Mapping<E> | undefined;
  for (const g of groups) {
    if (g.members.length < 2) continue;
    const existing = g.members.filter((w) => w.m !== undefined).map((w) => w.m!);
    const hasNew = existing.length < g.members.length;
    const target = existing[0]!.state;
    for (const m of existing) mapping.splice(mapping.indexOf(m), 1);
    for (const m of existing.slice(1)) if (m.state.acc !== undefined) target.acc = mergeAcc(target.acc, m.state.acc);
    const merged: Mapping<E> = { start: g.start, end: g.end, state: target };
    mapping.push(merged);
    if (hasNew) result = merged;
  }
  if (result === undefined) {
    result = { start, end, state: { acc: undefined } };
    mapping.push(result);
  }
  return result;
}

export function simulateSessionWindows<E>(events: readonly E[], gap: number, s: WatermarkSettings<E>): Simulation<E> {
  const firings: Firing<E>[] = [];
  const late: E[] = [];
  const sessions = new Map<string, { key: unknown; mapping: Mapping<E>[] }>();
  let wm = Number.NEGATIVE_INFINITY;
  const fire = (key: unknown, m: Mapping<E>) => firings.push({ key, start: m.start, end: m.end, timestamp: m.end - 1, acc: m.state.acc! });
  walkWatermarks(
    events,
    s,
    (e, ts, current) => {
      wm = current;
      const key = s.keyOf(e);
      const id = JSON.stringify(key) ?? String(key);
      let k = sessions.get(id);
      if (k === undefined) {
        k = { key, mapping: [] };
        sessions.set(id, k);
      }
      const actual = addWindow(k.mapping, ts, ts + gap);
      if (actual.end - 1 + s.lateness <= wm) {
        k.mapping.splice(k.mapping.indexOf(actual), 1);
        if (ts + s.lateness <= wm) late.push(e);
        return;
      }
      actual.state.acc = addTo(actual.state.acc, e);
      if (actual.end - 1 <= wm) fire(key, actual);
    },
    (next) => {
      const due: Array<{ key: unknown; m: Mapping<E> }> = [];
      for (const k of sessions.values()) for (const m of k.mapping) if (m.end - 1 > wm && m.end - 1 <= next) due.push({ key: k.key, m });
      due.sort((a, b) => a.m.end - b.m.end);
      for (const d of due) fire(d.key, d.m);
      for (const k of sessions.values()) k.mapping = k.mapping.filter((m) => m.end - 1 + s.lateness > next);
      wm = next;
    },
  );
  return { firings, late };
}
