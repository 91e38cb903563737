/**
 * Durations. `Time` lives in core because watermark strategies need it; `@weir/windows`
 * re-exports it for the seed's window policies (`window(Time.of(10, 'seconds'))`).
 */
import { ConfigError } from '../errors.js';

/**
 * A unit accepted by {@link Time.of}.
 *
 * @example
 * ```ts
 * const unit: TimeUnitName = 'seconds';
 * Time.of(10, unit).toMilliseconds(); // 10000
 * ```
 */
export type TimeUnitName = 'milliseconds' | 'seconds' | 'minutes' | 'hours' | 'days';

const UNIT_MILLIS: Record<TimeUnitName, number> = {
  milliseconds: 1,
  seconds: 1000,
  minutes: 60_000,
  hours: 3_600_000,
  days: 86_400_000,
};

/**
 * Named unit constants for the seed's spelling `Time.of(10, TimeUnit.SECONDS)`.
 *
 * @example
 * ```ts
 * Time.of(10, TimeUnit.SECONDS).toMilliseconds(); // 10000
 * ```
 */
export const TimeUnit = {
  MILLISECONDS: 'milliseconds',
  SECONDS: 'seconds',
  MINUTES: 'minutes',
  HOURS: 'hours',
  DAYS: 'days',
} as const satisfies Record<string, TimeUnitName>;

/**
 * A span of time in whole milliseconds.
 *
 * Used for window sizes and slides, allowed lateness, watermark bounds and idleness timeouts.
 * Everywhere a `Time` is accepted, a plain number of milliseconds is accepted too
 * (see {@link Duration}).
 *
 * @example
 * ```ts
 * Time.of(10, 'seconds').toMilliseconds(); // 10000
 * Time.minutes(1).toMilliseconds();        // 60000
 * ```
 */
export class Time {
  /** Marks `Time` instances without `instanceof` (which breaks across duplicated package copies). */
  readonly kind = 'time' as const;

  private constructor(private readonly millis: number) {}

  /**
   * A duration of `size` units.
   *
   * @example
   * ```ts
   * Time.of(5, 'seconds');
   * ```
   */
  static of(size: number, unit: TimeUnitName): Time {
    const factor = UNIT_MILLIS[unit];
    if (factor === undefined) {
      throw new ConfigError(`Time.of: unknown unit '${String(unit)}'; use one of ${Object.keys(UNIT_MILLIS).join(', ')}`);
    }
    if (!Number.isFinite(size)) throw new ConfigError(`Time.of: size must be a finite number, got ${size}`);
    return new Time(Math.round(size * factor));
  }

  /** @example `Time.milliseconds(250)` */
  static milliseconds(n: number): Time {
    return Time.of(n, 'milliseconds');
  }
  /** @example `Time.seconds(10)` */
  static seconds(n: number): Time {
    return Time.of(n, 'seconds');
  }
  /** @example `Time.minutes(1)` */
  static minutes(n: number): Time {
    return Time.of(n, 'minutes');
  }
  /** @example `Time.hours(1)` */
  static hours(n: number): Time {
    return Time.of(n, 'hours');
  }
  /** @example `Time.days(1)` */
  static days(n: number): Time {
    return Time.of(n, 'days');
  }

  /** @example `Time.seconds(2).toMilliseconds() // 2000` */
  toMilliseconds(): number {
    return this.millis;
  }

  toString(): string {
    return `${this.millis} ms`;
  }
}

/**
 * A duration given either as a {@link Time} or as a number of milliseconds.
 *
 * @example
 * ```ts
 * const a: Duration = Time.seconds(1);
 * const b: Duration = 1000;
 * ```
 */
export type Duration = Time | number;

/**
 * Milliseconds of a {@link Duration}.
 *
 * @example
 * ```ts
 * toMillis(Time.seconds(1)); // 1000
 * toMillis(250);             // 250
 * ```
 */
export function toMillis(d: Duration): number {
  if (typeof d === 'number') return d;
  if (d !== null && typeof d === 'object' && (d as Time).kind === 'time') return d.toMilliseconds();
  throw new ConfigError(`Expected a duration (Time or milliseconds), got ${String(d)}`);
}

/**
 * True for a {@link Time} instance (also one from another copy of the package).
 *
 * @example
 * ```ts
 * isTime(Time.seconds(1)); // true
 * ```
 */
export function isTime(x: unknown): x is Time {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'time';
}
