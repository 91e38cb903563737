/**
 * The processing-time clock. Injected through `StreamEnvironment.create({ clock })` so that
 * processing-time windows, timers and idleness are testable without sleeping.
 */

/**
 * A source of processing time in milliseconds since the epoch.
 *
 * @example
 * ```ts
 * const clock: Clock = { now: () => Date.now() };
 * ```
 */
export interface Clock {
  now(): number;
}

/**
 * A clock the runtime can subscribe to: when it moves, due processing-time timers fire at once
 * (instead of on the next poll). {@link ManualClock} implements it.
 *
 * @example
 * ```ts
 * const clock = new ManualClock(0);
 * const unsubscribe = clock.subscribe((now) => console.log('clock at', now));
 * clock.advance(1000);
 * unsubscribe();
 * ```
 */
export interface ObservableClock extends Clock {
  subscribe(listener: (now: number) => void): () => void;
}

/** @internal */
export function isObservableClock(clock: Clock): clock is ObservableClock {
  return typeof (clock as Partial<ObservableClock>).subscribe === 'function';
}

/**
 * Wall-clock time (`Date.now()`).
 *
 * @example
 * ```ts
 * StreamEnvironment.create({ clock: systemClock });
 * ```
 */
export const systemClock: Clock = { now: () => Date.now() };

/**
 * A clock that only moves when told to. Processing-time timers that become due fire
 * synchronously inside {@link ManualClock.advance}, between two elements, as they would on a
 * real clock.
 *
 * @example
 * ```ts
 * const clock = new ManualClock(0);
 * const env = StreamEnvironment.create({ clock });
 * // inside a source or a test step:
 * clock.advance(1000);
 * ```
 */
export class ManualClock implements ObservableClock {
  private current: number;
  private readonly listeners = new Set<(now: number) => void>();

  constructor(start = 0) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  /** Moves the clock forward by `ms` (never backwards). */
  advance(ms: number): void {
    this.set(this.current + ms);
  }

  /** Moves the clock to `t` if that is later than now. */
  set(t: number): void {
    if (t <= this.current) return;
    this.current = t;
    for (const l of this.listeners) l(t);
  }

  subscribe(listener: (now: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
