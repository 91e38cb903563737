/**
 * One window evaluation of a model: which key and window fired, with which contents, at which
 * timestamp. The models produce a list of these in firing order.
 * @internal
 */
import type { Acc } from './accumulation.js';

export interface Firing<E> {
  readonly key: unknown;
  /** Window bounds; undefined for count windows (a global window). */
  readonly start: number | undefined;
  readonly end: number | undefined;
  /** The result's timestamp: `end - 1` for time windows. */
  readonly timestamp: number;
  readonly acc: Acc<E>;
}

/** What a model run gives: firings in order, and the events it left out as late. */
export interface Simulation<E> {
  readonly firings: Firing<E>[];
  readonly late: E[];
}

/** Settings every watermark-driven model shares. */
export interface WatermarkSettings<E> {
  readonly bound: number;
  readonly lateness: number;
  readonly keyOf: (e: E) => unknown;
  readonly timestampOf: (e: E) => number;
}

/**
 * The default watermarks of runPipeline, as a walk over the events: calls `onEvent(e, wm)` with
 * the watermark the window operator has when `e` arrives (the maximum of the timestamps before
 * it, minus the bound, minus 1), then `onWatermark(next)` whenever it advances, and finally
 * `onWatermark(+Infinity)` at the end of input. Events without a finite timestamp are skipped
 * (runPipeline routes them to dead letters).
 */
export function walkWatermarks<E>(
  events: readonly E[],
  s: WatermarkSettings<E>,
  onEvent: (e: E, ts: number, wm: number) => void,
  onWatermark: (wm: number) => void,
): void {
  let maxTs = Number.NEGATIVE_INFINITY;
  let wm = Number.NEGATIVE_INFINITY;
  for (const e of events) {
    const ts = s.timestampOf(e);
    if (!Number.isFinite(ts)) continue;
    onEvent(e, ts, wm);
    if (ts > maxTs) {
      maxTs = ts;
      const next = maxTs - s.bound - 1;
      if (next > wm) {
        wm = next;
        onWatermark(wm);
      }
    }
  }
  onWatermark(Number.POSITIVE_INFINITY);
}
