/**
 * The range of timestamps weir accepts: whole and fractional milliseconds within
 * ±`Number.MAX_SAFE_INTEGER` (about ±285,000 years around 1970). Beyond it, doubles cannot
 * represent neighbouring milliseconds, so window arithmetic breaks down (a timestamp of 1e300
 * fell into the zero-width window [1e300, 1e300)); such records are dead letters, like NaN.
 */

/** @internal */
export const MAX_TIMESTAMP = Number.MAX_SAFE_INTEGER;

/** @internal True for a usable timestamp (also false for NaN, infinities and non-numbers). */
export function isValidTimestamp(ts: unknown): ts is number {
  return typeof ts === 'number' && ts >= -MAX_TIMESTAMP && ts <= MAX_TIMESTAMP;
}

/** @internal The dead-letter reason for a timestamp outside the range. */
export function invalidTimestampReason(origin: string, ts: unknown): string {
  return typeof ts === 'number' && Number.isFinite(ts)
    ? `${origin} ${ts}, outside the range of timestamps (±${MAX_TIMESTAMP} ms, where milliseconds stay exact)`
    : `${origin} ${String(ts)}, not a finite number of milliseconds`;
}
