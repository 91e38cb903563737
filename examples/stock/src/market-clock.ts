/**
 * The simulated market clock: market time runs `rate` times faster than the wall clock, from a
 * given market time (09:00:00 on the first run, the restored position after a restart). It is
 * the job's processing-time clock (so `--processing-time` windows, ingestion timestamps of socket
 * lines and the checkpoint interval are in market time) and the pacer of the generated sources
 * (an event is released once the market clock reaches its timestamp).
 *
 * It is an `ObservableClock`: while the job runs it ticks every {@link TICK_MS} of wall time, so
 * the runtime fires due processing-time timers and checkpoints on market time, not on a
 * wall-clock `setTimeout` computed in market milliseconds (which would be `rate` times late).
 *
 * Example, rate 10 from 09:00:00: 1.5 s of wall time later `now()` is 09:00:15.
 */
import type { ObservableClock } from '@weir/core';

/**
 * Wall-clock period of the clock's ticks while a job listens, ms.
 *
 * @example
 * ```ts
 * const ticksPerSecond = 1000 / TICK_MS; // 50
 * ```
 */
export const TICK_MS = 20;

/**
 * Releases events when their time has come.
 *
 * @example
 * ```ts
 * if (event.timestamp <= pacer.now()) emit(event); else await pacer.waitUntil(event.timestamp);
 * ```
 */
export interface Pacer {
  /** Market time now: events with a timestamp up to this are due. */
  now(): number;
  /** Resolves when market time reaches `t`. */
  waitUntil(t: number): Promise<void>;
  /** A restored source continues from market time `t`: the clock jumps forward to it. */
  resumeAt(t: number): void;
}

/**
 * Market time at `rate` times the wall clock.
 *
 * @example
 * ```ts
 * const clock = new MarketClock(10, MARKET_OPEN);
 * const env = StreamEnvironment.create({ clock });
 * ```
 */
export class MarketClock implements ObservableClock, Pacer {
  private anchorMarket: number;
  private anchorWall: number;
  private readonly listeners = new Set<(now: number) => void>();
  private ticker: NodeJS.Timeout | undefined = undefined;

  constructor(
    readonly rate: number,
    start: number,
    private readonly wall: () => number = () => performance.now(),
  ) {
    if (!(rate > 0) || !Number.isFinite(rate)) throw new RangeError(`MarketClock: rate must be a positive finite number (got ${rate})`);
    this.anchorMarket = start;
    this.anchorWall = wall();
  }

  now(): number {
    return Math.floor(this.anchorMarket + (this.wall() - this.anchorWall) * this.rate);
  }

  waitUntil(t: number): Promise<void> {
    const wallMs = (t - this.now()) / this.rate;
    if (wallMs <= 0) return Promise.resolve();
    return new Promise((resolve) => setTimeout(resolve, Math.ceil(wallMs)));
  }

  resumeAt(t: number): void {
    if (t > this.now()) {
      this.anchorMarket = t;
      this.anchorWall = this.wall();
    }
  }

  subscribe(listener: (now: number) => void): () => void {
    this.listeners.add(listener);
    // Referenced on purpose: while a job sleeps on this clock, the ticks are what wake it.
    this.ticker ??= setInterval(() => {
      const now = this.now();
      for (const l of this.listeners) l(now);
    }, TICK_MS);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.ticker) {
        clearInterval(this.ticker);
        this.ticker = undefined;
      }
    };
  }
}

/**
 * No pacing: every event is due at once (tests and batch replays; event time only).
 *
 * @example
 * ```ts
 * new GeneratedSource('SPX', () => walk, { end, pacer: UNPACED, eventTime: true });
 * ```
 */
export const UNPACED: Pacer = {
  now: () => Number.POSITIVE_INFINITY,
  waitUntil: () => Promise.resolve(),
  resumeAt: () => {},
};
