/**
 * Kubernetes `MicroTime` (RFC 3339 with up to microsecond precision, e.g.
 * `2024-03-05T10:15:30.123456Z`). `Date` — and so date-fns' `parseISO` — keeps milliseconds only,
 * which would make two events 400 µs apart look simultaneous; so the instant is parsed with
 * date-fns (calendar, offsets, validity) and the sub-millisecond digits are added back from the
 * text. Example: `…30.123456Z` -> ms `…30123`, micros `…30123456`.
 */
import { isValid, parseISO } from 'date-fns';

/** Strict shape: date, `T`, time, optional fraction of 1-9 digits, `Z` or an offset. */
const MICRO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.(\d{1,9}))?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * An instant at microsecond precision.
 *
 * @example
 * ```ts
 * const { ms, micros } = parseMicroTime('2024-03-05T10:15:30.123456Z')!;
 * ```
 */
export interface MicroInstant {
  /** Milliseconds since the epoch (the element timestamp weir uses). */
  readonly ms: number;
  /** Microseconds since the epoch (exact in a double until the year 2255). */
  readonly micros: number;
}

/**
 * Parses a `MicroTime`; undefined when the text is not one.
 *
 * @example
 * ```ts
 * parseMicroTime('2024-03-05T10:15:30.123456Z'); // { ms: 1709633730123, micros: 1709633730123456 }
 * ```
 */
export function parseMicroTime(text: string): MicroInstant | undefined {
  const m = MICRO_TIME.exec(text);
  if (m === null) return undefined;
  const date = parseISO(text);
  if (!isValid(date)) return undefined;
  const ms = date.getTime();
  const fraction = (m[1] ?? '').padEnd(6, '0');
  const subMilli = Number(fraction.slice(3, 6)); // the digits Date dropped
  return { ms, micros: ms * 1000 + subMilli };
}
