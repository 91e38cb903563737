/**
 * The session windows of one key and where their state lives (Flink's `MergingWindowSet`).
 *
 * Each live window maps to a *state window*: the namespace holding its contents. When a new
 * window merges existing ones, the merged result keeps the state window of one of them (so no
 * state is moved for it) and the others' state is folded in by the callback.
 *
 * Worked example (gap 3): elements at 0 and 5 give [0,3) and [5,8); an element at 2 gives [2,5),
 * which touches both: all three merge into [0,8), whose state window is [0,3)'s, and [5,8)'s
 * contents are merged into it.
 * @internal
 */
import type { TableCodec } from '../state/keyed-state-backend.js';
import { TimeWindow } from '../contract/window.js';

export interface WindowMapping {
  window: TimeWindow;
  state: TimeWindow;
}

export type MergeCallback = (
  mergeResult: TimeWindow,
  mergedWindows: TimeWindow[],
  stateWindowResult: TimeWindow,
  mergedStateWindows: TimeWindow[],
) => void;

type Merger = (windows: readonly TimeWindow[], callback: (toMerge: TimeWindow[], mergeResult: TimeWindow) => void) => void;

export class MergingWindowSet {
  constructor(readonly mapping: WindowMapping[]) {}

  getStateWindow(window: TimeWindow): TimeWindow | undefined {
    for (const m of this.mapping) if (m.window.equals(window)) return m.state;
    return undefined;
  }

  windowByNs(ns: unknown): TimeWindow | undefined {
    for (const m of this.mapping) if (m.window.ns === ns) return m.window;
    return undefined;
  }

  retireWindow(window: TimeWindow): void {
    const i = this.mapping.findIndex((m) => m.window.equals(window));
    if (i < 0) throw new Error(`Window ${window} is not in the merging window set`);
    this.mapping.splice(i, 1);
  }

  /**
   * The common cases of session windows without allocating: the new window meets no session
   * (a new one) or exactly one (it lies inside it, or extends it). Equivalent to the general
   * path for assigners that merge intersecting time windows (the session assigners); returns
   * undefined when the general path is needed (it meets two or more sessions).
   */
  addWindowByIntersection(newWindow: TimeWindow, callback: MergeCallback): TimeWindow | undefined {
    let hit = -1;
    const m = this.mapping;
    for (let i = 0; i < m.length; i++) {
      if (!m[i]!.window.intersects(newWindow)) continue;
      if (hit >= 0) return undefined;
      hit = i;
    }
    if (hit < 0) {
      m.push({ window: newWindow, state: newWindow });
      return newWindow;
    }
    const existing = m[hit]!;
    const w = existing.window;
    if (w.start <= newWindow.start && newWindow.end <= w.end) return w;
    const result = w.cover(newWindow);
    m[hit] = { window: result, state: existing.state };
    callback(result, [w], existing.state, []);
    return result;
  }

  /** Adds a window, merging as the assigner says; returns the window the new one ended up in. */
  addWindow(newWindow: TimeWindow, mergeWindows: Merger, callback: MergeCallback): TimeWindow {
    const windows = [...this.mapping.map((m) => m.window), newWindow];
    const results: Array<[TimeWindow, TimeWindow[]]> = [];
    mergeWindows(windows, (toMerge, mergeResult) => results.push([mergeResult, toMerge]));
    let resultWindow = newWindow;
    let mergedNewWindow = false;
    for (const [mergeResult, group] of results) {
      const merged = [...group];
      const newIdx = merged.indexOf(newWindow);
      if (newIdx >= 0) {
        merged.splice(newIdx, 1);
        mergedNewWindow = true;
        resultWindow = mergeResult;
      }
      if (merged.length === 0) continue;
      const firstState = this.getStateWindow(merged[0]!)!;
      const mergedStateWindows: TimeWindow[] = [];
      for (const w of merged) {
        const i = this.mapping.findIndex((m) => m.window.equals(w));
        if (i >= 0) {
          mergedStateWindows.push(this.mapping[i]!.state);
          this.mapping.splice(i, 1);
        }
      }
      this.mapping.push({ window: mergeResult, state: firstState });
      const others = mergedStateWindows.filter((s) => !s.equals(firstState));
      if (!(merged.length === 1 && merged[0]!.equals(mergeResult))) callback(mergeResult, merged, firstState, others);
    }
    if (results.length === 0 || (resultWindow.equals(newWindow) && !mergedNewWindow)) {
      this.mapping.push({ window: resultWindow, state: resultWindow });
    }
    return resultWindow;
  }
}

type EncodedMapping = Array<[number, number, number, number]>;

export const mergingWindowSetCodec: TableCodec<MergingWindowSet> = {
  encode(set: MergingWindowSet): EncodedMapping {
    return set.mapping.map((m) => [m.window.start, m.window.end, m.state.start, m.state.end]);
  },
  decode(data: unknown): MergingWindowSet {
    return new MergingWindowSet(
      (data as EncodedMapping).map(([ws, we, ss, se]) => ({ window: new TimeWindow(ws, we), state: new TimeWindow(ss, se) })),
    );
  },
};
