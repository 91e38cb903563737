/**
 * Simulated time for the generator: it runs `speed` times faster than the wall clock from a
 * start instant, and jumps to where a restored run left off. Unpaced (tests): everything is due.
 */

/**
 * @example
 * ```ts
 * const pacer = new Pacer(20, Date.UTC(2024, 2, 5, 10)); // 1 wall second = 20 simulated seconds
 * if (t <= pacer.now()) emit(); else await pacer.waitUntil(t);
 * ```
 */
export class Pacer {
  private anchorSim: number;
  private anchorWall: number;

  /** @param speed simulated ms per wall ms; `Infinity`: unpaced. */
  constructor(
    readonly speed: number,
    start: number,
    private readonly wallNow: () => number = Date.now,
  ) {
    this.anchorSim = start;
    this.anchorWall = wallNow();
  }

  now(): number {
    if (this.speed === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
    return this.anchorSim + (this.wallNow() - this.anchorWall) * this.speed;
  }

  /** Resolves when simulated time reaches `t` (at least one timer turn later, never busy). */
  waitUntil(t: number): Promise<void> {
    const wallMs = Math.max(0, (t - this.now()) / this.speed);
    return new Promise((resolve) => setTimeout(resolve, Math.min(wallMs, 250)));
  }

  /** A restored source continues from simulated time `t`. */
  resumeAt(t: number): void {
    if (!(t > this.now())) return;
    this.anchorSim = t;
    this.anchorWall = this.wallNow();
  }
}
