/**
 * The window formula of cumulative windows (Flink's CUMULATE window, `CumulativeWindowAssigner`):
 * time is cut into epochs of `maxSize` (`start = floorMod` alignment with the offset); within an
 * epoch the windows all start at the epoch's start and end every `step`:
 * `[start, start + step)`, `[start, start + 2 step)`, ..., `[start, start + maxSize)`. An element
 * belongs to every window of its epoch that ends after it, ascending by end.
 *
 * Example: maxSize 5000, step 1000: ts 0 -> [0,1000), [0,2000), ... [0,5000); ts 4999 -> [0,5000)
 * only; ts 5000 -> [5000,6000) ... [5000,10000).
 * @internal
 */
import { ConfigError } from '../../errors.js';
import { type Duration, toMillis } from '../../time/time.js';
import { TimeWindow } from '../../contract/window.js';

export class CumulativeWindowFormula {
  private cachedStepStart = Number.NaN;
  private cached: readonly TimeWindow[] = [];

  constructor(
    readonly maxSize: number,
    readonly step: number,
    readonly offset: number,
  ) {}

  /** Flink's rules: step > 0, size > 0, size an integral multiple of step; a finite offset. */
  static validate(name: string, maxSize: Duration, step: Duration, offset: Duration): [number, number, number] {
    const m = toMillis(maxSize);
    const s = toMillis(step);
    const o = toMillis(offset);
    if (!(m > 0) || !(s > 0) || !Number.isFinite(m) || !Number.isFinite(s)) {
      throw new ConfigError(`${name} parameters must satisfy step > 0 and size > 0 (size ${m} ms, step ${s} ms)`);
    }
    if (m % s !== 0) throw new ConfigError(`${name} requires size must be an integral multiple of step (size ${m} ms, step ${s} ms)`);
    if (m / s > 10_000_000) throw new ConfigError(`${name}: size / step must not exceed 10,000,000 windows per element`);
    if (!Number.isFinite(o)) throw new ConfigError(`${name}: the offset must be a finite number of milliseconds (got ${o})`);
    return [m, s, o];
  }

  windowsOf(timestamp: number): readonly TimeWindow[] {
    // Every timestamp of one step has the same windows: computed once per step.
    if (timestamp >= this.cachedStepStart && timestamp < this.cachedStepStart + this.step) return this.cached;
    const stepStart = TimeWindow.getWindowStartWithOffset(timestamp, this.offset, this.step);
    const start = TimeWindow.getWindowStartWithOffset(timestamp, this.offset, this.maxSize);
    const windows: TimeWindow[] = [];
    for (let end = stepStart + this.step; end <= start + this.maxSize; end += this.step) windows.push(new TimeWindow(start, end));
    this.cachedStepStart = stepStart;
    this.cached = windows;
    return windows;
  }
}
