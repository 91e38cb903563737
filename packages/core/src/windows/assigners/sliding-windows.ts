/**
 * The window formula shared by sliding assigners (Flink's `SlidingEventTimeWindows`):
 * `lastStart = ts - floorMod(ts - offset, slide)`, then windows `[s, s + size)` for
 * `s = lastStart, lastStart - slide, ...` while `s > ts - size`, in descending start order.
 * Example: size 10, slide 5, ts 12 -> [10, 20), [5, 15).
 * @internal
 */
import { ConfigError } from '../../errors.js';
import { type Duration, toMillis } from '../../time/time.js';
import { TimeWindow } from '../../contract/window.js';

export class SlidingWindowFormula {
  private cachedLastStart = Number.NaN;
  private cached: readonly TimeWindow[] = [];

  constructor(
    readonly size: number,
    readonly slide: number,
    readonly offset: number,
  ) {}

  static validate(name: string, size: Duration, slide: Duration, offset: Duration): [number, number, number] {
    const s = toMillis(size);
    const sl = toMillis(slide);
    const o = toMillis(offset);
    if (!(s > 0) || !(sl > 0) || !Number.isFinite(s) || !Number.isFinite(sl)) {
      throw new ConfigError(`${name}: size and slide must be greater than 0 (size ${s} ms, slide ${sl} ms)`);
    }
    if (!(Math.abs(o) < sl)) throw new ConfigError(`${name} parameters must satisfy abs(offset) < slide and size > 0 (offset ${o} ms, slide ${sl} ms)`);
    if (s / sl > 10_000_000) throw new ConfigError(`${name}: size / slide must not exceed 10,000,000 windows per element`);
    return [s, sl, o];
  }

  windowsOf(timestamp: number): readonly TimeWindow[] {
    // Timestamps of the cached slide skip the floating-point modulo.
    const inSlide = timestamp >= this.cachedLastStart && timestamp < this.cachedLastStart + this.slide;
    const lastStart = inSlide ? this.cachedLastStart : TimeWindow.getWindowStartWithOffset(timestamp, this.offset, this.slide);
    if (lastStart !== this.cachedLastStart) {
      // Cache the windows of the earliest timestamp with this last start (the most windows);
      // later timestamps of the same slide share them (all of them when size % slide == 0).
      const windows: TimeWindow[] = [];
      for (let start = lastStart; start > lastStart - this.size; start -= this.slide) windows.push(new TimeWindow(start, start + this.size));
      this.cachedLastStart = lastStart;
      this.cached = windows;
    }
    // When size % slide != 0 a later timestamp of the slide can belong to one window fewer.
    const c = this.cached;
    const last = c[c.length - 1];
    if (last !== undefined && last.start <= timestamp - this.size) return c.filter((w) => w.start > timestamp - this.size);
    return c;
  }
}
