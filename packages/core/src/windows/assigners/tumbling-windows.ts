/**
 * The window formula shared by tumbling assigners (Flink's `TumblingEventTimeWindows`):
 * `start = t - floorMod(t - offset, size)`, one window `[start, start + size)`. The window of the
 * last time seen is cached: consecutive elements mostly share it, so assigning allocates nothing
 * and skips the floating-point modulo (a quarter of a keyed window job's time when done per
 * element).
 * @internal
 */
import { ConfigError } from '../../errors.js';
import { type Duration, toMillis } from '../../time/time.js';
import { TimeWindow } from '../../contract/window.js';

export class TumblingWindowFormula {
  private cachedStart = Number.NaN;
  private cachedEnd = Number.NaN;
  private cached: readonly TimeWindow[] = [];

  constructor(
    readonly size: number,
    readonly offset: number,
  ) {}

  static validate(name: string, size: Duration, offset: Duration): [number, number] {
    const s = toMillis(size);
    const o = toMillis(offset);
    if (!(s > 0) || !Number.isFinite(s)) throw new ConfigError(`${name}: the size must be greater than 0 (got ${s} ms)`);
    if (!(Math.abs(o) < s)) throw new ConfigError(`${name} parameters must satisfy abs(offset) < size (offset ${o} ms, size ${s} ms)`);
    return [s, o];
  }

  windowsOf(t: number): readonly TimeWindow[] {
    if (t >= this.cachedStart && t < this.cachedEnd) return this.cached;
    const start = TimeWindow.getWindowStartWithOffset(t, this.offset, this.size);
    this.cachedStart = start;
    this.cachedEnd = start + this.size;
    this.cached = [new TimeWindow(start, start + this.size)];
    return this.cached;
  }
}
