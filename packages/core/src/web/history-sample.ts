/**
 * One point of the dashboard's charts, from a metrics snapshot. Shared by the server (which keeps
 * the last minutes for pages that connect late) and the page (which adds a point per update).
 * Pure: it imports only types, so the browser bundle can use it.
 */
import type { MetricsSnapshot } from '../api/metrics.js';

/**
 * One chart point: wall time and, per node uid, records in per second (records out for
 * sources) and watermark lag.
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
    lags[o.uid] = o.watermarkLagMs;
  }
  for (const o of s.operators) {
    rates[o.uid] = o.recordsInPerSecond;
    lags[o.uid] = o.watermarkLagMs;
  }
  return { t, rates, lags };
}
