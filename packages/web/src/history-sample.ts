/**
 * One point of the dashboard's charts, from a metrics snapshot. Shared by the server (which keeps
 * the last minutes for pages that connect late) and the page (which adds a point per update).
 * Pure: it imports only types, so the browser bundle can use it.
 */
import type { MetricsSnapshot } from '@weir/core';

/**
 * One chart point: wall time and, per node uid, records in per second (records out for
 * sources) and watermark lag (null: no point, see {@link chartedLag}).
 *
 * @example
 * ```ts
 * const p: HistorySample = { t: Date.now(), rates: { 'source-1': 1200 }, lags: { 'source-1': 40 } };
 * ```
 */
export interface HistorySample {
  readonly t: number;
  readonly rates: Readonly<Record<string, number>>;
  readonly lags: Readonly<Record<string, number | null>>;
}

/** What {@link chartedLag} reads: an operator's or a source's watermark and lag. */
interface WatermarkFigures {
  readonly watermark: number | null;
  readonly watermarkLagMs: number | null;
}

/**
 * The watermark lag worth drawing for a node, or null for no point: without a watermark, once
 * event time ended, and when the watermark is at or before the epoch. The last is a generator's
 * starting value before any event (Flink's documented generator starts its maximum at 0, so it
 * emits `0 - bound - 1`): its "lag" would be the clock's whole age, about 57 years, and would
 * flatten every real lag on the chart.
 *
 * @example
 * ```ts
 * chartedLag({ watermark: Date.now() - 200, watermarkLagMs: 200 }); // 200
 * chartedLag({ watermark: -501, watermarkLagMs: Date.now() + 501 }); // null
 * chartedLag({ watermark: null, watermarkLagMs: null }); // null
 * ```
 */
export function chartedLag(m: WatermarkFigures): number | null {
  const { watermark, watermarkLagMs } = m;
  if (watermark === null || watermarkLagMs === null || !Number.isFinite(watermark) || !Number.isFinite(watermarkLagMs)) return null;
  return watermark > 0 ? watermarkLagMs : null;
}

/**
 * The chart point of a snapshot.
 *
 * @example
 * ```ts
 * historySample(env.metrics(), Date.now()).rates; // { 'source-1': 1200, 'map-2': 1200, ... }
 * ```
 */
export function historySample(s: MetricsSnapshot, t: number): HistorySample {
  const rates: Record<string, number> = {};
  const lags: Record<string, number | null> = {};
  for (const o of s.sources) {
    rates[o.uid] = o.recordsOutPerSecond;
    lags[o.uid] = chartedLag(o);
  }
  for (const o of s.operators) {
    rates[o.uid] = o.recordsInPerSecond;
    lags[o.uid] = chartedLag(o);
  }
  return { t, rates, lags };
}
