/**
 * Window types. `TimeWindow` is `[start, end)`: `end` is the first timestamp that does not belong
 * to the window and `maxTimestamp() = end - 1` is the last one that does (Flink's TimeWindow).
 * `GlobalWindow` is the one window of everything, ending at +Infinity.
 *
 * Every window has a namespace (`ns`) under which its state and timers live. For time windows it
 * is the whole window, start and end (as Flink's namespace is the window itself): a session and
 * the session it grows into usually share their start (`[0, 3000)` merges into `[0, 4000)`), and
 * the state of one must not be the state of the other.
 */
import type { Namespace } from '../state/state-table.js';

/**
 * A window: a namespace for state and the last timestamp it covers.
 *
 * @example
 * ```ts
 * const last = (w: Window) => w.maxTimestamp(); // TimeWindow: end - 1
 * ```
 */
export interface Window {
  readonly ns: Namespace;
  /** `maxTimestamp()` as a field, when the window precomputes it (TimeWindow, GlobalWindow do). */
  readonly maxTs?: number;
  maxTimestamp(): number;
}

/** @internal The last timestamp of a window, preferring the precomputed field. */
export function maxTimestampOf(w: Window): number {
  const m = w.maxTs;
  return m !== undefined ? m : w.maxTimestamp();
}

/**
 * A window of event or processing time, `[start, end)`.
 *
 * @example
 * ```ts
 * const w = new TimeWindow(0, 10_000);
 * w.maxTimestamp(); // 9999
 * ```
 */
export class TimeWindow implements Window {
  /** `end - 1`, precomputed: a field read on the per-element path, not a call returning a double. */
  readonly maxTs: number;
  private nsCache: string | undefined = undefined;
  constructor(
    readonly start: number,
    readonly end: number,
  ) {
    this.maxTs = end - 1;
  }

  /**
   * The namespace of the window's state and timers: `"start:end"`, made once per window object
   * (assigners reuse window objects, so a string per window, not per element).
   */
  get ns(): Namespace {
    let ns = this.nsCache;
    if (ns === undefined) this.nsCache = ns = `${this.start}:${this.end}`;
    return ns;
  }

  maxTimestamp(): number {
    return this.maxTs;
  }

  /** True when the windows overlap or touch (`end === other.start` counts, as in Flink). */
  intersects(other: TimeWindow): boolean {
    return this.start <= other.end && this.end >= other.start;
  }

  /** The smallest window covering both. */
  cover(other: TimeWindow): TimeWindow {
    return new TimeWindow(Math.min(this.start, other.start), Math.max(this.end, other.end));
  }

  equals(other: Window): boolean {
    return other instanceof TimeWindow && other.start === this.start && other.end === this.end;
  }

  toString(): string {
    return `TimeWindow{start=${this.start}, end=${this.end}}`;
  }

  /**
   * Start of the window of size `size` containing `timestamp`, windows aligned to `offset`.
   * Floor-mod semantics, correct for negative timestamps.
   *
   * @example
   * ```ts
   * TimeWindow.getWindowStartWithOffset(-1, 0, 10); // -10
   * ```
   */
  static getWindowStartWithOffset(timestamp: number, offset: number, size: number): number {
    const r = (timestamp - offset) % size;
    return r < 0 ? timestamp - (r + size) : timestamp - r;
  }

  /**
   * Flink's `TimeWindow.mergeWindows`: sorts by start, sweeps, and reports every group of more
   * than one intersecting window with the window that covers it.
   *
   * @example
   * ```ts
   * TimeWindow.mergeWindows([new TimeWindow(0, 3), new TimeWindow(3, 6)], (merged, cover) => {});
   * ```
   */
  static mergeWindows(windows: readonly TimeWindow[], callback: (toMerge: TimeWindow[], mergeResult: TimeWindow) => void): void {
    const sorted = [...windows].sort((a, b) => a.start - b.start);
    let current: TimeWindow | undefined;
    let group: TimeWindow[] = [];
    for (const w of sorted) {
      if (current === undefined) {
        current = w;
        group = [w];
      } else if (current.intersects(w)) {
        current = current.cover(w);
        group.push(w);
      } else {
        if (group.length > 1) callback(group, current);
        current = w;
        group = [w];
      }
    }
    if (current !== undefined && group.length > 1) callback(group, current);
  }
}

/**
 * The single window of {@link "@weir/windows"!GlobalWindows | GlobalWindows}: everything, forever.
 *
 * @example
 * ```ts
 * GlobalWindow.INSTANCE.maxTimestamp(); // Infinity
 * ```
 */
export class GlobalWindow implements Window {
  static readonly INSTANCE = new GlobalWindow();
  readonly ns: Namespace = 'global';
  readonly maxTs = Number.POSITIVE_INFINITY;
  private constructor() {}
  maxTimestamp(): number {
    return Number.POSITIVE_INFINITY;
  }
  equals(other: Window): boolean {
    return other === this;
  }
  toString(): string {
    return 'GlobalWindow';
  }
}

/** @internal Plain-data form of a window for checkpoints. */
export type EncodedWindow = readonly [number, number] | 'global';

/** @internal */
export function encodeWindow(w: Window): EncodedWindow {
  if (w instanceof TimeWindow) return [w.start, w.end];
  if (w instanceof GlobalWindow) return 'global';
  throw new TypeError(`Cannot checkpoint window ${String(w)}: only TimeWindow and GlobalWindow are supported`);
}

