/**
 * Number, duration and time formatting for the dashboard. Pure functions (no DOM), so the
 * tests run them in Node.
 */

const group = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/**
 * A count with thousands separators.
 *
 * @example
 * ```ts
 * formatCount(1234567); // '1,234,567'
 * ```
 */
export function formatCount(n: number): string {
  return group.format(n);
}

/**
 * A rate (per second) in short form: 3 significant digits and a k/M/G suffix.
 *
 * @example
 * ```ts
 * formatRate(1534.2); // '1.53k'
 * formatRate(0.25);   // '0.25'
 * ```
 */
export function formatRate(n: number): string {
  const a = Math.abs(n);
  if (a >= 1e9) return `${trim(n / 1e9)}G`;
  if (a >= 1e6) return `${trim(n / 1e6)}M`;
  if (a >= 1e3) return `${trim(n / 1e3)}k`;
  if (a >= 10 || a === 0) return String(Math.round(n));
  return trim(n);
}

function trim(x: number): string {
  return Number(x.toPrecision(3)).toString();
}

/**
 * A duration in the largest unit that keeps it short; negative durations keep their sign.
 *
 * @example
 * ```ts
 * formatDuration(40);        // '40 ms'
 * formatDuration(1500);      // '1.5 s'
 * formatDuration(185_000);   // '3 min 5 s'
 * formatDuration(-2000);     // '−2 s'
 * ```
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms < 0) return `−${formatDuration(-ms)}`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${trim(ms / 1000)} s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  const days = s / 86_400;
  return days < 365 ? `${Math.round(days)} d` : `${trim(days / 365.25)} y`;
}

/**
 * A byte size with a binary unit.
 *
 * @example
 * ```ts
 * formatBytes(2048); // '2 KiB'
 * ```
 */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${trim(v)} ${units[i]}`;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * A timestamp (ms since the epoch) in the viewer's time zone: the time of day, with the date
 * in front when it is not the day of `now`.
 *
 * @example
 * ```ts
 * formatTimestamp(Date.now()); // '14:03:07.250'
 * ```
 */
export function formatTimestamp(ms: number | null, now: number = Date.now()): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  const d = new Date(ms);
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
  const today = new Date(now);
  const sameDay = d.getFullYear() === today.getFullYear() && d.getMonth() === today.getMonth() && d.getDate() === today.getDate();
  return sameDay ? time : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}`;
}

/**
 * Shortens a name to `max` characters with an ellipsis in the middle of long window
 * descriptions, keeping their beginning and end.
 *
 * @example
 * ```ts
 * shorten('Window(SlidingEventTimeWindows(10000, 5000), EventTimeTrigger(), minBy(price))', 40);
 * // 'Window(SlidingEventTimeWin…minBy(price))'
 * ```
 */
export function shorten(name: string, max: number): string {
  if (name.length <= max) return name;
  const tail = Math.floor((max - 1) / 3);
  return `${name.slice(0, max - 1 - tail)}…${name.slice(name.length - tail)}`;
}
